//! Helpdesk mode's changes to the open caller's account, four eyes, the stolen-phone
//! playbook and the history. Each command parses what the webview sent and calls
//! `service::helpdesk`; the helpdesk service decides.

use mfa_core::helpdesk::history;
use mfa_core::helpdesk_service::FinalStep;
use tauri::{AppHandle, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::helpdesk::{self, ActionRequest};
use crate::service::save_file::{save_via_dialog, SaveRequest};
use crate::views::helpdesk::{ActionOutcomeView, ApprovalView, HistoryView, PlaybookView};
use crate::views::SavedView;

async fn act<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    user_id: &str,
    request: ActionRequest,
) -> CommandResult<ActionOutcomeView> {
    let domain = &state.config.tenant()?.domain;
    state.desk()?.act(app, domain, user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_remove_method<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    method_id: String,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::RemoveMethod { method_id };
    act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_reset<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    confirmation: String,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::Reset { confirmation };
    act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_issue_recovery_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    act(&app, &state, &user_id, ActionRequest::IssueRecoveryCode).await
}

#[tauri::command]
pub async fn helpdesk_send_enrollment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
    locale: Option<String>,
) -> CommandResult<ActionOutcomeView> {
    let request = ActionRequest::SendEnrollmentTicket { locale };
    act(&app, &state, &user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_forget_browsers<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    act(&app, &state, &user_id, ActionRequest::ForgetBrowsers).await
}

#[tauri::command]
pub async fn helpdesk_end_sessions<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    act(&app, &state, &user_id, ActionRequest::EndSessions).await
}

#[tauri::command]
pub async fn helpdesk_unblock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<ActionOutcomeView> {
    act(&app, &state, &user_id, ActionRequest::Unblock).await
}

/// The requests waiting for an approver (the agent needs `helpdesk:approve`).
#[tauri::command]
pub async fn helpdesk_approvals(state: State<'_, AppState>) -> CommandResult<Vec<ApprovalView>> {
    state.desk()?.approvals().await
}

/// The requesting agent waits a while for the decision on their request.
#[tauri::command]
pub async fn helpdesk_approval_wait(
    state: State<'_, AppState>,
    approval_id: String,
) -> CommandResult<ApprovalView> {
    state.desk()?.approval_wait(&approval_id).await
}

#[tauri::command]
pub async fn helpdesk_approve(
    state: State<'_, AppState>,
    approval_id: String,
) -> CommandResult<ApprovalView> {
    state.desk()?.approve(&approval_id).await
}

#[tauri::command]
pub async fn helpdesk_refuse(
    state: State<'_, AppState>,
    approval_id: String,
    reason: String,
) -> CommandResult<ApprovalView> {
    state.desk()?.refuse(&approval_id, &reason).await
}

/// "Their phone was stolen": the plan for the open caller (one in progress carries on).
#[tauri::command]
pub async fn helpdesk_playbook_plan(
    state: State<'_, AppState>,
    user_id: String,
    then: FinalStep,
) -> CommandResult<PlaybookView> {
    state.desk()?.playbook_plan(&user_id, then).await
}

/// Runs the playbook's next step not done.
#[tauri::command]
pub async fn helpdesk_playbook_step<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<PlaybookView> {
    let domain = &state.config.tenant()?.domain;
    state.desk()?.playbook_step(&app, domain, &user_id).await
}

#[tauri::command]
pub async fn helpdesk_playbook_cancel(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<()> {
    state.desk()?.playbook_cancel(&user_id).await
}

/// Every agent's audit trail from the service (optionally about one caller).
#[tauri::command]
pub async fn helpdesk_history(
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<HistoryView> {
    state.desk()?.history(user).await
}

/// The same rows as CSV, where the agent chooses.
#[tauri::command]
pub async fn helpdesk_history_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<crate::views::SavedView> {
    let csv = state.desk()?.history_csv(user).await?;
    let file_name = history::csv_file_name(&helpdesk::today());
    let request = SaveRequest {
        file_name: &file_name,
        filter_name: "CSV",
        extension: "csv",
    };
    let saved = save_via_dialog(&app, request, csv).await?;
    Ok(SavedView { saved })
}
