//! Helpdesk mode in the app: the agent's session (admitted after their own MFA sign-in, ended
//! after fifteen idle minutes), the helpdesk application's secret (keyring only, pasted once
//! by IT), the caller the agent has open and the verification recorded for them, and each
//! action with its audit line. The rules themselves are `mfa_core::helpdesk`'s; this module
//! holds what the desktop app adds: where the state lives, the keyring off the async runtime,
//! and what the webview is given.

mod actions;
mod agent;
mod caller;
mod caller_code;
mod history;
mod lifetime;
mod session;

use std::sync::atomic::{AtomicBool, Ordering};

use mfa_core::audit::{AuditError, AuditLog};
use mfa_core::helpdesk::{self, HelpdeskError, IdleTimer, Moment, IDLE_LIMIT};
use mfa_core::management::{credentials, ManagementClient};
use mfa_core::secret::{ExposeSecret, SecretString};
use mfa_core::secret_store::Secrets;
use mfa_core::settings::{Agent, HelpdeskMode, HelpdeskService};
use mfa_core::{ErrorCode, TenantConfig};

pub use actions::ActionRequest;
pub use caller::VerificationForm;
pub use history::today;
pub use lifetime::CHECK_EVERY;

use self::agent::ServiceAgent;
use self::session::HelpdeskSession;
use super::session::SignedInSession;
use crate::command_error::{AppError, CommandError, CommandResult};
use crate::state::Tenant;
use crate::views::helpdesk::{HelpdeskSessionView, HelpdeskStatusView};
use crate::views::helpdesk_agent::ServiceAgentView;
use mfa_core::browser::FreshApiSignIn;
use mfa_core::model::TokenSet;

/// A pasted secret longer than this is not a client secret (Auth0's are 64 characters).
const MAX_SECRET_LEN: usize = 512;

impl From<HelpdeskError> for CommandError {
    fn from(error: HelpdeskError) -> Self {
        tracing::info!(code = %error.code(), "helpdesk action refused or failed");
        let scopes = error.missing_scopes().to_vec();
        let mut command_error = CommandError::with_retry(error.code(), error.retry_at());
        command_error.missing_scopes = scopes;
        command_error.outcome_unknown = error.outcome_unknown();
        command_error
    }
}

/// How helpdesk mode is set up on this computer.
pub struct HelpdeskSetup {
    pub mode: HelpdeskMode,
    secret: SecretSource,
    /// The helpdesk service agents sign in to, when IT (or `--helpdesk-service` in the demo)
    /// named one. The agent's sign-in goes there; the caller screens still act with the
    /// helpdesk application's secret until they move to the service (issue 21), so that
    /// secret is kept, and can be pasted, until then.
    service: Option<HelpdeskService>,
}

enum SecretSource {
    /// The demo tenant's helpdesk application, whose secret is public.
    Demo,
    /// The OS keyring entry `<domain>/helpdesk-client-secret`, put there by IT.
    Keyring,
}

impl HelpdeskSetup {
    /// IT's `helpdesk` section.
    pub fn managed(mode: HelpdeskMode, service: Option<HelpdeskService>) -> Self {
        Self {
            mode,
            secret: SecretSource::Keyring,
            service,
        }
    }

    /// The demo tenant's helpdesk application and agent, and the service started beside the
    /// demo tenant, if any (its API is the demo tenant's helpdesk API).
    pub fn demo(service_url: Option<String>) -> Self {
        use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_API, HELPDESK_CLIENT_ID};
        Self {
            mode: HelpdeskMode {
                management_client_id: HELPDESK_CLIENT_ID.into(),
                agents: vec![Agent::Email(HELPDESK_AGENT.into())],
                max_session: helpdesk::MAX_SESSION,
            },
            secret: SecretSource::Demo,
            service: service_url.map(|url| HelpdeskService {
                url,
                api_identifier: HELPDESK_API.into(),
            }),
        }
    }

    /// Where the helpdesk service is, when helpdesk mode goes through one.
    pub fn service(&self) -> Option<&HelpdeskService> {
        self.service.as_ref()
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.secret, SecretSource::Demo)
    }
}

/// Why a helpdesk session ended, for the log and for the screen left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The agent ended it, or signed out.
    Ended,
    /// Fifteen minutes without an action.
    Idle,
    /// Its maximum length (eight hours, or IT's `max_session_minutes`).
    TooLong,
    /// The screen was locked.
    ScreenLocked,
}

impl SessionEnd {
    fn of(lapsed: &HelpdeskError) -> Self {
        match lapsed {
            HelpdeskError::SessionTooLong => Self::TooLong,
            _ => Self::Idle,
        }
    }
}

/// Helpdesk mode's part of the app state.
pub struct Helpdesk {
    setup: HelpdeskSetup,
    /// The admitted agent's session; never held while the MFA session's lock is taken.
    session: tokio::sync::Mutex<Option<HelpdeskSession>>,
    /// The agent signed in to the helpdesk service, when helpdesk mode goes through one.
    agent: tokio::sync::Mutex<Option<ServiceAgent>>,
    /// A session ended holding a caller's code not handed over (see `caller_code`).
    code_ended: AtomicBool,
    /// Each session's number and, once it ended, why (see `lifetime`).
    ends: tokio::sync::watch::Sender<(u64, Option<SessionEnd>)>,
    /// Where each action's audit line goes; `None` when the platform has no data folder
    /// (every action is then refused, never taken unrecorded).
    audit: Option<AuditLog>,
    secrets: Secrets,
}

impl Helpdesk {
    pub fn new(setup: HelpdeskSetup, secrets: Secrets, audit: Option<AuditLog>) -> Self {
        Self {
            setup,
            session: tokio::sync::Mutex::new(None),
            agent: tokio::sync::Mutex::new(None),
            code_ended: AtomicBool::new(false),
            ends: tokio::sync::watch::Sender::new((0, None)),
            audit,
            secrets,
        }
    }

    fn audit(&self) -> Result<&AuditLog, HelpdeskError> {
        self.audit
            .as_ref()
            .ok_or(HelpdeskError::from(AuditError::NoDataDir))
    }

    /// The helpdesk application's secret, if this computer has it (read on a blocking thread).
    async fn read_secret(&self, tenant: &Tenant) -> CommandResult<Option<SecretString>> {
        if self.setup.is_demo() {
            return Ok(Some(SecretString::from(
                auth0_emulator::demo::HELPDESK_CLIENT_SECRET.to_owned(),
            )));
        }
        let entry = credentials::keyring_entry(&tenant.domain);
        Ok(self.secrets.get(&entry).await?)
    }

    /// A Management API client for the helpdesk application, on the app's HTTP client.
    fn management_client(
        &self,
        tenant: &Tenant,
        secret: SecretString,
    ) -> CommandResult<ManagementClient> {
        let config = TenantConfig::new(
            tenant.client.config().base_url.as_str(),
            self.setup.mode.management_client_id.clone(),
        )
        .map_err(|_| ErrorCode::HelpdeskNotConfigured)?;
        Ok(ManagementClient::with_http(
            tenant.client.http().clone(),
            &config,
            secret,
        ))
    }

    /// Whether helpdesk mode is on, whether this computer has its secret, and the agent
    /// signed in.
    pub async fn status(&self, tenant: &Tenant) -> CommandResult<HelpdeskStatusView> {
        let secret_stored = self.read_secret(tenant).await?.is_some();
        let (agent, idle_expires_at) = match self.session.lock().await.as_ref() {
            Some(session) if session.is_live() => (
                Some(session.agent_email().to_owned()),
                Some(session.idle_expires_at()),
            ),
            _ => (None, None),
        };
        let service_agent = self
            .agent
            .lock()
            .await
            .as_ref()
            .filter(|agent| !agent.expired())
            .map(ServiceAgent::view);
        Ok(HelpdeskStatusView {
            demo: self.setup.is_demo(),
            secret_stored,
            agent,
            idle_expires_at,
            through_service: self.setup.service.is_some(),
            service_agent,
        })
    }

    /// What the agent's browser sign-in for the helpdesk API asks for; only with a service.
    pub fn agent_sign_in(&self) -> CommandResult<FreshApiSignIn> {
        let service = self
            .setup
            .service
            .as_ref()
            .ok_or(ErrorCode::HelpdeskNotConfigured)?;
        Ok(agent::fresh_sign_in(service))
    }

    /// After the agent's fresh sign-in: admitted on the token's permissions, the token kept
    /// in memory only. Whoever was signed in before is signed out first, admitted or not.
    pub async fn admit_agent(&self, tokens: TokenSet) -> CommandResult<ServiceAgentView> {
        let mut slot = self.agent.lock().await;
        slot.take();
        let agent = ServiceAgent::admit(tokens)?;
        let view = agent.view();
        tracing::info!(agent = %view.agent, "helpdesk agent signed in to the service");
        *slot = Some(agent);
        Ok(view)
    }

    /// IT pastes the helpdesk application's secret once. It is tried against the tenant
    /// first (a refused secret is not kept), then written to the keyring only: never to a
    /// file, never shown again, never sent to the webview.
    pub async fn store_secret(&self, tenant: &Tenant, pasted: SecretString) -> CommandResult<()> {
        if self.setup.is_demo() {
            return Err(AppError::NotOffered.into());
        }
        let text = pasted.expose_secret().trim();
        if text.is_empty() {
            return Err(ErrorCode::InputEmpty.into());
        }
        if text.chars().count() > MAX_SECRET_LEN {
            return Err(ErrorCode::InputTooLong.into());
        }
        if text.chars().any(char::is_control) {
            return Err(ErrorCode::InputControlCharacters.into());
        }
        let secret = SecretString::from(text.to_owned());
        drop(pasted);
        let client = self.management_client(tenant, secret.clone())?;
        client.granted_scopes().await.map_err(HelpdeskError::from)?;
        let entry = credentials::keyring_entry(&tenant.domain);
        self.secrets.set(&entry, &secret).await?;
        tracing::info!("helpdesk application secret stored in the keyring");
        Ok(())
    }

    /// After the agent's own sign-in and MFA: admits them (the ID token's verified email
    /// against IT's list) and connects the helpdesk application. The agent's own MFA session
    /// is used up either way: helpdesk mode needs nothing from it but who they are. No code
    /// issued in an earlier session comes back: a caller's code lives and dies with the
    /// session that issued it.
    pub async fn begin(
        &self,
        tenant: &Tenant,
        signed_in: &SignedInSession,
    ) -> CommandResult<HelpdeskSessionView> {
        let mfa = signed_in.take().await.ok_or(AppError::NotSignedIn)?;
        let tokens = mfa.tokens().ok_or(AppError::NotSignedIn)?;
        let agent = helpdesk::admit(&self.setup.mode, tokens)?;
        drop(mfa);
        let secret = self
            .read_secret(tenant)
            .await?
            .ok_or(ErrorCode::HelpdeskSecretMissing)?;
        let client = self.management_client(tenant, secret)?;
        let scopes = client.granted_scopes().await.map_err(HelpdeskError::from)?;
        tracing::info!(agent = agent.email(), "helpdesk session started");
        let idle = crate::test_hooks::helpdesk_idle_limit().unwrap_or(IDLE_LIMIT);
        let limits = IdleTimer::with_limits(Moment::now(), idle, self.setup.mode.max_session);
        let session = HelpdeskSession::new(agent, client, scopes, limits);
        let view = session.view();
        let mut slot = self.session.lock().await;
        self.close(&mut slot, SessionEnd::Ended);
        *slot = Some(session);
        self.code_ended.store(false, Ordering::Relaxed);
        self.ends.send_modify(|(number, why)| {
            *number += 1;
            *why = None;
        });
        Ok(view)
    }

    /// Ends the helpdesk session (and with it a caller's code not handed over), and any MFA
    /// session left over.
    pub async fn end(&self, signed_in: &SignedInSession) {
        self.close(&mut *self.session.lock().await, SessionEnd::Ended);
        self.agent.lock().await.take();
        signed_in.end().await;
    }

    /// Drops the session in `slot`, if any, noting whether a caller's code went with it.
    fn close(&self, slot: &mut Option<HelpdeskSession>, why: SessionEnd) {
        let Some(session) = slot.take() else {
            return;
        };
        if let Some(issued) = &session.issued {
            self.code_ended.store(true, Ordering::Relaxed);
            // A copy left on the clipboard goes with the session.
            let code = issued.pending().code.expose().to_owned();
            super::clipboard::clear_if_holding(SecretString::from(code));
        }
        self.ends.send_modify(|(_, ended)| *ended = Some(why));
        tracing::info!(agent = session.agent_email(), why = ?why, "helpdesk session ended");
    }

    /// Runs `f` on the live session, counting it as activity. A session idle for fifteen
    /// minutes is dropped here, whatever the screen shows.
    async fn with_session<T>(
        &self,
        f: impl AsyncFnOnce(&mut HelpdeskSession) -> CommandResult<T>,
    ) -> CommandResult<T> {
        let mut guard = self.session.lock().await;
        let session = guard.as_mut().ok_or(AppError::NotSignedIn)?;
        if let Err(lapsed) = session.touch() {
            self.close(&mut guard, SessionEnd::of(&lapsed));
            return Err(lapsed.into());
        }
        f(session).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_setup_admits_the_demo_agent_only() {
        let demo = HelpdeskSetup::demo(None);
        assert!(demo.is_demo());
        assert_eq!(demo.service(), None);
        assert!(demo.mode.admits("Helpdesk@Example.com"));
        assert!(!demo.mode.admits("enrolled@example.com"));
        assert_eq!(demo.mode.management_client_id, "mfa-desk-helpdesk");
    }

    #[test]
    fn the_demo_service_is_for_the_demo_tenants_helpdesk_api() {
        let demo = HelpdeskSetup::demo(Some("http://127.0.0.1:8710".into()));
        let service = demo.service().expect("a service");
        assert_eq!(service.url, "http://127.0.0.1:8710");
        assert_eq!(service.api_identifier, "https://helpdesk.mfa-desk.example/");
    }
}
