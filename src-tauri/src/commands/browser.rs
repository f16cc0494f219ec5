//! The system browser: signing in through it (start, wait, cancel), and opening the
//! helpdesk link IT configured. Rust opens both; the webview holds no opener permission and
//! cannot open an address of its choosing.

use mfa_core::browser::CallbackTexts;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::app_state::AppState;
use crate::command_error::{AppError, CommandResult};
use crate::views::{BrowserStartedView, BrowserWaitView};

/// Opens the tenant's sign-in page in the system browser and listens for its answer. `texts`
/// is the page the browser shows afterwards, in the person's language (from the UI catalogue).
#[tauri::command]
pub async fn browser_sign_in_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    texts: CallbackTexts,
) -> CommandResult<BrowserStartedView> {
    let tenant = state.config.tenant()?;
    state.browser.start(&app, tenant, texts).await
}

/// Waits for the browser's answer; see [`BrowserWaitView`].
#[tauri::command]
pub async fn browser_sign_in_wait<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<BrowserWaitView> {
    let tenant = state.config.tenant()?;
    state.browser.wait(&app, tenant, &state.session).await
}

#[tauri::command]
pub async fn browser_sign_in_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.browser.cancel().await;
    Ok(())
}

/// Opens the helpdesk address from IT's configuration (https:, mailto: or tel:, checked when
/// the configuration was read).
#[tauri::command]
pub fn open_helpdesk<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    let url = state
        .config
        .helpdesk_contact
        .as_ref()
        .and_then(|h| h.url.clone())
        .ok_or(AppError::NotConfigured)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|_| AppError::BrowserUnavailable.into())
}
