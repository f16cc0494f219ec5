//! The app's side of a browser sign-in: one attempt at a time, a deadline the person sees,
//! the system browser opened from Rust (the webview has no opener permission), and the
//! session kept only once the code is redeemed. Auth0's side is `mfa_core::browser`.
//!
//! The loopback listener closes at the deadline even when nothing waits on it (the window
//! was reloaded, the webview never asked): a task started with the attempt drops it then.
//!
//! The person's own sign-in asks for the My Account API (§S5.1) and falls back to the MFA
//! API on the tenant's exact answers only: the callback's "Service not found: <aud>"
//! (`mfa_core::browser::tenant_lacks_my_account`), or a token granted without the scopes the
//! app needs (`FlowError::MyAccountScopesMissing`, read from the granted `scope`). Then the
//! MFA-API sign-in opens at once in a new browser tab (the first tab says so), and the rest of
//! this run signs in that way from the start.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use mfa_core::browser::{
    tenant_lacks_my_account, BrowserOptions, BrowserSignIn, Callback, CallbackTexts, FreshApiSignIn,
};
use mfa_core::flow::CancellationToken;
use mfa_core::model::TokenSet;
use mfa_core::secret::AuthorizationCode;
use mfa_core::{ErrorCode, FlowError};
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use tokio::time::Instant;

use super::session::SignedInSession;
use crate::command_error::{AppError, CommandResult};
use crate::state::{SignInMode, Tenant};
use crate::views::{now_secs, BrowserStartedView, BrowserWaitView};

/// How long the app waits for the browser. Auth0's hosted sign-in gives up after ten
/// minutes; five leave time for an SSO page and an MFA step, and are short enough that a
/// forgotten tab does not keep a port open for long.
pub const BROWSER_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A browser sign-in waiting for its callback.
struct Pending {
    sign_in: BrowserSignIn,
    until: Instant,
    /// Which attempt this is, so a deadline drops its own listener and no later one.
    attempt: u64,
    /// A fresh sign-in for another API (helpdesk mode's agent), not the person's own.
    fresh: bool,
}

/// What a wait for the callback ended with.
enum Waited {
    /// Boxed: a waiting sign-in is large, and `Ignored` carries nothing.
    Code(Box<Pending>, AuthorizationCode),
    /// A callback for another sign-in was refused; the wait goes on.
    Ignored,
}

/// The browser sign-in in progress (its loopback listener), between start and callback.
pub struct BrowserSignIns {
    pending: Arc<tokio::sync::Mutex<Option<Pending>>>,
    /// Cancels the attempt in progress, if any.
    wait: Mutex<CancellationToken>,
    attempts: AtomicU64,
    timeout: Duration,
    /// The tenant answered this run that it has no My Account API, or granted too little
    /// of it: the person's sign-ins go straight to the MFA API.
    mfa_api_only: AtomicBool,
    /// The person's own attempt in progress asked for the My Account API.
    attempt_my_account: AtomicBool,
    /// The texts of the person's own attempt, for a fallback sign-in's page.
    own_texts: Mutex<Option<CallbackTexts>>,
}

impl Default for BrowserSignIns {
    fn default() -> Self {
        Self::with_timeout(BROWSER_SIGN_IN_TIMEOUT)
    }
}

impl BrowserSignIns {
    /// With another deadline than [`BROWSER_SIGN_IN_TIMEOUT`] (a test build's hook).
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            pending: Arc::default(),
            wait: Mutex::default(),
            attempts: AtomicU64::new(0),
            timeout,
            mfa_api_only: AtomicBool::new(false),
            attempt_my_account: AtomicBool::new(false),
            own_texts: Mutex::default(),
        }
    }

    fn wait_slot(&self) -> MutexGuard<'_, CancellationToken> {
        self.wait.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh cancellation for a new attempt; the previous one, if any, is cancelled.
    fn start_wait(&self) -> CancellationToken {
        let token = CancellationToken::new();
        std::mem::replace(&mut *self.wait_slot(), token.clone()).cancel();
        token
    }

    /// Starts listening, then opens the tenant's sign-in page in the system browser: for
    /// the My Account API unless this run learnt the tenant has none. A previous attempt
    /// still waiting is cancelled and its port closed.
    pub async fn start<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant: &Tenant,
        texts: CallbackTexts,
    ) -> CommandResult<BrowserStartedView> {
        *self.own_texts.lock().unwrap_or_else(|p| p.into_inner()) = Some(texts.clone());
        let my_account = !self.mfa_api_only.load(Ordering::SeqCst);
        self.start_own(app, tenant, texts, my_account).await
    }

    async fn start_own<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant: &Tenant,
        texts: CallbackTexts,
        my_account: bool,
    ) -> CommandResult<BrowserStartedView> {
        let SignInMode::Browser(options) = &tenant.sign_in else {
            return Err(AppError::NotConfigured.into());
        };
        let cancel = self.start_wait();
        let mut slot = self.pending.lock().await;
        slot.take();
        let sign_in = if my_account {
            BrowserSignIn::start_my_account(&tenant.client, options, texts).await?
        } else {
            BrowserSignIn::start(&tenant.client, options, texts).await?
        };
        self.attempt_my_account.store(my_account, Ordering::SeqCst);
        self.open(app, &mut slot, sign_in, cancel, false)
    }

    /// Helpdesk mode's agent sign-in (§S6): a new sign-in with MFA for the helpdesk API, in
    /// the system browser whatever the tenant's sign-in mode (its connection and port, when
    /// IT set browser sign-in up). Redeemed by [`BrowserSignIns::wait_fresh`].
    pub async fn start_fresh<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant: &Tenant,
        fresh: FreshApiSignIn,
        texts: CallbackTexts,
    ) -> CommandResult<BrowserStartedView> {
        let options = match &tenant.sign_in {
            SignInMode::Browser(options) => options.clone(),
            _ => BrowserOptions::default(),
        };
        let cancel = self.start_wait();
        let mut slot = self.pending.lock().await;
        slot.take();
        let sign_in = BrowserSignIn::start_fresh(&tenant.client, &options, texts, fresh).await?;
        self.open(app, &mut slot, sign_in, cancel, true)
    }

    /// Opens the sign-in's address and keeps it waiting in `slot` until its deadline.
    fn open<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        slot: &mut Option<Pending>,
        sign_in: BrowserSignIn,
        cancel: CancellationToken,
        fresh: bool,
    ) -> CommandResult<BrowserStartedView> {
        if let Err(error) = app
            .opener()
            .open_url(sign_in.authorize_url().as_str(), None::<&str>)
        {
            tracing::warn!(%error, "the system browser could not be opened");
            return Err(AppError::BrowserUnavailable.into());
        }
        let until = Instant::now() + self.timeout;
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        *slot = Some(Pending {
            sign_in,
            until,
            attempt,
            fresh,
        });
        self.close_at_deadline(attempt, until, cancel);
        Ok(BrowserStartedView {
            expires_at: now_secs() + self.timeout.as_secs(),
        })
    }

    /// At `until`, drops attempt `attempt`'s listener if it still waits in the slot (a wait
    /// in progress times out by itself, and drops it then).
    fn close_at_deadline(&self, attempt: u64, until: Instant, cancel: CancellationToken) {
        let slot = self.pending.clone();
        tauri::async_runtime::spawn(async move {
            tokio::select! {
                () = tokio::time::sleep_until(until) => {}
                // Cancelled or replaced: whoever did it closed the listener.
                () = cancel.cancelled() => return,
            }
            let mut slot = slot.lock().await;
            if slot.as_ref().is_some_and(|p| p.attempt == attempt) {
                slot.take();
                tracing::info!("browser sign-in expired; its loopback port is closed");
            }
        });
    }

    /// Waits for the callback and, with a code, redeems it and keeps the session. Any failure
    /// ends the attempt (its port closes); a refused foreign callback does not. A My Account
    /// sign-in the tenant answers with "no such API" or too few scopes starts the MFA-API
    /// sign-in instead (`Restarted`), and the wait goes on.
    pub async fn wait<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant: &Tenant,
        session: &SignedInSession,
    ) -> CommandResult<BrowserWaitView> {
        let finished = match self.wait_for_code(false).await {
            Ok(Waited::Code(pending, code)) => pending.sign_in.finish(&tenant.client, &code).await,
            Ok(Waited::Ignored) => {
                return Ok(BrowserWaitView::Ignored {
                    code: ErrorCode::BrowserStateMismatch,
                })
            }
            Err(error) => Err(error),
        };
        match finished {
            Ok(signed_in) => Ok(BrowserWaitView::SignedIn(
                session.keep(tenant, signed_in).await,
            )),
            Err(error) if self.falls_back(tenant, &error) => {
                self.mfa_api_only.store(true, Ordering::SeqCst);
                tracing::info!(code = %error.code(), "no My Account API here; signing in for the MFA API");
                let texts = self
                    .own_texts
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone()
                    .ok_or(AppError::Internal)?;
                let started = self.start_own(app, tenant, texts, false).await?;
                Ok(BrowserWaitView::Restarted {
                    expires_at: started.expires_at,
                    code: error.code(),
                })
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The tenant's exact answers that send a My Account sign-in the MFA API's way.
    fn falls_back(&self, tenant: &Tenant, error: &FlowError) -> bool {
        self.attempt_my_account.load(Ordering::SeqCst)
            && (matches!(error, FlowError::MyAccountScopesMissing)
                || tenant_lacks_my_account(tenant.client.config(), error))
    }

    /// Waits for the callback of a fresh sign-in and redeems it: the tokens for its API, or
    /// `None` when a callback for another sign-in was refused (the wait may go on).
    pub async fn wait_fresh(&self, tenant: &Tenant) -> CommandResult<Option<TokenSet>> {
        match self.wait_for_code(true).await? {
            Waited::Code(pending, code) => Ok(Some(
                pending.sign_in.finish_fresh(&tenant.client, &code).await?,
            )),
            Waited::Ignored => Ok(None),
        }
    }

    /// Waits for the pending sign-in's callback; a sign-in of the other kind is not this
    /// wait's to redeem. Any failure ends the attempt (its port closes); a refused foreign
    /// callback does not.
    async fn wait_for_code(&self, fresh: bool) -> Result<Waited, FlowError> {
        let cancel = self.wait_slot().clone();
        // Taken out, not held: `cancel` and a new `start` must get through while this waits.
        let mut pending = {
            let mut slot = self.pending.lock().await;
            if slot.as_ref().is_some_and(|p| p.fresh != fresh) {
                return Err(FlowError::NothingPending);
            }
            slot.take().ok_or(FlowError::NothingPending)?
        };
        match pending.sign_in.wait(pending.until, &cancel).await? {
            Callback::Code(code) => Ok(Waited::Code(Box::new(pending), code)),
            Callback::Foreign => {
                let mut slot = self.pending.lock().await;
                // Unless a new attempt started meanwhile, or its deadline passed (the deadline
                // task may have looked already), this one goes on.
                if slot.is_none() && !cancel.is_cancelled() && Instant::now() < pending.until {
                    *slot = Some(pending);
                }
                Ok(Waited::Ignored)
            }
        }
    }

    /// Ends the attempt: the wait returns `browser_sign_in_cancelled` and the port closes.
    pub async fn cancel(&self) {
        self.wait_slot().cancel();
        self.pending.lock().await.take();
    }
}
