//! Recovery-code sign-in and the export dialog: copy, save, confirm.

use mfa_core::flow::MfaSession;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use tauri::{AppHandle, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::{AppError, CommandResult};
use crate::recovery_export::{self, FileLabels};
use crate::service::clipboard::copy_then_clear;
use crate::service::save_file::{save_via_dialog, SaveRequest};
use crate::service::screen_guard::guard_screen;
use crate::views::{now_secs, RecoveryCodeView, SavedView};

#[tauri::command]
pub async fn recover<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<RecoveryCodeView> {
    let (new_code, account) = state
        .session
        .with(
            state.config.tenant()?,
            async |session: &mut MfaSession, client| {
                let new_code = session.recover(client, &code).await?;
                Ok((new_code, session.account().to_owned()))
            },
        )
        .await?;
    let pending = PendingRecoveryCode {
        account,
        code: new_code,
        issued_at: now_secs(),
        reason: IssuedFor::Recovery,
    };
    state.codes.keep(pending).await?;
    guard_screen(&app, true);
    state.codes.shown().ok_or(AppError::Internal.into())
}

/// A new recovery code for a person whose methods go through the My Account API (§S5.3):
/// the core removes the old code, enrolls and verifies the new one, and it goes into the
/// keyring before the export dialog shows it (same crash safety as after a recovery-code
/// sign-in, whose export notice it shares: the old code no longer works).
#[tauri::command]
pub async fn recovery_code_new<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<RecoveryCodeView> {
    let (new_code, account) = state
        .session
        .with(
            state.config.tenant()?,
            async |session: &mut MfaSession, client| {
                let new_code = session.new_recovery_code(client).await?;
                Ok((new_code, session.account().to_owned()))
            },
        )
        .await?;
    let pending = PendingRecoveryCode {
        account,
        code: new_code,
        issued_at: now_secs(),
        reason: IssuedFor::Recovery,
    };
    state.codes.keep(pending).await?;
    guard_screen(&app, true);
    state.codes.shown().ok_or(AppError::Internal.into())
}

/// A caller's code while the helpdesk session that issued it is live and that caller is
/// open (`Some`); `None` when no session holds one, so the employee's own code is meant.
async fn callers_code<T>(
    state: &AppState,
    f: impl FnOnce(&PendingRecoveryCode) -> T,
) -> CommandResult<Option<T>> {
    match &state.helpdesk {
        Some(helpdesk) => helpdesk.with_caller_code(f).await,
        None => Ok(None),
    }
}

/// The employee's own code waiting for confirmation. With none, a caller's code that died
/// with its helpdesk session is named as such rather than as "nothing pending".
fn own_code<T>(state: &AppState, f: impl FnOnce(&PendingRecoveryCode) -> T) -> CommandResult<T> {
    let caller_code_ended = state
        .helpdesk
        .as_ref()
        .is_some_and(|h| h.caller_code_ended());
    if caller_code_ended && !state.codes.is_showing() {
        return Err(AppError::CallerCodeGone.into());
    }
    state.codes.with_shown(f)
}

#[tauri::command]
pub async fn recovery_code_copy(state: State<'_, AppState>) -> CommandResult<()> {
    let secret = |pending: &PendingRecoveryCode| mfa_core::secret::secret(pending.code.expose());
    let code = match callers_code(&state, secret).await? {
        Some(code) => code,
        None => own_code(&state, secret)?,
    };
    copy_then_clear(code).await
}

/// Saves the code as a text file where the person chooses (native dialog), labelled in the
/// UI's language with the labels the UI sends from its catalogue. A code issued by the
/// helpdesk for a caller is read out or copied, never saved on the agent's computer.
#[tauri::command]
pub async fn recovery_code_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    labels: FileLabels,
) -> CommandResult<SavedView> {
    if callers_code(&state, |_| ()).await?.is_some() {
        return Err(AppError::CallerCodeNotSaved.into());
    }
    let domain = state.codes.domain().ok_or(AppError::NotConfigured)?;
    let text = own_code(&state, |pending| {
        recovery_export::text_file(pending, domain, &labels)
    })?;
    let file_name = recovery_export::file_name(domain);
    let request = SaveRequest {
        file_name: &file_name,
        filter_name: "Text",
        extension: "txt",
    };
    let saved = save_via_dialog(&app, request, text).await?;
    Ok(SavedView { saved })
}

/// The person confirmed they stored the code (or the agent that they handed the caller's
/// over): it leaves the keyring and memory.
#[tauri::command]
pub async fn recovery_code_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    let callers = match &state.helpdesk {
        Some(helpdesk) => helpdesk.confirm_caller_code().await?,
        None => false,
    };
    if !callers {
        own_code(&state, |_| ())?;
        state.codes.confirm().await?;
    }
    guard_screen(&app, state.codes.is_showing());
    Ok(())
}
