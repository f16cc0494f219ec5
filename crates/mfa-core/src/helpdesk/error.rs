//! Everything helpdesk mode can refuse or fail with, each variant mapped to one [`ErrorCode`].

use crate::audit::AuditError;
use crate::error::{ErrorCode, RetryAt};
use crate::management::{ManagementError, ManagementInputError};

#[derive(Debug, thiserror::Error)]
pub enum HelpdeskError {
    /// The signed-in person is not on IT's list of agents.
    #[error("this account is not a helpdesk agent")]
    NotAnAgent,
    /// The tenant has not verified the agent's email, so a domain or address match proves
    /// nothing (anyone could sign up with `someone@helpdesk.example`).
    #[error("the agent's email address is not verified")]
    AgentEmailUnverified,
    /// No ID token with an email came back from the sign-in (the scope lacks `openid email`).
    #[error("the sign-in did not say who the agent is")]
    AgentIdentityUnknown,
    /// Fifteen minutes went by without an action: the agent signs in again.
    #[error("the helpdesk session ended after a period without activity")]
    SessionExpired,
    /// The session reached its maximum length (eight hours unless IT set less).
    #[error("the helpdesk session reached its maximum length")]
    SessionTooLong,
    /// An action was asked for before the caller's identity was recorded as verified.
    #[error("verify the caller before changing their account")]
    CallerNotVerified,
    /// The typed confirmation of a reset does not match the user's email.
    #[error("the typed confirmation does not match the user's email")]
    ConfirmationMismatch,
    /// An enrollment link can only go to an email address on file.
    #[error("the user has no email address to send the link to")]
    NoEmailOnFile,
    #[error(transparent)]
    Input(#[from] ManagementInputError),
    #[error(transparent)]
    Management(#[from] ManagementError),
    /// The audit log could not be opened, so nothing was sent.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl HelpdeskError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotAnAgent => ErrorCode::NotAHelpdeskAgent,
            Self::AgentEmailUnverified => ErrorCode::AgentEmailUnverified,
            Self::AgentIdentityUnknown => ErrorCode::AgentIdentityUnknown,
            Self::SessionExpired => ErrorCode::HelpdeskSessionExpired,
            Self::SessionTooLong => ErrorCode::HelpdeskSessionTooLong,
            Self::CallerNotVerified => ErrorCode::CallerNotVerified,
            Self::ConfirmationMismatch => ErrorCode::ResetConfirmationMismatch,
            Self::NoEmailOnFile => ErrorCode::CallerHasNoEmail,
            Self::Input(e) => e.code(),
            Self::Management(e) => e.code(),
            Self::Audit(e) => e.code(),
        }
    }

    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::Management(e) => e.retry_at(),
            _ => None,
        }
    }

    /// The change may have been made although no answer came back: the agent checks the
    /// caller's methods before trying again.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Management(e) if e.outcome_unknown())
    }

    /// The Management API scopes IT must grant, when that is what went wrong.
    pub fn missing_scopes(&self) -> &[String] {
        match self {
            Self::Management(ManagementError::InsufficientScope { scopes }) => scopes,
            _ => &[],
        }
    }
}
