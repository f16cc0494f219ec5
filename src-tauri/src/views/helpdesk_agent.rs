//! The agent signed in to the helpdesk service: who, what the service lets them do, and when
//! their sign-in runs out (they sign in again without leaving the screen they are on).

use mfa_core::helpdesk_service::AgentSession;
use serde::Serialize;

/// Every permission of the helpdesk API, in the order the screens list them.
pub const HELPDESK_PERMISSIONS: [&str; 4] = [
    "helpdesk:read",
    "helpdesk:act",
    "helpdesk:reset",
    "helpdesk:approve",
];

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAgentView {
    /// The agent's email (their `sub` when the sign-in carried none).
    pub agent: String,
    pub permissions: Vec<PermissionView>,
    /// When the access token expires (Unix seconds).
    pub token_expires_at: u64,
}

/// One permission and whether the agent's sign-in carries it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionView {
    pub permission: &'static str,
    pub granted: bool,
}

impl ServiceAgentView {
    pub fn new(session: &AgentSession) -> Self {
        Self {
            agent: session
                .claims
                .email
                .clone()
                .unwrap_or_else(|| session.claims.sub.clone()),
            permissions: HELPDESK_PERMISSIONS
                .into_iter()
                .map(|permission| PermissionView {
                    permission,
                    granted: session.has(permission),
                })
                .collect(),
            token_expires_at: session.claims.expires_at,
        }
    }
}

/// What the wait for the agent's browser sign-in ended with: signed in, or a callback for
/// another sign-in was refused and the wait goes on.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum AgentSignInView {
    SignedIn(ServiceAgentView),
    Ignored { code: mfa_core::ErrorCode },
}
