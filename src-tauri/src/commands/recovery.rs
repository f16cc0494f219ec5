//! Recovery-code sign-in and the export dialog: copy, save, confirm.

use std::time::Duration;

use mfa_core::flow::MfaSession;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;

use super::with_session;
use crate::command_error::{CommandError, CommandResult};
use crate::commands::enroll::keep_recovery_code;
use crate::recovery_export;
use crate::state::{AppState, Tenant};
use crate::views::{now_secs, RecoveryCodeView};

/// The clipboard is cleared this long after a copy, if it still holds what we put there.
const CLIPBOARD_CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Hides the window from screen capture and sharing while a recovery code is on it, and
/// only then (Windows and macOS; elsewhere the call does nothing).
pub(crate) fn guard_screen<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let showing_code = state.wizard().recovery_code.is_some();
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_content_protected(showing_code);
    }
}

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
    keep_recovery_code(
        &state,
        PendingRecoveryCode {
            account,
            code: new_code,
            issued_at: now_secs(),
            reason: IssuedFor::Recovery,
        },
    );
    crate::commands::verify::remember_refresh_token(&state).await;
    guard_screen(&app, &state);
    shown_code_view(&state, state.tenant()?).ok_or(CommandError::new("internal"))
}

/// The code the export dialog shows, if one is waiting for confirmation.
pub(crate) fn shown_code_view(state: &AppState, tenant: &Tenant) -> Option<RecoveryCodeView> {
    let wizard = state.wizard();
    let pending = wizard.recovery_code.as_ref()?;
    Some(RecoveryCodeView::new(
        pending,
        &tenant.domain,
        wizard.recovery_code_in_keyring,
    ))
}

/// At start-up: a code left unconfirmed by a crash or a closed window, from the keyring.
pub(crate) fn pending_code_view(
    state: &AppState,
    tenant: &Tenant,
) -> CommandResult<Option<RecoveryCodeView>> {
    if state.wizard().recovery_code.is_none() {
        let from_keyring = state
            .vault()?
            .pending()
            .ok()
            .and_then(|mut codes| codes.pop());
        if let Some(pending) = from_keyring {
            let mut wizard = state.wizard();
            wizard.recovery_code = Some(pending);
            wizard.recovery_code_in_keyring = true;
        }
    }
    Ok(shown_code_view(state, tenant))
}

fn shown_code_text(state: &AppState) -> CommandResult<String> {
    let wizard = state.wizard();
    let pending = wizard
        .recovery_code
        .as_ref()
        .ok_or(CommandError::new("no_pending_code"))?;
    Ok(pending.code.expose().to_owned())
}

#[tauri::command]
pub async fn recovery_code_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    copy_then_clear(&app, shown_code_text(&state)?)
}

/// Copies the TOTP secret shown during enrollment, with the same clearing.
#[tauri::command]
pub async fn copy_text_secret<R: Runtime>(app: AppHandle<R>, text: String) -> CommandResult<()> {
    if text.len() > 128 {
        return Err(CommandError::new("input_too_long"));
    }
    copy_then_clear(&app, text)
}

fn copy_then_clear<R: Runtime>(app: &AppHandle<R>, text: String) -> CommandResult<()> {
    app.clipboard()
        .write_text(text.clone())
        .map_err(|_| CommandError::new("clipboard_unavailable"))?;
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

#[derive(serde::Serialize)]
pub struct SavedView {
    saved: bool,
}

/// Saves the code as a text file where the person chooses (native dialog). End-to-end tests
/// cannot drive a native dialog, so they name a folder in `MFA_DESK_E2E_SAVE_DIR` instead.
#[tauri::command]
pub async fn recovery_code_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<SavedView> {
    let (text, file_name) = {
        let wizard = state.wizard();
        let pending = wizard
            .recovery_code
            .as_ref()
            .ok_or(CommandError::new("no_pending_code"))?;
        let tenant = state.tenant()?;
        (
            recovery_export::text_file(pending, &tenant.domain, &state.locale),
            recovery_export::file_name(&tenant.domain),
        )
    };
    let path = match std::env::var_os("MFA_DESK_E2E_SAVE_DIR") {
        Some(dir) => Some(std::path::PathBuf::from(dir).join(&file_name)),
        None => app
            .dialog()
            .file()
            .set_file_name(&file_name)
            .add_filter("Text", &["txt"])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(path) = path else {
        return Ok(SavedView { saved: false });
    };
    recovery_export::write_private(&path, &text).map_err(|_| CommandError::new("save_failed"))?;
    Ok(SavedView { saved: true })
}

/// The person confirmed they stored the code: it leaves the keyring and memory.
#[tauri::command]
pub async fn recovery_code_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    let account = {
        let wizard = state.wizard();
        wizard
            .recovery_code
            .as_ref()
            .map(|p| p.account.clone())
            .ok_or(CommandError::new("no_pending_code"))?
    };
    state.vault()?.confirm(&account)?;
    state.wizard().recovery_code = None;
    guard_screen(&app, &state);
    Ok(())
}
