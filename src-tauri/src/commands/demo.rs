//! Demo inbox commands; they answer `not_demo` outside demo mode.

use tauri::State;

use crate::app_state::AppState;
use crate::command_error::{AppError, CommandResult};
use crate::demo::{Demo, PushDecision};
use crate::views::demo::{MessageView, PendingPushView, TotpCodeView};

/// The demo, and the app's one HTTP client to reach its emulator with.
fn demo(state: &AppState) -> CommandResult<(&Demo, &reqwest::Client)> {
    let demo = state.demo.as_ref().ok_or(AppError::NotDemo)?;
    Ok((demo, state.config.tenant()?.client.http()))
}

#[tauri::command]
pub async fn demo_outbox(state: State<'_, AppState>) -> CommandResult<Vec<MessageView>> {
    let (demo, http) = demo(&state)?;
    demo.outbox(http).await
}

#[tauri::command]
pub async fn demo_push(state: State<'_, AppState>, decision: PushDecision) -> CommandResult<()> {
    let (demo, http) = demo(&state)?;
    demo.push(http, decision).await
}

/// The push the demo phone shows, whoever asked for it (the app, or a helpdesk verifying a
/// caller through CIBA).
#[tauri::command]
pub async fn demo_pending_push(
    state: State<'_, AppState>,
) -> CommandResult<Option<PendingPushView>> {
    let (demo, http) = demo(&state)?;
    demo.pending_push(http).await
}

#[tauri::command]
pub async fn demo_totp(state: State<'_, AppState>) -> CommandResult<Vec<TotpCodeView>> {
    let (demo, http) = demo(&state)?;
    demo.totp_codes(http).await
}
