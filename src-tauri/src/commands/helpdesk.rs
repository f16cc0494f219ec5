//! Helpdesk mode: the agent's sign-in and session, finding and opening the caller, their
//! recent events, and verifying them. Each command parses what the webview sent and calls
//! `service::helpdesk`, which goes to the helpdesk service; every answer is a view or a
//! `CommandError`. The actions, four eyes, the playbook and the history are in
//! `helpdesk_actions`.

use mfa_core::helpdesk::VerificationMethod;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::helpdesk::{self, VerificationForm};
use crate::service::screen_guard::guard_screen;
use crate::service::screen_lock;
use crate::views::helpdesk::{
    CallerSummaryView, CallerView, EventView, HelpdeskStatusView, PushView,
};
use crate::views::helpdesk_agent::AgentSignInView;
use crate::views::BrowserStartedView;
use mfa_core::browser::CallbackTexts;
use mfa_core::ErrorCode;

#[tauri::command]
pub async fn helpdesk_status(state: State<'_, AppState>) -> CommandResult<HelpdeskStatusView> {
    Ok(state.desk()?.status().await)
}

/// The agent's fresh sign-in with MFA for the helpdesk API, in the system browser: how every
/// helpdesk session begins, and how one whose sign-in ran out carries on. `texts`: the page
/// the browser shows afterwards.
#[tauri::command]
pub async fn helpdesk_agent_sign_in_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    texts: CallbackTexts,
) -> CommandResult<BrowserStartedView> {
    let fresh = state.desk()?.agent_sign_in();
    let tenant = state.config.tenant()?;
    state.browser.start_fresh(&app, tenant, fresh, texts).await
}

/// Waits for the agent's browser sign-in; the token stays in Rust's memory.
#[tauri::command]
pub async fn helpdesk_agent_sign_in_wait<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<AgentSignInView> {
    let desk = state.desk()?;
    let Some(tokens) = state.browser.wait_fresh(state.config.tenant()?).await? else {
        return Ok(AgentSignInView::Ignored {
            code: ErrorCode::BrowserStateMismatch,
        });
    };
    let before = desk.session_number();
    let view = desk.admit_agent(tokens).await?;
    if desk.session_number() != before {
        if desk.first_session() {
            end_sessions_on_screen_lock(app.clone());
        }
        watch_limits(app, desk.session_number());
    }
    Ok(AgentSignInView::SignedIn(view))
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
    state.desk()?.wait_end().await
}

/// Ends the agent's session; a caller's code not handed over goes with it.
#[tauri::command]
pub async fn helpdesk_end<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    state.desk()?.end().await;
    guard_screen(&app, state.codes.is_showing());
    Ok(())
}

/// Callers by email, or by Auth0 user id.
#[tauri::command]
pub async fn helpdesk_find(
    state: State<'_, AppState>,
    query: String,
) -> CommandResult<Vec<CallerSummaryView>> {
    state.desk()?.find(&query).await
}

#[tauri::command]
pub async fn helpdesk_open_caller(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<CallerView> {
    state.desk()?.open(&user_id).await
}

/// The open caller's events of the last 30 days, newest first.
#[tauri::command]
pub async fn helpdesk_caller_events(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<Vec<EventView>> {
    state.desk()?.events(&user_id).await
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
    state.desk()?.verify(&user_id, form).await
}

/// A push to the caller's own phone, with words the agent reads out.
#[tauri::command]
pub async fn helpdesk_verify_push(
    state: State<'_, AppState>,
    user_id: String,
    reason: String,
    ticket: String,
) -> CommandResult<PushView> {
    state
        .desk()?
        .verify_by_push(&user_id, &reason, &ticket)
        .await
}

/// Waits a while for the caller's answer to the push.
#[tauri::command]
pub async fn helpdesk_push_wait(
    state: State<'_, AppState>,
    user_id: String,
) -> CommandResult<PushView> {
    state.desk()?.push_wait(&user_id).await
}
