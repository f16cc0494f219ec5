//! Everything Auth0 or the network can answer instead of success, as one variant each.

use crate::error_code::ErrorCode;
use crate::model::MfaRequired;
pub use crate::transport::RetryAt;

/// Everything Auth0 or the network can answer instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("the account is blocked after too many failed sign-ins")]
    AccountBlocked { retry_at: RetryAt },
    #[error("multi-factor authentication is required")]
    MfaRequired(Box<MfaRequired>),
    #[error("the one-time code is wrong")]
    WrongOtp,
    #[error("the code from the message is wrong")]
    WrongBindingCode,
    #[error("the recovery code is wrong")]
    WrongRecoveryCode,
    #[error("the sign-in session (mfa_token) has expired")]
    MfaTokenExpired,
    #[error("the sign-in session (mfa_token) is not valid: {description}")]
    MfaTokenInvalid { description: String },
    #[error("the code has expired")]
    CodeExpired,
    #[error("the user already has an authenticator; verify it before adding another")]
    AlreadyEnrolled,
    #[error("the push notification has not been answered yet")]
    AuthorizationPending,
    #[error("polling too fast for the push answer")]
    SlowDown,
    #[error("the push notification was rejected")]
    PushRejected,
    #[error("none of the user's authenticators supports this kind of challenge")]
    UnsupportedChallengeType,
    #[error("the user has no authenticator yet")]
    AssociationRequired,
    #[error("this authenticator is unknown or not active")]
    InvalidAuthenticator,
    #[error("this kind of factor is not enabled on the tenant")]
    FactorNotEnabled,
    #[error("this application is not allowed to use this grant")]
    GrantNotAllowed,
    #[error("the application's credentials were refused")]
    InvalidClient,
    #[error("too many wrong codes")]
    TooManyAttempts { retry_at: RetryAt },
    #[error("too many requests")]
    RateLimited { retry_at: RetryAt },
    #[error("the token lacks a required permission")]
    InsufficientScope,
    #[error("access denied: {description}")]
    AccessDenied { description: String },
    #[error("the access token is missing, invalid or expired")]
    Unauthorized,
    #[error("not found")]
    NotFound,
    #[error("the request was refused: {description}")]
    InvalidRequest { description: String },
    #[error("Auth0 had a problem (HTTP {status})")]
    Server { status: u16 },
    #[error("Auth0 answered {status} {code}: {description}")]
    Other {
        status: u16,
        code: String,
        description: String,
    },
    /// The `authorization_code` grant refused the code: already used, expired, or not this
    /// app's (also a PKCE or `redirect_uri` mismatch, which Auth0 words differently).
    #[error("the sign-in code was refused: {description}")]
    AuthorizationCodeRejected { description: String },
    #[error("could not reach the tenant: {0}")]
    Connect(String),
    #[error("the connection was lost before an answer arrived: {0}")]
    ConnectionLost(String),
    #[error("no answer in time")]
    Timeout,
    #[error("unexpected answer (HTTP {status}): {detail}")]
    UnexpectedResponse { status: u16, detail: String },
    /// The tenant has not activated the My Account API (§S5.1: its recorded 404): use the
    /// MFA API instead.
    #[error("the tenant does not offer the My Account API")]
    MyAccountUnavailable,
}

impl ApiError {
    /// The stable code the UI translates (`error.<code>` in the catalogues).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::WrongCredentials => ErrorCode::WrongCredentials,
            Self::AccountBlocked { .. } => ErrorCode::AccountBlocked,
            Self::MfaRequired(_) => ErrorCode::MfaRequired,
            Self::WrongOtp => ErrorCode::WrongOtp,
            Self::WrongBindingCode => ErrorCode::WrongBindingCode,
            Self::WrongRecoveryCode => ErrorCode::WrongRecoveryCode,
            Self::MfaTokenExpired | Self::MfaTokenInvalid { .. } => ErrorCode::SessionExpired,
            Self::CodeExpired => ErrorCode::CodeExpired,
            Self::AlreadyEnrolled => ErrorCode::AlreadyEnrolled,
            Self::AuthorizationPending => ErrorCode::PushPending,
            Self::SlowDown => ErrorCode::PushSlowDown,
            Self::PushRejected => ErrorCode::PushRejected,
            Self::UnsupportedChallengeType => ErrorCode::UnsupportedChallengeType,
            Self::AssociationRequired => ErrorCode::AssociationRequired,
            Self::InvalidAuthenticator => ErrorCode::InvalidAuthenticator,
            Self::FactorNotEnabled => ErrorCode::FactorNotAllowed,
            Self::GrantNotAllowed => ErrorCode::GrantNotAllowed,
            Self::InvalidClient => ErrorCode::InvalidClient,
            Self::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::InsufficientScope => ErrorCode::InsufficientScope,
            Self::AccessDenied { .. } => ErrorCode::AccessDenied,
            Self::Unauthorized => ErrorCode::SessionExpired,
            Self::NotFound => ErrorCode::NotFound,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::Server { .. } => ErrorCode::ServerError,
            Self::AuthorizationCodeRejected { .. } => ErrorCode::BrowserCodeRejected,
            Self::Other { .. } => ErrorCode::Unknown,
            Self::Connect(_) => ErrorCode::Network,
            Self::ConnectionLost(_) => ErrorCode::ConnectionLost,
            Self::Timeout => ErrorCode::Timeout,
            Self::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
            Self::MyAccountUnavailable => ErrorCode::MyAccountUnavailable,
        }
    }

    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::AccountBlocked { retry_at }
            | Self::TooManyAttempts { retry_at }
            | Self::RateLimited { retry_at } => *retry_at,
            _ => None,
        }
    }

    /// True when the request may have reached Auth0 and been acted on although no answer came
    /// back. For a recovery-code sign-in this means the code may already be used up.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::ConnectionLost(_) | Self::Timeout)
    }

    /// True when the person has to sign in again (the short-lived MFA session is gone).
    pub fn needs_new_sign_in(&self) -> bool {
        matches!(
            self,
            Self::MfaTokenExpired | Self::MfaTokenInvalid { .. } | Self::Unauthorized
        )
    }
}
