//! The app's side of a browser sign-in: one attempt at a time, a deadline the person sees,
//! the system browser opened from Rust (the webview has no opener permission), and the
//! session kept only once the code is redeemed. Auth0's side is `mfa_core::browser`.

use std::time::Duration;

use mfa_core::browser::{BrowserSignIn, Callback, CallbackTexts};
use mfa_core::{ErrorCode, FlowError};
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use tokio::time::Instant;

use crate::command_error::{AppError, CommandResult};
use crate::service::session::forget_legacy_refresh_token;
use crate::state::{AppState, SignInMode};
use crate::views::{now_secs, SignInView};

/// How long the app waits for the browser. Auth0's hosted sign-in gives up after ten
/// minutes; five leave time for an SSO page and an MFA step, and are short enough that a
/// forgotten tab does not keep a port open for long.
pub const BROWSER_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A browser sign-in waiting for its callback.
pub struct Pending {
    sign_in: BrowserSignIn,
    until: Instant,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrowserStartedView {
    /// When the app stops waiting (seconds since the epoch), for the countdown.
    pub expires_at: u64,
}

/// What a wait ended with: signed in, or a callback for another sign-in was refused and the
/// person should hear of it while the wait goes on.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum BrowserWaitView {
    SignedIn(SignInView),
    Ignored { code: ErrorCode },
}

/// Starts listening, then opens the tenant's sign-in page in the system browser. A previous
/// attempt still waiting is cancelled and its port closed.
pub async fn start<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    texts: CallbackTexts,
) -> CommandResult<BrowserStartedView> {
    let tenant = state.tenant()?;
    let SignInMode::Browser(options) = &tenant.sign_in else {
        return Err(AppError::NotConfigured.into());
    };
    state.start_browser_wait();
    let mut slot = state.browser_sign_in.lock().await;
    slot.take();
    let sign_in = BrowserSignIn::start(&tenant.client, options, texts).await?;
    if let Err(error) = app
        .opener()
        .open_url(sign_in.authorize_url().as_str(), None::<&str>)
    {
        tracing::warn!(%error, "the system browser could not be opened");
        return Err(AppError::BrowserUnavailable.into());
    }
    *slot = Some(Pending {
        sign_in,
        until: Instant::now() + BROWSER_SIGN_IN_TIMEOUT,
    });
    Ok(BrowserStartedView {
        expires_at: now_secs() + BROWSER_SIGN_IN_TIMEOUT.as_secs(),
    })
}

/// Waits for the callback and, with a code, redeems it and keeps the session. Any failure
/// ends the attempt (its port closes); a refused foreign callback does not.
pub async fn wait(state: &AppState) -> CommandResult<BrowserWaitView> {
    let cancel = state.browser_wait();
    // Taken out, not held: `cancel` and a new `start` must get through while this waits.
    let mut pending = state
        .browser_sign_in
        .lock()
        .await
        .take()
        .ok_or(FlowError::NothingPending)?;
    let code = match pending.sign_in.wait(pending.until, &cancel).await? {
        Callback::Code(code) => code,
        Callback::Foreign => {
            let mut slot = state.browser_sign_in.lock().await;
            // Unless a new attempt started meanwhile, this one goes on.
            if slot.is_none() && !cancel.is_cancelled() {
                *slot = Some(pending);
            }
            return Ok(BrowserWaitView::Ignored {
                code: ErrorCode::BrowserStateMismatch,
            });
        }
    };
    let client = &state.tenant()?.client;
    let session = pending.sign_in.finish(client, &code).await?;
    let view = SignInView::new(&session);
    *state.session.lock().await = Some(session);
    forget_legacy_refresh_token(state, &view.account).await;
    Ok(BrowserWaitView::SignedIn(view))
}

/// Ends the attempt: the wait returns `browser_sign_in_cancelled` and the port closes.
pub async fn cancel(state: &AppState) {
    state.browser_wait().cancel();
    state.browser_sign_in.lock().await.take();
}
