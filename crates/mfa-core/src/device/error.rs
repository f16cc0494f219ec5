//! How a device sign-in ends without tokens, decoded from Auth0's answers (§S2.2, §S2.3).

use reqwest::header::HeaderMap;

use crate::error_code::ErrorCode;
use crate::transport::{retry_at, snippet, ErrorBody, FromAnswer, RetryAt, TransportFailure};

/// Which call an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceCall {
    Start,
    Poll,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceFlowError {
    /// `authorization_pending`: not an end; [`super::DeviceFlowClient::poll`] answers
    /// `Poll::Pending` instead.
    #[error("the sign-in is not confirmed yet")]
    AuthorizationPending,
    /// `slow_down`: not an end either (`Poll::SlowDown`).
    #[error("polling too fast")]
    SlowDown,
    /// `expired_token` (sent once), `invalid_grant` after it, or the codes' lifetime passed.
    #[error("the code expired before the sign-in was confirmed")]
    Expired,
    /// `access_denied`: the person pressed Cancel, or a rule refused the sign-in.
    #[error("the sign-in was refused")]
    Denied,
    /// The tenant does not allow this application the device flow (`unauthorized_client`).
    #[error("this application may not use the device sign-in: {0}")]
    NotAllowed(String),
    /// Any other refusal (`invalid_request`, an unknown audience, …).
    #[error("the tenant refused the device sign-in: {0}")]
    Refused(String),
    #[error("the tenant is limiting the rate of requests")]
    RateLimited { retry_at: RetryAt },
    #[error("could not connect to the tenant: {0}")]
    Connect(String),
    #[error("the connection was lost: {0}")]
    Lost(String),
    #[error("the tenant did not answer in time")]
    Timeout,
    #[error("unexpected answer (HTTP {status}): {detail}")]
    Unexpected { status: u16, detail: String },
}

impl DeviceFlowError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::AuthorizationPending => ErrorCode::PushPending,
            Self::SlowDown => ErrorCode::PushSlowDown,
            Self::Expired => ErrorCode::CodeExpired,
            Self::Denied => ErrorCode::AccessDenied,
            Self::NotAllowed(_) => ErrorCode::GrantNotAllowed,
            Self::Refused(_) => ErrorCode::InvalidRequest,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Connect(_) => ErrorCode::Network,
            Self::Lost(_) => ErrorCode::ConnectionLost,
            Self::Timeout => ErrorCode::Timeout,
            Self::Unexpected { .. } => ErrorCode::UnexpectedResponse,
        }
    }
}

impl FromAnswer for DeviceFlowError {
    type Call = DeviceCall;
    const API: &'static str = "device";

    fn from_failure(failure: TransportFailure) -> Self {
        match failure {
            TransportFailure::Connect(detail) => Self::Connect(detail),
            TransportFailure::Lost(detail) => Self::Lost(detail),
            TransportFailure::Timeout => Self::Timeout,
        }
    }

    fn from_answer(call: DeviceCall, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let parsed = ErrorBody::parse(body);
        let code = parsed.as_ref().and_then(|b| b.code()).unwrap_or_default();
        let description = parsed
            .as_ref()
            .map(ErrorBody::description)
            .unwrap_or_default();
        // §S2.3: Auth0 answers the poll with 403 and 429 where RFC 8628 says 400; the
        // `error` decides, whatever the status.
        match (call, code) {
            (DeviceCall::Poll, "authorization_pending") => Self::AuthorizationPending,
            (DeviceCall::Poll, "slow_down") => Self::SlowDown,
            (DeviceCall::Poll, "expired_token" | "invalid_grant") => Self::Expired,
            (DeviceCall::Poll, "access_denied") => Self::Denied,
            (_, "unauthorized_client") => Self::NotAllowed(description),
            _ if status == 429 => Self::RateLimited {
                retry_at: retry_at(headers),
            },
            _ if status >= 500 || code.is_empty() => Self::Unexpected {
                status,
                detail: snippet(body),
            },
            _ => Self::Refused(if description.is_empty() {
                code.to_owned()
            } else {
                description
            }),
        }
    }

    fn unreadable(status: u16, detail: String) -> Self {
        Self::Unexpected { status, detail }
    }
}
