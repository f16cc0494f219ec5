//! What the helpdesk service answered instead of success: its `{"code", "retryAt"?,
//! "missingScopes"?}` body in the project's [`ErrorCode`] contract, or what the network did.

use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::error_code::ErrorCode;
use crate::transport::{retry_at, snippet, FromAnswer, TransportFailure};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// The service refused with one of its codes.
    #[error("the helpdesk service refused ({code}, HTTP {status})")]
    Refused {
        status: u16,
        code: ErrorCode,
        retry_at: Option<u64>,
        missing_scopes: Vec<String>,
    },
    /// Nothing was sent: the service could not be reached.
    #[error("could not connect to the helpdesk service: {0}")]
    Connect(String),
    /// Sent, but the answer was lost: a change may have been made.
    #[error("the connection to the helpdesk service was lost: {0}")]
    Lost(String),
    #[error("the helpdesk service did not answer in time")]
    Timeout,
    #[error("the helpdesk service sent an answer this client does not understand (HTTP {status}: {detail})")]
    Unexpected { status: u16, detail: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    code: String,
    #[serde(default)]
    retry_at: Option<u64>,
    #[serde(default)]
    missing_scopes: Vec<String>,
}

impl ServiceError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Refused { code, .. } => *code,
            Self::Connect(_) => ErrorCode::Network,
            Self::Lost(_) => ErrorCode::ConnectionLost,
            Self::Timeout => ErrorCode::Timeout,
            Self::Unexpected { .. } => ErrorCode::UnexpectedResponse,
        }
    }

    /// 401: the agent must sign in again (missing, invalid, expired or stale token).
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
    }

    /// Whether a change may have been made although no success arrived.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Lost(_) | Self::Timeout)
            || matches!(
                self.code(),
                ErrorCode::OutcomeUnknown | ErrorCode::RecoveryCodeAnswerLost
            )
    }

    pub fn retry_at(&self) -> Option<u64> {
        match self {
            Self::Refused { retry_at, .. } => *retry_at,
            _ => None,
        }
    }
}

impl FromAnswer for ServiceError {
    type Call = &'static str;
    const API: &'static str = "helpdesk-service";

    fn from_failure(failure: TransportFailure) -> Self {
        match failure {
            TransportFailure::Connect(detail) => Self::Connect(detail),
            TransportFailure::Lost(detail) => Self::Lost(detail),
            TransportFailure::Timeout => Self::Timeout,
        }
    }

    fn from_answer(_call: &'static str, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let Ok(parsed) = serde_json::from_slice::<Body>(body) else {
            return Self::Unexpected {
                status,
                detail: snippet(body),
            };
        };
        // A code from a newer service is still a refusal; it reads as `unknown`.
        let code = ErrorCode::iter()
            .find(|c| c.as_str() == parsed.code)
            .unwrap_or(ErrorCode::Unknown);
        Self::Refused {
            status,
            code,
            retry_at: parsed.retry_at.or_else(|| retry_at(headers)),
            missing_scopes: parsed.missing_scopes,
        }
    }

    fn unreadable(status: u16, detail: String) -> Self {
        Self::Unexpected { status, detail }
    }
}
