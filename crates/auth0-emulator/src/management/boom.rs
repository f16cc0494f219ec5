//! The Management API's error bodies: Boom-style
//! `{"statusCode","error","message"[,"errorCode"]}` (spec §1.4, §12.3).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::errors::{apply_rate_limit_headers, json_response, RateLimitHeaders};

#[derive(Debug, Clone, Serialize)]
pub struct Attributes {
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Boom {
    #[serde(rename = "statusCode")]
    pub status_code: u16,
    /// The HTTP reason phrase.
    pub error: &'static str,
    pub message: String,
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'static str>,
    /// JWT validation failures repeat the message here (the one recorded
    /// expired-token body does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
    #[serde(skip)]
    pub rate_limit: Option<RateLimitHeaders>,
}

impl Boom {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        Boom {
            status_code: status,
            error: reason,
            message: message.into(),
            error_code: None,
            attributes: None,
            rate_limit: None,
        }
    }

    pub fn code(mut self, error_code: &'static str) -> Self {
        self.error_code = Some(error_code);
        self
    }

    /// A 401 from JWT validation.
    pub fn jwt(message: &str) -> Self {
        let mut b = Boom::new(401, message);
        b.attributes = Some(Attributes {
            error: message.to_owned(),
        });
        b
    }

    pub fn insufficient_scope(scopes: &[&str]) -> Self {
        Boom::new(
            403,
            format!("Insufficient scope, expected any of: {}", scopes.join(",")),
        )
        .code("insufficient_scope")
    }

    pub fn no_user() -> Self {
        Boom::new(404, "The user does not exist.").code("inexistent_user")
    }

    pub fn no_method() -> Self {
        Boom::new(404, "The authentication method could not be found.")
    }

    /// ASSUMPTION: validation messages follow Auth0's
    /// "Query validation error: '…' on property …" pattern.
    pub fn bad_query(problem: &str, property: &str) -> Self {
        Boom::new(
            400,
            format!("Query validation error: '{problem}' on property {property}."),
        )
        .code("invalid_query_string")
    }

    pub fn bad_body(problem: &str, property: Option<&str>) -> Self {
        let message = match property {
            Some(p) => format!("Payload validation error: '{problem}' on property {p}."),
            None => format!("Payload validation error: '{problem}'."),
        };
        Boom::new(400, message).code("invalid_body")
    }

    /// ASSUMPTION (spec §16.11): the Management API's 429 body.
    pub fn too_many_requests(headers: RateLimitHeaders) -> Self {
        let mut b = Boom::new(429, "Global limit has been reached").code("too_many_requests");
        b.rate_limit = Some(headers);
        b
    }
}

impl IntoResponse for Boom {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status_code).unwrap_or(StatusCode::BAD_REQUEST);
        let mut resp = json_response(status, &self);
        if let Some(h) = &self.rate_limit {
            apply_rate_limit_headers(&mut resp, h);
        }
        resp
    }
}
