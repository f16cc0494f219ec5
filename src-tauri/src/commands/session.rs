//! Start-up state, sign-in and sign-out.

use mfa_core::flow::MfaSession;
use tauri::{AppHandle, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::screen_guard::guard_screen;
use crate::views::session::SignedInView;
use crate::views::{AppStateView, SignInView};

/// Everything the UI needs at start-up. A recovery code that was never confirmed (the app
/// crashed or was closed while showing it) comes back here, before anything else.
#[tauri::command]
pub async fn app_state<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<AppStateView> {
    state.codes.load_pending().await;
    guard_screen(&app, state.codes.is_showing());
    let mut view = AppStateView::new(
        &state.config,
        state.demo.is_some(),
        state.helpdesk.is_some(),
    );
    view.pending_recovery_code = state.codes.shown();
    view.signed_in = state
        .session
        .account()
        .await
        .map(|account| SignedInView { account });
    Ok(view)
}

/// The webview painted its first screen: logged once for the start-up benchmark
/// (`scripts/bench-startup`) and for anyone wondering why a start felt slow. `marks` is the
/// page's own trace (`performance` marks and resource timings, milliseconds since the page's
/// navigation began), logged beside it as it came.
#[tauri::command]
pub fn first_screen_shown(marks: Option<Vec<(String, f64)>>) {
    static SHOWN: std::sync::Once = std::sync::Once::new();
    SHOWN.call_once(|| {
        let trace = marks
            .unwrap_or_default()
            .iter()
            .take(MAX_MARKS)
            .map(|(name, at)| format!("{}={at:.0}", name.chars().take(40).collect::<String>()))
            .collect::<Vec<_>>()
            .join(" ");
        tracing::info!(
            since_start_ms = crate::start_clock::since_start_ms(),
            page = %trace,
            "first screen interactive"
        );
    });
}

/// The page sends a few dozen marks; more would only make the log line unreadable.
const MAX_MARKS: usize = 80;

#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CommandResult<SignInView> {
    let tenant = state.config.tenant()?;
    let session = MfaSession::sign_in_as(
        &tenant.client,
        tenant.sign_in_identifier,
        &username,
        password,
    )
    .await?;
    Ok(state.session.keep(tenant, session).await)
}

/// Forgets the session. Tokens only ever lived in memory; a recovery code the person has
/// not confirmed stays in the keyring on purpose: losing it would lock them out. A helpdesk
/// session ends too, and a caller's code with it.
#[tauri::command]
pub async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    if let Some(helpdesk) = &state.helpdesk {
        helpdesk.end().await;
    }
    state.session.end().await;
    state.browser.cancel().await;
    guard_screen(&app, state.codes.is_showing());
    Ok(())
}
