//! "Add a security key or passkey" (issue 23 part 3): thin commands over
//! `service::security_key`. Naming the new key is `rename_method`, as for any method.

use tauri::State;

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::security_key;
use crate::views::SecurityKeyStepView;

/// Whether this session may add a security key or passkey (My Account mode, passkeys on).
#[tauri::command]
pub async fn security_key_offered(state: State<'_, AppState>) -> CommandResult<bool> {
    let tenant = state.config.tenant()?;
    security_key::offered(&state.session, tenant).await
}

/// Gets creation options from the My Account API and starts the ceremony.
#[tauri::command]
pub async fn security_key_start(state: State<'_, AppState>) -> CommandResult<()> {
    let tenant = state.config.tenant()?;
    state.keys.start(&state.session, tenant).await
}

/// Waits for the next step (insert, touch, PIN, new PIN) or the end: the passkey Auth0
/// confirmed, or the ceremony's own error code.
#[tauri::command]
pub async fn security_key_next(state: State<'_, AppState>) -> CommandResult<SecurityKeyStepView> {
    let tenant = state.config.tenant()?;
    state.keys.next(&state.session, tenant).await
}

#[tauri::command]
pub async fn security_key_pin(state: State<'_, AppState>, pin: String) -> CommandResult<()> {
    state.keys.enter_pin(pin)
}

/// A PIN for a key that has none, typed twice.
#[tauri::command]
pub async fn security_key_set_pin(
    state: State<'_, AppState>,
    pin: String,
    repeat: String,
) -> CommandResult<()> {
    state.keys.set_pin(pin, repeat)
}

#[tauri::command]
pub async fn security_key_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.keys.cancel();
    Ok(())
}
