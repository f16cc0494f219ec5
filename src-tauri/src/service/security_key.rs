//! "Add a security key or passkey" (issue 23 part 3): one ceremony at a time. Auth0's My
//! Account API gives the creation options (§S5.3), the app's WebAuthn client runs the
//! ceremony on a blocking thread (its PIN prompts wait for the person), the UI takes each
//! step through `next` and answers through `enter_pin`, `set_pin` and `cancel`, and the new
//! credential goes back to Auth0 to be verified.

use mfa_core::my_account::passkey::AttestationResponse;
use mfa_core::my_account::MyAccountClient;
use mfa_core::secret::{AccessToken, SecretString};
use mfa_core::ErrorCode;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;
use webauthn_client::{
    prompt_channel, CeremonyControl, CeremonyError, Pin, Prompt, Prompter, Registration, Waits,
};

use super::session::{refreshed_methods, SignedInSession};
use crate::command_error::{AppError, CommandResult};
use crate::state::Tenant;
use crate::views::SecurityKeyStepView;

/// The ceremony in progress, if any.
pub struct SecurityKeys {
    running: tokio::sync::Mutex<Option<Running>>,
    /// The UI's side of the running ceremony, reachable while `next` waits on `running`.
    control: std::sync::Mutex<Option<CeremonyControl>>,
    /// The shortest PIN the key takes, from its last "set a PIN" prompt.
    min_pin_length: std::sync::Mutex<usize>,
}

struct Running {
    prompts: UnboundedReceiver<Prompt>,
    outcome: JoinHandle<Result<AttestationResponse, CeremonyError>>,
    auth_session: SecretString,
    token: AccessToken,
}

impl Default for SecurityKeys {
    fn default() -> Self {
        Self {
            running: Default::default(),
            control: Default::default(),
            min_pin_length: std::sync::Mutex::new(webauthn_client::DEFAULT_MIN_PIN_LENGTH),
        }
    }
}

/// Whether to offer "Add a security key or passkey": only when this session manages
/// methods through the My Account API and the tenant's `GET /me/v1/factors` lists `passkey`
/// (the connection's passkeys on, §S5.3).
pub async fn offered(session: &SignedInSession, tenant: &Tenant) -> CommandResult<bool> {
    let Some(token) = my_account_token(session, tenant).await? else {
        return Ok(false);
    };
    let factors = MyAccountClient::new(&tenant.client).factors(&token).await?;
    Ok(factors.iter().any(|f| f.factor_type == "passkey"))
}

/// The session's My Account token: none for a password sign-in (the MFA API's session).
async fn my_account_token(
    session: &SignedInSession,
    tenant: &Tenant,
) -> CommandResult<Option<AccessToken>> {
    session
        .with(tenant, async |session, _| {
            Ok(session.my_account_token().cloned())
        })
        .await
}

impl SecurityKeys {
    /// Asks Auth0 for creation options and starts the ceremony (a running one is cancelled).
    pub async fn start(&self, session: &SignedInSession, tenant: &Tenant) -> CommandResult<()> {
        self.cancel();
        let token = my_account_token(session, tenant)
            .await?
            .ok_or(ErrorCode::MyAccountRequired)?;
        let my_account = MyAccountClient::new(&tenant.client);
        let started = my_account.start_passkey(&token).await?;
        // Auth0 keeps `excludeCredentials` to itself (§S5.3): the person's own passkeys are
        // excluded here, so that a key registered before says so instead of adding a twin.
        let exclude = my_account
            .registered_passkeys(&token)
            .await?
            .into_iter()
            .filter_map(|passkey| passkey.key_id)
            .collect();
        let waits = Waits::from_timeout_ms(started.options.timeout);
        let registration = Registration {
            options: started.options,
            exclude,
        };
        // A `next` still waiting on the cancelled ceremony holds `running` until it has seen
        // that one end and dropped its control; only then does the new ceremony start and put
        // its own control in place, which that `next` would otherwise have taken with it.
        let mut running = self.running.lock().await;
        let (control, prompter, prompts) = prompt_channel();
        let outcome = tokio::task::spawn_blocking(move || {
            authenticators::register(&registration, &prompter, waits)
        });
        *self.control.lock().unwrap_or_else(|p| p.into_inner()) = Some(control);
        *running = Some(Running {
            prompts,
            outcome,
            auth_session: started.auth_session,
            token,
        });
        Ok(())
    }

    /// The next step: a prompt, or, once the key made the credential, Auth0's confirmation.
    pub async fn next(
        &self,
        session: &SignedInSession,
        tenant: &Tenant,
    ) -> CommandResult<SecurityKeyStepView> {
        let mut guard = self.running.lock().await;
        // No ceremony (never started, or already over): nothing is being added.
        let running = guard.as_mut().ok_or(ErrorCode::SecurityKeyCancelled)?;
        if let Some(prompt) = running.prompts.recv().await {
            if let Prompt::SetPin { min_length, .. } = prompt {
                *self
                    .min_pin_length
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = min_length;
            }
            return Ok(prompt.into());
        }
        // No more prompts: the ceremony is over.
        let Running {
            outcome,
            auth_session,
            token,
            ..
        } = guard.take().ok_or(AppError::Internal)?;
        self.control
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let made = outcome.await.map_err(|_| AppError::Internal)?;
        let made = made.map_err(|error| {
            tracing::info!(code = %error.code(), "security key ceremony ended");
            error.code()
        })?;
        let method = MyAccountClient::new(&tenant.client)
            .verify_passkey(&token, &auth_session, &made)
            .await?;
        let methods = refreshed_methods(session, tenant).await?;
        Ok(SecurityKeyStepView::Done {
            method_id: method.id,
            methods,
        })
    }

    /// The key's PIN, as typed.
    pub fn enter_pin(&self, pin: String) -> CommandResult<()> {
        if pin.is_empty() {
            return Err(ErrorCode::InputEmpty.into());
        }
        self.with_control(|control| control.enter_pin(Pin::new(pin)))
    }

    /// A new PIN and its repetition, checked against the key's rules before the key is
    /// asked.
    pub fn set_pin(&self, pin: String, repeat: String) -> CommandResult<()> {
        let min_length = *self
            .min_pin_length
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let pin = Pin::new(pin);
        let repeat = Pin::new(repeat);
        pin.check_as_new(&repeat, min_length)
            .map_err(|problem| CeremonyError::NewPin(problem).code())?;
        self.with_control(|control| control.set_pin(pin))
    }

    /// Ends the ceremony wherever it is; `next` then reports it cancelled.
    pub fn cancel(&self) {
        if let Some(control) = self
            .control
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            control.cancel();
        }
    }

    fn with_control(&self, f: impl FnOnce(&CeremonyControl)) -> CommandResult<()> {
        let control = self.control.lock().unwrap_or_else(|p| p.into_inner());
        f(control.as_ref().ok_or(ErrorCode::SecurityKeyCancelled)?);
        Ok(())
    }
}

/// This computer's authenticators, or, in a test build whose test names one, the software
/// key alone (`test_hooks::security_key`).
mod authenticators {
    use super::*;

    pub fn register(
        registration: &Registration,
        prompter: &Prompter,
        waits: Waits,
    ) -> Result<AttestationResponse, CeremonyError> {
        #[cfg(all(debug_assertions, feature = "test-hooks"))]
        if let Some(keys) = crate::test_hooks::security_keys() {
            return webauthn_client::register_with(keys, registration, prompter, waits);
        }
        webauthn_client::register_here(registration, prompter, waits)
    }
}
