//! Who is calling: the agent's access token for the helpdesk API, checked against the
//! tenant's keys, issuer, audience, lifetime, MFA claim, sign-in age and the permission each
//! endpoint needs.

use serde::{Deserialize, Serialize};

/// The helpdesk API's permissions (RBAC, §S1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Look callers, their methods, events and the audit up.
    #[serde(rename = "helpdesk:read")]
    Read,
    /// Verify callers and change their accounts.
    #[serde(rename = "helpdesk:act")]
    Act,
    /// A full reset.
    #[serde(rename = "helpdesk:reset")]
    Reset,
    /// Approve another agent's request.
    #[serde(rename = "helpdesk:approve")]
    Approve,
}

impl Permission {
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Read, Self::Act, Self::Reset, Self::Approve]
            .into_iter()
            .find(|p| p.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        use mfa_core::helpdesk_service::permission;
        match self {
            Self::Read => permission::READ,
            Self::Act => permission::ACT,
            Self::Reset => permission::RESET,
            Self::Approve => permission::APPROVE,
        }
    }
}

mod jwks;
mod token;

pub use jwks::{Jwks, JwksError};
pub use token::{Agent, AuthError, Authenticator};
