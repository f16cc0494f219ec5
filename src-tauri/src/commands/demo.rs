//! Demo inbox commands; they answer `not_demo` outside demo mode.

use tauri::State;

use crate::command_error::{CommandError, CommandResult};
use crate::demo::{Demo, OutboxMessage, TotpCode};
use crate::state::AppState;

fn demo(state: &AppState) -> CommandResult<&Demo> {
    state.demo.as_ref().ok_or(CommandError::new("not_demo"))
}

#[tauri::command]
pub async fn demo_outbox(state: State<'_, AppState>) -> CommandResult<Vec<OutboxMessage>> {
    demo(&state)?.outbox().await
}

#[tauri::command]
pub async fn demo_push(state: State<'_, AppState>, decision: String) -> CommandResult<()> {
    demo(&state)?.push(&decision).await
}

#[tauri::command]
pub async fn demo_totp(state: State<'_, AppState>) -> CommandResult<Vec<TotpCode>> {
    demo(&state)?.totp_codes().await
}
