//! The My Account API's RFC 7807-style error bodies (§S5.4):
//! `{"type":"https://auth0.com/api-errors/A0E-<status>-<nnnn>","title","detail","status"}`,
//! with `validation_errors` on a refused body.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One entry of `validation_errors`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationError {
    pub detail: String,
    pub pointer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub detail: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub validation_errors: Vec<ValidationError>,
    /// The error's Content-Type: `application/json` as MYACC-OAS declares, or
    /// `application/problem+json` (UNCONFIRMED, a tenant setting).
    #[serde(skip)]
    pub content_type: &'static str,
}

pub type MeResult<T> = Result<T, Problem>;

impl Problem {
    /// `A0E-<status>-<code>`. The suffixes are not a closed set (§S5.4); the ones the spec
    /// quotes are used where it quotes them.
    pub fn new(status: u16, code: u16, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("https://auth0.com/api-errors/A0E-{status}-{code:04}"),
            title,
            detail: detail.into(),
            status,
            validation_errors: Vec::new(),
            content_type: "application/json",
        }
    }

    /// §S5.4 (SWIFT fixture): `A0E-400-0003` "Validation Error".
    pub fn validation(pointer: &str, detail: impl Into<String>) -> Self {
        let mut p = Problem::new(400, 3, "Validation Error", "Invalid request payload input");
        p.validation_errors.push(ValidationError {
            detail: detail.into(),
            pointer: pointer.to_owned(),
        });
        p
    }

    /// §S5.4 (SWIFT): a missing or unknown token.
    pub fn unauthorized() -> Self {
        Problem::new(401, 1, "Unauthorized", "Missing or invalid token.")
    }

    /// §S5.4 (3P): a token that is expired or not for this API.
    pub fn invalid_token(detail: &str) -> Self {
        Problem::new(401, 3, "Invalid Token", detail)
    }

    /// ASSUMPTION: the suffix of a missing scope is unrecorded.
    pub fn insufficient_scope(scope: &str) -> Self {
        Problem::new(
            403,
            1,
            "Forbidden",
            format!("Insufficient scope; expected: {scope}"),
        )
    }

    /// §S5.1: what a tenant without the API answers, and an unknown method.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(404, 1, "Not Found", detail)
    }

    /// ASSUMPTION: the suffix of a wrong Content-Type is unrecorded.
    pub fn unsupported_media_type() -> Self {
        Problem::new(
            415,
            1,
            "Unsupported Media Type",
            "Content-Type must be application/json.",
        )
    }

    pub fn with_content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        response
    }
}
