//! What the Management API, its token endpoint or the network can answer instead of success,
//! one variant per thing a helpdesk agent (or script) would do differently.

use crate::error_code::ErrorCode;
use crate::transport::RetryAt;

#[derive(Debug, thiserror::Error)]
pub enum ManagementError {
    #[error("the user does not exist")]
    UserNotFound,
    #[error("the user has no authentication method with this id")]
    MethodNotFound,
    /// The helpdesk application's grant lacks a scope; `scopes` are the ones Auth0 named
    /// ("Insufficient scope, expected any of: a,b"), any one of which would do.
    #[error(
        "the helpdesk application lacks the permission {}",
        scopes_text(scopes)
    )]
    InsufficientScope { scopes: Vec<String> },
    /// Wrong client id or secret (`401 access_denied "Unauthorized"`, `invalid_client`).
    #[error("the helpdesk application's client id or secret was refused")]
    BadCredentials,
    /// The client may not use client credentials, or has no grant for the Management API.
    #[error("the helpdesk application may not use the Management API: {description}")]
    NotAllowed { description: String },
    /// The Management API refused the access token itself (expired, wrong audience).
    #[error("the Management API refused the access token: {message}")]
    TokenRejected { message: String },
    #[error("too many requests to Auth0")]
    RateLimited { retry_at: RetryAt },
    /// Nothing reached Auth0: safe to repeat.
    #[error("could not connect to the tenant: {0}")]
    Connect(String),
    /// The request went out but the answer was lost: it may have been carried out.
    #[error("the connection was lost before Auth0 answered: {0}")]
    AnswerLost(String),
    #[error("Auth0 did not answer in time")]
    Timeout,
    /// A recovery-code regeneration was sent but its answer (the new code) never arrived:
    /// the user's previous code may already be dead. Never retried automatically.
    #[error("a new recovery code may have been issued, but the answer was lost")]
    RecoveryCodeAnswerLost,
    #[error("Auth0 refused the request: {message}")]
    InvalidRequest { message: String },
    #[error("Auth0 had a problem (HTTP {status})")]
    Server { status: u16 },
    #[error("unexpected answer from Auth0 (HTTP {status}): {detail}")]
    Unexpected { status: u16, detail: String },
}

fn scopes_text(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "it needs".to_owned()
    } else {
        scopes.join(" or ")
    }
}

impl ManagementError {
    /// The stable code the UI translates (`error.<code>` in the catalogues).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::UserNotFound => ErrorCode::UserNotFound,
            Self::MethodNotFound => ErrorCode::MethodNotFound,
            Self::InsufficientScope { .. } => ErrorCode::MissingScope,
            Self::BadCredentials => ErrorCode::HelpdeskCredentialsRefused,
            Self::NotAllowed { .. } => ErrorCode::HelpdeskNotAllowed,
            Self::TokenRejected { .. } => ErrorCode::ManagementTokenRejected,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Connect(_) => ErrorCode::Network,
            Self::AnswerLost(_) => ErrorCode::ConnectionLost,
            Self::Timeout => ErrorCode::Timeout,
            Self::RecoveryCodeAnswerLost => ErrorCode::RecoveryCodeAnswerLost,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::Server { .. } => ErrorCode::ServerError,
            Self::Unexpected { .. } => ErrorCode::UnexpectedResponse,
        }
    }

    /// When retrying makes sense again (Unix seconds), for rate limits.
    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::RateLimited { retry_at } => *retry_at,
            _ => None,
        }
    }

    /// True when the request may have been carried out although no answer came back.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::AnswerLost(_) | Self::Timeout | Self::RecoveryCodeAnswerLost
        )
    }
}
