//! The agent signed in to the helpdesk service: a fresh sign-in with MFA for the helpdesk API
//! through the system browser each time helpdesk mode opens (§S6), and the access token it
//! brought, in memory only: never in the keyring, gone when helpdesk mode ends or the app
//! closes. What the agent may do is what the token's permissions say; the service checks the
//! token, its MFA claim and each permission again on every request.

use mfa_core::browser::FreshApiSignIn;
use mfa_core::helpdesk_service::{permission, AgentSession, ServiceClient};
use mfa_core::model::TokenSet;
use mfa_core::secret::ExposeSecret;
use mfa_core::settings::HelpdeskService;
use mfa_core::ErrorCode;

use crate::command_error::CommandResult;

/// The oldest sign-in the helpdesk API's token may come from: the browser wait's five
/// minutes, time for the password and the MFA step (§S6 suggests 0 or 300).
pub const AGENT_SIGN_IN_MAX_AGE_SECS: u64 = 300;

/// What the agent's browser sign-in asks for.
pub fn fresh_sign_in(service: &HelpdeskService) -> FreshApiSignIn {
    FreshApiSignIn {
        audience: service.api_identifier.clone(),
        max_age_secs: AGENT_SIGN_IN_MAX_AGE_SECS,
    }
}

/// A signed-in agent.
pub(super) struct ServiceAgent {
    session: AgentSession,
}

impl ServiceAgent {
    /// The agent `tokens` prove, when they may use helpdesk mode at all.
    pub fn admit(tokens: TokenSet) -> CommandResult<Self> {
        let email = tokens
            .id_token
            .as_ref()
            .and_then(|token| AgentSession::id_token_email(token.expose_secret()));
        let session = AgentSession::from_tokens(tokens.access_token, email)
            .ok_or(ErrorCode::AgentIdentityUnknown)?;
        if !session.has(permission::READ) {
            return Err(ErrorCode::NotAHelpdeskAgent.into());
        }
        Ok(Self { session })
    }

    /// The service, as this agent, on the app's HTTP client.
    pub fn client(
        &self,
        service: &HelpdeskService,
        http: reqwest::Client,
    ) -> CommandResult<ServiceClient> {
        ServiceClient::with_http(http, &service.url, self.session.token.clone())
            .map_err(|_| ErrorCode::HelpdeskNotConfigured.into())
    }

    pub fn sub(&self) -> &str {
        &self.session.claims.sub
    }

    /// Their email, or their `sub` when the sign-in carried none.
    pub fn name(&self) -> &str {
        self.session
            .claims
            .email
            .as_deref()
            .unwrap_or(&self.session.claims.sub)
    }

    pub fn has(&self, permission: &str) -> bool {
        self.session.has(permission)
    }

    pub fn expires_at(&self) -> u64 {
        self.session.claims.expires_at
    }

    /// The token ran out: the agent signs in again (the screen stays).
    pub fn expired(&self) -> bool {
        self.session.expired()
    }
}
