//! Helpdesk mode: the entry screen, the agent's session, the caller, the actions and the
//! history. Each command parses what the webview sent and calls `service::helpdesk`, where
//! the rules are; every answer is a view or a `CommandError`.

use mfa_core::helpdesk::history;
use mfa_core::helpdesk::VerificationMethod;
use mfa_core::SecretString;
use tauri::{AppHandle, Runtime, State};

use crate::command_error::CommandResult;
use crate::service::helpdesk::{self, ActionRequest, VerificationForm};
use crate::service::save_file::{save_via_dialog, SaveRequest};
use crate::state::AppState;
use crate::views::helpdesk::{
    ActionOutcomeView, CallerSummaryView, CallerView, HelpdeskSessionView, HelpdeskStatusView,
    HistoryView,
};
use crate::views::SavedView;

#[tauri::command]
pub async fn helpdesk_status(state: State<'_, AppState>) -> CommandResult<HelpdeskStatusView> {
    helpdesk::status(&state).await
}

/// The one-time paste of the helpdesk application's secret. It arrives as a secret and is
/// never sent back.
#[tauri::command]
pub async fn helpdesk_store_secret(
    state: State<'_, AppState>,
    secret: String,
) -> CommandResult<()> {
    helpdesk::store_secret(&state, SecretString::from(secret)).await
}

#[tauri::command]
pub async fn helpdesk_begin<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<HelpdeskSessionView> {
    helpdesk::begin(&app, &state).await
}

#[tauri::command]
pub async fn helpdesk_end(state: State<'_, AppState>) -> CommandResult<()> {
    helpdesk::end(&state).await;
    Ok(())
}

#[tauri::command]
pub async fn helpdesk_find(
    state: State<'_, AppState>,
    email: String,
) -> CommandResult<Vec<CallerSummaryView>> {
    helpdesk::find(&state, &email).await
}

#[tauri::command]
pub async fn helpdesk_open_caller(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<CallerView> {
    helpdesk::open(&state, &user_id).await
}

#[tauri::command]
pub async fn helpdesk_verify_caller(
    state: State<'_, AppState>,
    user_id: String,
    method: VerificationMethod,
    detail: String,
    reason: String,
    ticket: String,
) -> CommandResult<CallerView> {
    let form = VerificationForm {
        method,
        detail,
        reason,
        ticket,
    };
    helpdesk::verify(&state, &user_id, form).await
}

#[tauri::command]
pub async fn helpdesk_remove_method<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    method_id: String,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::RemoveMethod { method_id };
    helpdesk::act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_reset<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    confirmation: String,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::ResetAll { confirmation };
    helpdesk::act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_issue_recovery_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    helpdesk::act(&app, &state, &user_id, ActionRequest::IssueRecoveryCode).await
}

#[tauri::command]
pub async fn helpdesk_send_enrollment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    locale: Option<String>,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::SendEnrollmentTicket { locale };
    helpdesk::act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_forget_browsers<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    helpdesk::act(&app, &state, &user_id, ActionRequest::ForgetBrowsers).await
}

#[tauri::command]
pub async fn helpdesk_history(
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<HistoryView> {
    helpdesk::history(&state, user).await
}

/// The audit log (optionally one user's part) as CSV, where the agent chooses.
#[tauri::command]
pub async fn helpdesk_history_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<SavedView> {
    let records = helpdesk::read_history(&state, user).await?;
    let csv = history::to_csv(&records.entries);
    let file_name = history::csv_file_name(&helpdesk::today());
    let request = SaveRequest {
        file_name: &file_name,
        filter_name: "CSV",
        extension: "csv",
    };
    let saved = save_via_dialog(&app, request, csv).await?;
    Ok(SavedView { saved })
}
