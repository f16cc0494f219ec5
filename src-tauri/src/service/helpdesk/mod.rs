//! Helpdesk mode in the app, as a client of the helpdesk service (`mfa-desk-helpdesk`): the
//! agent's session (begun by their own fresh sign-in with MFA through the system browser,
//! ended after fifteen idle minutes, at its maximum length or when the screen locks), the
//! caller the agent has open, the verification the service recorded for them, and each
//! action. The service holds the Management API's secret and decides every rule; this
//! module holds what the desktop adds: where the state lives, the session's limits, and what
//! the webview is given. Nothing here holds a tenant-wide secret.

mod actions;
mod agent;
mod approvals;
mod caller;
mod caller_code;
mod failure;
mod history;
mod lifetime;
mod playbook;
mod running;
mod session;

use std::sync::atomic::{AtomicBool, Ordering};

use mfa_core::helpdesk::{self, IdleTimer, Moment, IDLE_LIMIT};
use mfa_core::management::credentials;
use mfa_core::secret::SecretString;
use mfa_core::secret_store::Secrets;
use mfa_core::settings::HelpdeskService;

pub use actions::ActionRequest;
pub use caller::VerificationForm;
pub use history::today;
pub use lifetime::CHECK_EVERY;

use self::agent::ServiceAgent;
use self::session::HelpdeskSession;
use crate::command_error::{AppError, CommandResult};
use crate::state::Tenant;
use crate::views::helpdesk::{HelpdeskSessionView, HelpdeskStatusView};
use mfa_core::browser::FreshApiSignIn;
use mfa_core::model::TokenSet;

/// How helpdesk mode is set up on this computer: where the service is.
pub struct HelpdeskSetup {
    service: HelpdeskService,
    demo: bool,
}

impl HelpdeskSetup {
    /// IT's `helpdesk.service_url` and `helpdesk.api_identifier`.
    pub fn managed(service: HelpdeskService) -> Self {
        Self {
            service,
            demo: false,
        }
    }

    /// The service started beside the demo tenant (its API is the demo tenant's helpdesk API).
    pub fn demo(service_url: String) -> Self {
        Self {
            service: HelpdeskService {
                url: service_url,
                api_identifier: auth0_emulator::demo::HELPDESK_API.into(),
                max_session: helpdesk::MAX_SESSION,
            },
            demo: true,
        }
    }

    pub fn service(&self) -> &HelpdeskService {
        &self.service
    }

    pub fn is_demo(&self) -> bool {
        self.demo
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
    fn of(lapsed: &mfa_core::helpdesk::HelpdeskError) -> Self {
        match lapsed {
            mfa_core::helpdesk::HelpdeskError::SessionTooLong => Self::TooLong,
            _ => Self::Idle,
        }
    }
}

/// Helpdesk mode's part of the app state.
pub struct Helpdesk {
    setup: HelpdeskSetup,
    /// The signed-in agent's session; never held while the MFA session's lock is taken.
    session: tokio::sync::Mutex<Option<HelpdeskSession>>,
    /// A session ended holding a caller's code not handed over (see `caller_code`).
    code_ended: AtomicBool,
    /// Each session's number and, once it ended, why (see `lifetime`).
    ends: tokio::sync::watch::Sender<(u64, Option<SessionEnd>)>,
    /// The app's one HTTP client.
    http: reqwest::Client,
}

impl Helpdesk {
    pub fn new(setup: HelpdeskSetup, http: reqwest::Client) -> Self {
        Self {
            setup,
            session: tokio::sync::Mutex::new(None),
            code_ended: AtomicBool::new(false),
            ends: tokio::sync::watch::Sender::new((0, None)),
            http,
        }
    }

    /// At start: the helpdesk application's secret an earlier version kept in the keyring is
    /// deleted; only the helpdesk service holds it now. A keyring that refuses is logged and
    /// tried again at the next start.
    pub async fn forget_legacy_secret(secrets: &Secrets, tenant: &Tenant) {
        let entry = credentials::keyring_entry(&tenant.domain);
        match secrets.delete(&entry).await {
            Ok(()) => tracing::debug!("no helpdesk application secret left in the keyring"),
            Err(error) => {
                tracing::warn!(code = %error.code(), "could not delete an old helpdesk secret")
            }
        }
    }

    /// Whether the agent has a session, and until when.
    pub async fn status(&self) -> HelpdeskStatusView {
        let session = match self.session.lock().await.as_ref() {
            Some(session) if session.is_live() => Some(session.view()),
            _ => None,
        };
        HelpdeskStatusView {
            demo: self.setup.is_demo(),
            session,
        }
    }

    /// What the agent's browser sign-in for the helpdesk API asks for.
    pub fn agent_sign_in(&self) -> FreshApiSignIn {
        agent::fresh_sign_in(self.setup.service())
    }

    /// After the agent's fresh sign-in: a new helpdesk session, or, for the same agent whose
    /// sign-in ran out, the same session carried on (the caller open, the verification and a
    /// code not handed over all kept). The token stays in memory only.
    pub async fn admit_agent(&self, tokens: TokenSet) -> CommandResult<HelpdeskSessionView> {
        let admitted = match ServiceAgent::admit(tokens).and_then(|agent| {
            let client = agent.client(self.setup.service(), self.http.clone())?;
            Ok((agent, client))
        }) {
            // The service's own checks (the MFA claim, the sign-in's age), asked once now
            // rather than at the agent's first lookup.
            Ok((agent, client)) => match client.me().await {
                Ok(_) => Ok((agent, client)),
                Err(refused) => Err(refused.into()),
            },
            Err(refused) => Err(refused),
        };
        let mut slot = self.session.lock().await;
        // Whoever signs in, a refused sign-in leaves nobody signed in behind it.
        let (agent, client) = match admitted {
            Ok(admitted) => admitted,
            Err(refused) => {
                self.close(&mut slot, SessionEnd::Ended);
                return Err(refused);
            }
        };
        if let Some(session) = slot.as_mut().filter(|s| s.is_live()) {
            if session.agent().sub() == agent.sub() {
                session.renew(agent, client);
                tracing::info!("helpdesk agent signed in again; the session carries on");
                return Ok(session.view());
            }
        }
        self.close(&mut slot, SessionEnd::Ended);
        let idle = crate::test_hooks::helpdesk_idle_limit().unwrap_or(IDLE_LIMIT);
        let limits = IdleTimer::with_limits(Moment::now(), idle, self.setup.service().max_session);
        let session = HelpdeskSession::new(agent, client, limits);
        let view = session.view();
        tracing::info!(agent = %view.agent, "helpdesk session started");
        *slot = Some(session);
        self.code_ended.store(false, Ordering::Relaxed);
        self.ends.send_modify(|(number, why)| {
            *number += 1;
            *why = None;
        });
        Ok(view)
    }

    /// Ends the helpdesk session (and with it a caller's code not handed over).
    pub async fn end(&self) {
        self.close(&mut *self.session.lock().await, SessionEnd::Ended);
    }

    /// Drops the session in `slot`, if any, noting whether a caller's code went with it.
    fn close(&self, slot: &mut Option<HelpdeskSession>, why: SessionEnd) {
        let Some(mut session) = slot.take() else {
            return;
        };
        self.forget_code(&mut session);
        self.ends.send_modify(|(_, ended)| *ended = Some(why));
        tracing::info!(why = ?why, "helpdesk session ended");
    }

    /// A caller's code not handed over leaves memory, and a copy left on the clipboard too.
    fn forget_code(&self, session: &mut HelpdeskSession) {
        if let Some(issued) = session.issued.take() {
            self.code_ended.store(true, Ordering::Relaxed);
            let code = issued.pending().code.expose().to_owned();
            super::clipboard::clear_if_holding(SecretString::from(code));
        }
    }

    /// Runs `f` on the live session, counting it as activity. A session past its idle limit
    /// or its length is dropped here, whatever the screen shows; a sign-in that ran out asks
    /// for a new one and keeps the session, but not a caller's code.
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
        if session.agent().expired() {
            // The screen stays for the agent's new sign-in; a caller's code does not.
            self.forget_code(session);
            return Err(AppError::HelpdeskSignInExpired.into());
        }
        f(session).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_service_is_for_the_demo_tenants_helpdesk_api() {
        let demo = HelpdeskSetup::demo("http://127.0.0.1:8710".into());
        assert!(demo.is_demo());
        assert_eq!(demo.service().url, "http://127.0.0.1:8710");
        assert_eq!(
            demo.service().api_identifier,
            "https://helpdesk.mfa-desk.example/"
        );
    }
}
