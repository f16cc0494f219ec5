//! Helpdesk mode: the entry screen, the agent's session, the caller, the actions and the
//! history. Each command parses what the webview sent and calls `service::helpdesk`, where
//! the rules are; every answer is a view or a `CommandError`.

use mfa_core::helpdesk::{history, VerificationMethod};
use mfa_core::{ErrorCode, SecretString};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::helpdesk::{self, ActionRequest, Helpdesk, VerificationForm};
use crate::service::save_file::{save_via_dialog, SaveRequest};
use crate::service::screen_guard::guard_screen;
use crate::service::screen_lock;
use crate::views::helpdesk::{
    ActionOutcomeView, CallerSummaryView, CallerView, HelpdeskSessionView, HelpdeskStatusView,
    HistoryView,
};
use crate::views::helpdesk_agent::AgentSignInView;
use crate::views::{BrowserStartedView, SavedView};
use mfa_core::browser::CallbackTexts;

/// Helpdesk mode, when IT turned it on (or in demo mode).
fn desk(state: &AppState) -> CommandResult<&Helpdesk> {
    state
        .helpdesk
        .as_ref()
        .ok_or_else(|| ErrorCode::HelpdeskNotConfigured.into())
}

async fn act<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    user_id: &str,
    request: ActionRequest,
) -> CommandResult<ActionOutcomeView> {
    let domain = &state.config.tenant()?.domain;
    desk(state)?.act(app, domain, user_id, request).await
}

#[tauri::command]
pub async fn helpdesk_status(state: State<'_, AppState>) -> CommandResult<HelpdeskStatusView> {
    desk(&state)?.status(state.config.tenant()?).await
}

/// The one-time paste of the helpdesk application's secret. It arrives as a secret and is
/// never sent back.
#[tauri::command]
pub async fn helpdesk_store_secret(
    state: State<'_, AppState>,
    secret: String,
) -> CommandResult<()> {
    let secret = SecretString::from(secret);
    desk(&state)?
        .store_secret(state.config.tenant()?, secret)
        .await
}

/// Helpdesk mode through the service: the agent's fresh sign-in with MFA for the helpdesk API,
/// in the system browser. `texts`: the page the browser shows afterwards.
#[tauri::command]
pub async fn helpdesk_agent_sign_in_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    texts: CallbackTexts,
) -> CommandResult<BrowserStartedView> {
    let fresh = desk(&state)?.agent_sign_in()?;
    let tenant = state.config.tenant()?;
    state.browser.start_fresh(&app, tenant, fresh, texts).await
}

/// Waits for the agent's browser sign-in; the token stays in Rust's memory.
#[tauri::command]
pub async fn helpdesk_agent_sign_in_wait(
    state: State<'_, AppState>,
) -> CommandResult<AgentSignInView> {
    let desk = desk(&state)?;
    match state.browser.wait_fresh(state.config.tenant()?).await? {
        Some(tokens) => Ok(AgentSignInView::SignedIn(desk.admit_agent(tokens).await?)),
        None => Ok(AgentSignInView::Ignored {
            code: ErrorCode::BrowserStateMismatch,
        }),
    }
}

#[tauri::command]
pub async fn helpdesk_begin<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<HelpdeskSessionView> {
    let tenant = state.config.tenant()?;
    let helpdesk = desk(&state)?;
    let view = helpdesk.begin(tenant, &state.session).await?;
    if helpdesk.first_session() {
        end_sessions_on_screen_lock(app.clone());
    }
    watch_limits(app, helpdesk.session_number());
    Ok(view)
}

/// From the first helpdesk session on, locking the screen ends the session in progress
/// (`service::screen_lock`). Nobody else's app listens: most people never use helpdesk mode.
fn end_sessions_on_screen_lock<R: Runtime>(app: AppHandle<R>) {
    screen_lock::on_lock(move || {
        let app = app.clone();
        async move {
            let state = app.state::<AppState>();
            if let Some(helpdesk) = &state.helpdesk {
                helpdesk.screen_locked().await;
                guard_screen(&app, state.codes.is_showing());
            }
        }
    });
}

/// Ends session `number` when its idle limit or maximum length passes, whether or not
/// anything is clicked (`service::helpdesk::lifetime`).
fn watch_limits<R: Runtime>(app: AppHandle<R>, number: u64) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(helpdesk::CHECK_EVERY).await;
            let state = app.state::<AppState>();
            let Some(desk) = &state.helpdesk else { return };
            if !desk.check_limits(number).await {
                guard_screen(&app, state.codes.is_showing());
                return;
            }
        }
    });
}

/// Answers when the agent's session ends: nothing when they ended it, else why (idle, too
/// long, screen locked), so the screen is cleared even when nothing is clicked.
#[tauri::command]
pub async fn helpdesk_wait_end(state: State<'_, AppState>) -> CommandResult<()> {
    desk(&state)?.wait_end().await
}

/// Ends the agent's session; a caller's code not handed over goes with it.
#[tauri::command]
pub async fn helpdesk_end<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    desk(&state)?.end(&state.session).await;
    guard_screen(&app, state.codes.is_showing());
    Ok(())
}

#[tauri::command]
pub async fn helpdesk_find(
    state: State<'_, AppState>,
    email: String,
) -> CommandResult<Vec<CallerSummaryView>> {
    desk(&state)?.find(&email).await
}

#[tauri::command]
pub async fn helpdesk_open_caller(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<CallerView> {
    desk(&state)?.open(&user_id).await
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
    desk(&state)?.verify(&user_id, form).await
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
    let request = ActionRequest::ResetAll { confirmation };
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
pub async fn helpdesk_history(
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<HistoryView> {
    desk(&state)?.history(user).await
}

/// The audit log (optionally one user's part) as CSV, where the agent chooses.
#[tauri::command]
pub async fn helpdesk_history_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    user: Option<String>,
) -> CommandResult<SavedView> {
    let records = desk(&state)?.read_history(user).await?;
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
