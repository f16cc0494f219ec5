//! Every answer other than success, in the project's `ErrorCode` contract: `{"code": "…"}`
//! (plus `retryAt` and `missingScopes` where they apply), the same shape the desktop app's
//! commands use, so the client looks each code up in the same catalogues.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mfa_core::helpdesk::HelpdeskError;
use mfa_core::management::{ManagementError, ManagementInputError};
use mfa_core::ErrorCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthError;
use crate::store::StoreError;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// A stable code (`caller_not_verified`); the client words it in the agent's language.
    #[schema(value_type = String)]
    pub code: ErrorCode,
    /// Unix seconds after which retrying makes sense (rate limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
    /// The Management API scopes IT must grant the service (for `missing_scope`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_scopes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: u16, code: ErrorCode) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: ErrorBody {
                code,
                retry_at: None,
                missing_scopes: Vec::new(),
            },
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    pub fn bad_request(code: ErrorCode) -> Self {
        Self::new(400, code)
    }

    pub fn forbidden(code: ErrorCode) -> Self {
        Self::new(403, code)
    }

    pub fn conflict(code: ErrorCode) -> Self {
        Self::new(409, code)
    }

    pub fn not_found() -> Self {
        Self::new(404, ErrorCode::NotFound)
    }

    pub fn internal() -> Self {
        Self::new(500, ErrorCode::ServerError)
    }

    pub fn rate_limited(retry_at: Option<u64>) -> Self {
        let mut error = Self::new(429, ErrorCode::RateLimited);
        error.body.retry_at = retry_at;
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(&self.body)).into_response();
        if let Some(at) = self.body.retry_at {
            let now = crate::store::now_ms() as u64 / 1000;
            let wait = at.saturating_sub(now).max(1);
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let mut error = Self::new(e.status(), e.code());
        // Which permission the agent's sign-in lacks, for the screen to name.
        if let AuthError::Permission(permission) = e {
            error.body.missing_scopes = vec![permission.as_str().to_owned()];
        }
        error
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "database");
        Self::new(503, ErrorCode::ServerError)
    }
}

impl From<ManagementInputError> for ApiError {
    fn from(e: ManagementInputError) -> Self {
        Self::bad_request(e.code())
    }
}

impl From<ManagementError> for ApiError {
    fn from(e: ManagementError) -> Self {
        let status = match &e {
            ManagementError::UserNotFound | ManagementError::MethodNotFound => 404,
            ManagementError::RateLimited { .. } => 429,
            ManagementError::InvalidRequest { .. } => 400,
            _ => 502,
        };
        let code = match &e {
            ManagementError::RecoveryCodeAnswerLost => ErrorCode::RecoveryCodeAnswerLost,
            other if other.outcome_unknown() => ErrorCode::OutcomeUnknown,
            other => other.code(),
        };
        let mut error = Self::new(status, code);
        error.body.retry_at = e.retry_at();
        if let ManagementError::InsufficientScope { scopes } = e {
            error.body.missing_scopes = scopes;
        }
        error
    }
}

impl From<HelpdeskError> for ApiError {
    fn from(e: HelpdeskError) -> Self {
        match e {
            HelpdeskError::Management(m) => m.into(),
            HelpdeskError::Input(i) => i.into(),
            other => Self::new(422, other.code()),
        }
    }
}
