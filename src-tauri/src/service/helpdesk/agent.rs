//! The agent signed in to the helpdesk service (issue 21): a fresh sign-in with MFA for the
//! helpdesk API through the system browser each time helpdesk mode opens (§S6), and the
//! access token it brought, in memory only: never in the keyring, gone when helpdesk mode
//! ends or the app closes. What the agent may do is what the token's permissions say; the
//! service checks the token, its MFA claim and each permission again on every request.

use mfa_core::browser::FreshApiSignIn;
use mfa_core::helpdesk_service::AgentSession;
use mfa_core::model::TokenSet;
use mfa_core::secret::ExposeSecret;
use mfa_core::settings::HelpdeskService;
use mfa_core::ErrorCode;

use crate::command_error::CommandResult;
use crate::views::helpdesk_agent::ServiceAgentView;

/// The oldest sign-in the helpdesk API's token may come from: the browser wait's five
/// minutes, time for the password and the MFA step (§S6 suggests 0 or 300).
pub const AGENT_SIGN_IN_MAX_AGE_SECS: u64 = 300;

/// Without this permission there is nothing an agent can do.
const READ: &str = "helpdesk:read";

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
        if !session.has(READ) {
            return Err(ErrorCode::NotAHelpdeskAgent.into());
        }
        Ok(Self { session })
    }

    pub fn view(&self) -> ServiceAgentView {
        ServiceAgentView::new(&self.session)
    }

    /// The token ran out: the agent signs in again (the screen stays).
    pub fn expired(&self) -> bool {
        self.session.expired()
    }
}
