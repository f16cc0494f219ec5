//! What the wait for the agent's browser sign-in ended with.

use serde::Serialize;

use super::helpdesk::HelpdeskSessionView;

/// Signed in (the helpdesk session begun or carried on), or a callback for another sign-in
/// was refused and the wait goes on.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum AgentSignInView {
    SignedIn(HelpdeskSessionView),
    Ignored { code: mfa_core::ErrorCode },
}
