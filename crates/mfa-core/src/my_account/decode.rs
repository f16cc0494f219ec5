//! How the My Account API's refusals become an [`ApiError`] (§S5.4): RFC 7807-style bodies
//! `{"type":"…/A0E-<status>-<nnnn>","title","detail","status","validation_errors"?}`. The
//! `A0E` suffixes are not a closed set, so the decision keys on the status and, where one
//! status covers two situations, on what the body says.

use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::error::ApiError;
use crate::transport::{retry_at, snippet, FromAnswer, TransportFailure};

/// Verify's answer before Guardian has confirmed a push enrollment (the emulator's reading of
/// §S5.3, where the live wording is unrecorded).
const PUSH_NOT_CONFIRMED: &str = "The enrollment has not been confirmed on the device yet.";

/// Which call an error answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MeCall {
    List,
    Enroll,
    Verify,
    Update,
    Delete,
    Factors,
}

#[derive(Deserialize, Default)]
struct Problem {
    #[serde(default)]
    detail: String,
    #[serde(default)]
    validation_errors: Vec<ValidationError>,
}

#[derive(Deserialize)]
struct ValidationError {
    #[serde(default)]
    pointer: Option<String>,
    #[serde(default)]
    detail: String,
}

/// An [`ApiError`] read from a My Account answer (the transport's decoders are chosen by
/// type, and the Authentication API's already is `ApiError`'s).
pub(crate) struct MeError(pub ApiError);

impl FromAnswer for MeError {
    type Call = MeCall;
    const API: &'static str = "my-account";

    fn from_failure(failure: TransportFailure) -> Self {
        Self(match failure {
            TransportFailure::Connect(detail) => ApiError::Connect(detail),
            TransportFailure::Lost(detail) => ApiError::ConnectionLost(detail),
            TransportFailure::Timeout => ApiError::Timeout,
        })
    }

    fn from_answer(call: MeCall, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        Self(decode(call, status, headers, body))
    }

    fn unreadable(status: u16, detail: String) -> Self {
        Self(ApiError::UnexpectedResponse { status, detail })
    }
}

fn decode(call: MeCall, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let problem: Problem = serde_json::from_slice(body).unwrap_or_default();
    let pointer = problem
        .validation_errors
        .first()
        .and_then(|v| v.pointer.as_deref())
        .unwrap_or_default();
    match status {
        // §S5.1: a tenant that has not activated the API answers every path with this 404.
        404 if problem.detail.starts_with("The requested resource ") => {
            ApiError::MyAccountUnavailable
        }
        404 => ApiError::NotFound,
        400 if call == MeCall::Verify && pointer == "/otp_code" => ApiError::WrongOtp,
        // A push enrollment Guardian has not confirmed yet (§S5.3 UNCONFIRMED wording).
        400 if call == MeCall::Verify && problem.detail == PUSH_NOT_CONFIRMED => {
            ApiError::AuthorizationPending
        }
        // The enrollment's `auth_session` expired or was used: start again.
        400 if call == MeCall::Verify && pointer == "/auth_session" => ApiError::CodeExpired,
        400 => ApiError::InvalidRequest {
            description: problem
                .validation_errors
                .first()
                .map(|v| format!("{pointer}: {}", v.detail))
                .unwrap_or(problem.detail),
        },
        401 => ApiError::Unauthorized,
        403 => ApiError::InsufficientScope,
        429 => ApiError::RateLimited {
            retry_at: retry_at(headers),
        },
        500..=599 => ApiError::Server { status },
        _ => ApiError::UnexpectedResponse {
            status,
            detail: snippet(body),
        },
    }
}
