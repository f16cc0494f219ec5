//! Recovery-code sign-in and the export dialog: copy, save, confirm.

use std::time::Duration;

use mfa_core::flow::MfaSession;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use mfa_core::InputError;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::command_error::{AppError, CommandResult};
use crate::recovery_export::{self, FileLabels};
use crate::service::recovery_code;
use crate::service::save_file::{save_via_dialog, SaveRequest};
use crate::service::screen_guard::guard_screen;
use crate::service::session::with_session;
use crate::state::AppState;
use crate::views::{now_secs, RecoveryCodeView, SavedView};

/// The clipboard is cleared this long after a copy, if it still holds what we put there.
const CLIPBOARD_CLEAR_AFTER: Duration = Duration::from_secs(30);
/// A TOTP secret is 32 base32 characters; anything much longer is not one.
const MAX_COPIED_SECRET: usize = 128;

#[tauri::command]
pub async fn recover<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<RecoveryCodeView> {
    let (new_code, account) = with_session(&state, async |session: &mut MfaSession, client| {
        let new_code = session.recover(client, &code).await?;
        Ok((new_code, session.account().to_owned()))
    })
    .await?;
    let pending = PendingRecoveryCode {
        account,
        code: new_code,
        issued_at: now_secs(),
        reason: IssuedFor::Recovery,
    };
    recovery_code::keep(&state, pending).await?;
    guard_screen(&app, &state);
    recovery_code::shown(&state).ok_or(AppError::Internal.into())
}

#[tauri::command]
pub async fn recovery_code_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    let text = recovery_code::with_shown(&state, |pending| pending.code.expose().to_owned())?;
    copy_then_clear(&app, text)
}

/// Copies the TOTP secret shown during enrollment, with the same clearing.
#[tauri::command]
pub async fn copy_text_secret<R: Runtime>(app: AppHandle<R>, text: String) -> CommandResult<()> {
    if text.len() > MAX_COPIED_SECRET {
        return Err(InputError::TooLong {
            max: MAX_COPIED_SECRET,
        }
        .into());
    }
    copy_then_clear(&app, text)
}

fn copy_then_clear<R: Runtime>(app: &AppHandle<R>, text: String) -> CommandResult<()> {
    app.clipboard()
        .write_text(text.clone())
        .map_err(|_| AppError::ClipboardUnavailable)?;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(CLIPBOARD_CLEAR_AFTER).await;
        // Only clear what we put there: the person may have copied something else since.
        if app.clipboard().read_text().ok().as_deref() == Some(text.as_str()) {
            let _ = app.clipboard().write_text(String::new());
        }
    });
    Ok(())
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
    let domain = state.tenant()?.domain.clone();
    let (text, reason) = recovery_code::with_shown(&state, |pending| {
        (
            recovery_export::text_file(pending, &domain, &labels),
            pending.reason,
        )
    })?;
    if reason == IssuedFor::Helpdesk {
        return Err(AppError::NotOffered.into());
    }
    let file_name = recovery_export::file_name(&domain);
    let request = SaveRequest {
        file_name: &file_name,
        filter_name: "Text",
        extension: "txt",
    };
    let saved = save_via_dialog(&app, request, text).await?;
    Ok(SavedView { saved })
}

/// The person confirmed they stored the code: it leaves the keyring and memory.
#[tauri::command]
pub async fn recovery_code_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    recovery_code::confirm(&state).await?;
    guard_screen(&app, &state);
    Ok(())
}
