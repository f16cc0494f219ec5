//! The signed-in session: the one place that keeps it, hands it to a flow, drops it when
//! Auth0 says the short-lived MFA session is over, and decides what every successful
//! verification leads to. The enrollment or challenge in progress lives inside the
//! `MfaSession` itself (`mfa_core::flow`), so there is only ever one.

use std::sync::Mutex;

use mfa_core::flow::{CancellationToken, EnrollRequest, MfaSession};
use mfa_core::secret_store::{refresh_token_key, Secrets};
use mfa_core::{Auth0Client, FlowError, SecretString};
use tauri::{AppHandle, Runtime};

use super::recovery_code::RecoveryCodes;
use super::screen_guard;
use crate::command_error::{AppError, CommandResult};
use crate::state::Tenant;
use crate::views::{ConfirmedView, MethodsView, SignInView};

/// The signed-in person's MFA session and the push wait in progress.
pub struct SignedInSession {
    mfa: tokio::sync::Mutex<Option<MfaSession>>,
    /// Cancels the push wait in progress, if any.
    push_wait: Mutex<CancellationToken>,
    secrets: Secrets,
}

impl SignedInSession {
    pub fn new(secrets: Secrets) -> Self {
        Self {
            mfa: tokio::sync::Mutex::new(None),
            push_wait: Mutex::default(),
            secrets,
        }
    }

    /// Runs `f` on the signed-in session. When Auth0 says the short-lived MFA session is
    /// over, the session is dropped so the UI returns to sign-in.
    pub async fn with<T>(
        &self,
        tenant: &Tenant,
        f: impl AsyncFnOnce(&mut MfaSession, &Auth0Client) -> Result<T, FlowError>,
    ) -> CommandResult<T> {
        let mut guard = self.mfa.lock().await;
        let session = guard.as_mut().ok_or(AppError::NotSignedIn)?;
        match f(session, &tenant.client).await {
            Ok(value) => Ok(value),
            Err(FlowError::Api(error)) if error.needs_new_sign_in() => {
                *guard = None;
                Err(FlowError::Api(error).into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Keeps a new session (replacing any other) and says where it goes next.
    pub async fn keep(&self, tenant: &Tenant, session: MfaSession) -> SignInView {
        let view = SignInView::new(&session, &tenant.factors);
        *self.mfa.lock().await = Some(session);
        self.forget_legacy_refresh_token(tenant, &view.account)
            .await;
        view
    }

    /// Takes the session out (helpdesk mode uses an agent's sign-in once, then drops it).
    pub async fn take(&self) -> Option<MfaSession> {
        self.mfa.lock().await.take()
    }

    /// Who is signed in, if anyone.
    pub async fn account(&self) -> Option<String> {
        self.mfa
            .lock()
            .await
            .as_ref()
            .map(|s| s.account().to_owned())
    }

    /// The enrollment in progress, for "send again" and "call me instead".
    pub async fn pending_enrollment(&self) -> CommandResult<EnrollRequest> {
        let guard = self.mfa.lock().await;
        let enrollment = guard.as_ref().and_then(|s| s.pending_enrollment().cloned());
        Ok(enrollment.ok_or(FlowError::NothingPending)?)
    }

    /// The authenticator-app key of the enrollment in progress, for its Copy button.
    pub async fn pending_otp_secret(&self) -> CommandResult<SecretString> {
        let guard = self.mfa.lock().await;
        let secret = guard.as_ref().and_then(|s| s.pending_otp_secret().cloned());
        Ok(secret.ok_or(FlowError::NothingPending)?)
    }

    /// A fresh cancellation for a new push wait; the previous one, if any, is cancelled.
    pub fn start_push_wait(&self) -> CancellationToken {
        let token = CancellationToken::new();
        let previous = std::mem::replace(&mut *self.push_wait_slot(), token.clone());
        previous.cancel();
        token
    }

    pub fn cancel_push_wait(&self) {
        self.push_wait_slot().cancel();
    }

    fn push_wait_slot(&self) -> std::sync::MutexGuard<'_, CancellationToken> {
        self.push_wait.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Signs out: the session (and with it the enrollment in progress) is dropped and a push
    /// wait stops. Tokens only ever lived in memory.
    pub async fn end(&self) {
        self.cancel_push_wait();
        self.mfa.lock().await.take();
    }

    /// Earlier versions kept a refresh token for the MFA API in the keyring. It bought
    /// nothing and let whoever sits at an unlocked desktop remove authenticators without MFA:
    /// the first sign-in of each account removes it. (The keyring cannot list entries, so
    /// this cannot happen before anyone signs in.)
    async fn forget_legacy_refresh_token(&self, tenant: &Tenant, account: &str) {
        let key = refresh_token_key(&tenant.keyring_namespace, account);
        if let Err(error) = self.secrets.delete(&key).await {
            tracing::warn!(code = %error.code(), "old refresh token not removed");
        }
    }
}

/// The person's authenticators, fetched again.
pub async fn refreshed_methods(
    session: &SignedInSession,
    tenant: &Tenant,
) -> CommandResult<MethodsView> {
    session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.refresh_authenticators(client).await?;
            Ok(MethodsView::new(session))
        })
        .await
}

/// What every successful enrollment or verification leads to: the refreshed list, and the
/// recovery code to export when this was the first enrollment.
pub async fn after_verification<R: Runtime>(
    app: &AppHandle<R>,
    session: &SignedInSession,
    tenant: &Tenant,
    codes: &RecoveryCodes,
) -> CommandResult<ConfirmedView> {
    let methods = refreshed_methods(session, tenant).await?;
    let recovery_code = codes.shown();
    screen_guard::guard_screen(app, codes.is_showing());
    Ok(ConfirmedView {
        recovery_code,
        methods,
    })
}
