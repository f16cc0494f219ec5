//! OAuth2-style error responses (`{"error","error_description",...}`) and the
//! 429 headers every rate limit shares.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::rate_limit::Exhausted;
use crate::wire::MfaRequirements;

pub const TOO_MANY_REQUESTS: &str = "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";
pub const INVALID_MFA_TOKEN: &str = "The mfa_token provided is invalid. Try getting a new token.";

/// Values for `X-RateLimit-*` and `Retry-After`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitHeaders {
    pub limit: u32,
    pub reset_at: u64,
    /// `None` when the tenant turns `Retry-After` off.
    pub retry_after: Option<u64>,
}

impl RateLimitHeaders {
    pub fn new(e: Exhausted, now_secs: u64, send_retry_after: bool) -> Self {
        RateLimitHeaders {
            limit: e.limit,
            reset_at: e.reset_at,
            retry_after: send_retry_after.then(|| e.reset_at.saturating_sub(now_secs).max(1)),
        }
    }
}

/// The OAuth2-style error body of the Authentication and MFA APIs (spec §1.4).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    pub error: String,
    pub error_description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_requirements: Option<MfaRequirements>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<&'static str>,
    /// The wait a CIBA `slow_down` asks for (§S3.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed: errors travel in every `Result`, and most are small.
    pub body: Box<ErrorBody>,
    pub rate_limit: Option<RateLimitHeaders>,
}

impl ApiError {
    pub fn new(status: u16, error: &str, description: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            body: Box::new(ErrorBody {
                error: error.into(),
                error_description: description.into(),
                mfa_token: None,
                mfa_requirements: None,
                error_uri: None,
                interval: None,
            }),
            rate_limit: None,
        }
    }

    /// `mfa_required` with its token and, on Actions-customised tenants, requirements.
    pub fn mfa_required(mfa_token: String, requirements: Option<MfaRequirements>) -> Self {
        let mut e = ApiError::new(403, "mfa_required", "Multifactor authentication required");
        e.body.mfa_token = Some(mfa_token);
        e.body.mfa_requirements = requirements;
        e
    }

    pub fn with_error_uri(mut self, uri: &'static str) -> Self {
        self.body.error_uri = Some(uri);
        self
    }

    pub fn rate_limited(mut self, headers: RateLimitHeaders) -> Self {
        self.rate_limit = Some(headers);
        self
    }

    pub fn missing(param: &str) -> Self {
        ApiError::new(
            400,
            "invalid_request",
            format!("Missing required parameter: {param}"),
        )
    }

    /// The generic 429 (send limits, the `rate_limit` fault).
    pub fn too_many_requests(headers: RateLimitHeaders) -> Self {
        ApiError::new(429, "too_many_requests", TOO_MANY_REQUESTS).rate_limited(headers)
    }

    pub fn invalid_client() -> Self {
        ApiError::new(401, "invalid_client", "Client authentication failed.")
    }

    pub fn not_found(description: &str) -> Self {
        ApiError::new(404, "not_found", description)
    }
}

pub fn apply_rate_limit_headers(resp: &mut Response, h: &RateLimitHeaders) {
    let headers = resp.headers_mut();
    let mut set = |name: &'static str, v: u64| {
        headers.insert(name, HeaderValue::from(v));
    };
    set("x-ratelimit-limit", u64::from(h.limit));
    set("x-ratelimit-remaining", 0);
    set("x-ratelimit-reset", h.reset_at);
    if let Some(ra) = h.retry_after {
        set("retry-after", ra);
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = json_response(self.status, &self.body);
        if let Some(h) = &self.rate_limit {
            apply_rate_limit_headers(&mut resp, h);
        }
        resp
    }
}

/// A JSON response with `content-type: application/json`. The server wrapper
/// adds `; charset=utf-8` for `/mfa/*`, matching recorded Auth0 traffic.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let text = serde_json::to_string(value).expect("response bodies serialize");
    let mut resp = (status, text).into_response();
    resp.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

pub type ApiResult<T> = Result<T, ApiError>;
