//! What a flow could not do: a refused input, an Auth0 answer, or a step of its own.

use crate::error::api::{ApiError, RetryAt};
use crate::error::browser::BrowserError;
use crate::error_code::ErrorCode;
use crate::input::InputError;

/// What a flow could not do.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A recovery-code sign-in was sent but no answer came back: Auth0 may have used the code
    /// and rotated it, and retrying could only fail. The person must not be left guessing.
    #[error("the recovery code may have been used, but the answer was lost")]
    RecoveryOutcomeUnknown,
    #[error("this step needs a verified sign-in first")]
    VerificationRequired,
    #[error("there is nothing to confirm: start again")]
    NothingPending,
    #[error("this kind of factor is not offered here")]
    FactorNotOffered,
    #[error("waiting for the push answer was cancelled")]
    Cancelled,
    #[error("Auth0's answer lacked {0}")]
    Incomplete(&'static str),
    #[error(transparent)]
    Browser(#[from] BrowserError),
    /// After a browser sign-in there is no `mfa_token`, and this tenant does not accept the
    /// MFA-API access token in its place to confirm a new authenticator (spec §2.4,
    /// unconfirmed). The unconfirmed authenticator was removed again.
    #[error("the tenant does not let an access token confirm a new authenticator")]
    ConfirmationNeedsMfaToken,
    /// Renaming a method, its phone's channel or a new recovery code at will take the My
    /// Account API (§S5.2, §S5.3); this session manages methods through the MFA API, which
    /// has no such calls.
    #[error("this needs the My Account API")]
    MyAccountRequired,
    /// A My Account token granted without the scopes the app needs (§S5.1: requested ∩
    /// client grant): the sign-in goes the MFA API's way instead.
    #[error("the My Account API token lacks the scopes to manage methods")]
    MyAccountScopesMissing,
}

impl FlowError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Input(e) => e.code(),
            Self::Api(e) => e.code(),
            Self::RecoveryOutcomeUnknown => ErrorCode::RecoveryOutcomeUnknown,
            Self::VerificationRequired => ErrorCode::VerificationRequired,
            Self::NothingPending => ErrorCode::NoPendingCode,
            Self::FactorNotOffered => ErrorCode::FactorNotAllowed,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::Incomplete(_) => ErrorCode::UnexpectedResponse,
            Self::Browser(e) => e.code(),
            Self::ConfirmationNeedsMfaToken => ErrorCode::EnrollConfirmUnsupported,
            Self::MyAccountRequired => ErrorCode::MyAccountRequired,
            Self::MyAccountScopesMissing => ErrorCode::MyAccountScopesMissing,
        }
    }

    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::Api(e) => e.retry_at(),
            _ => None,
        }
    }
}
