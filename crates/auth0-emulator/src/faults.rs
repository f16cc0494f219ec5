//! Injected failures (`POST /__emulator/faults`): odd statuses, 429s, delays,
//! dropped connections and truncated JSON, so clients can be tested against
//! the ways a real network and a real Auth0 fail.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::errors::{ApiError, RateLimitHeaders};
use crate::management::boom::Boom;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer `status` (JSON error body; HTML for 502, like a proxy).
    Status,
    /// Answer 429 `too_many_requests` with headers, reset 60 s ahead.
    RateLimit,
    /// Sleep `delay_ms` (real time), then handle normally.
    Delay,
    /// Close the connection without a response.
    Drop,
    /// 200 `application/json` with a truncated body.
    Malformed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Exact path, or a prefix ending at a `/` boundary: `/mfa/authenticators`
    /// also matches `/mfa/authenticators/sms%7Cdev_…`.
    pub path: String,
    /// Only this HTTP method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    pub kind: FaultKind,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub delay_ms: u64,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub count: u32,
    /// For `drop` and `malformed`: run the real handler first (its state
    /// changes happen), then lose or mangle the response.
    #[serde(default)]
    pub after_handling: bool,
    /// Overrides the body of a `status` fault.
    #[serde(default)]
    pub body: Option<String>,
}

fn one() -> u32 {
    1
}

impl Fault {
    fn new(path: &str, kind: FaultKind) -> Self {
        Fault {
            path: path.to_owned(),
            method: None,
            kind,
            status: None,
            delay_ms: 0,
            count: 1,
            after_handling: false,
            body: None,
        }
    }

    /// Answer `status` instead of handling the request.
    pub fn status(path: &str, status: u16) -> Self {
        Fault {
            status: Some(status),
            ..Fault::new(path, FaultKind::Status)
        }
    }

    /// Answer 429 with rate-limit headers, reset 60 s ahead.
    pub fn rate_limit(path: &str) -> Self {
        Fault::new(path, FaultKind::RateLimit)
    }

    /// Wait `delay_ms` of real time, then handle normally.
    pub fn delay(path: &str, delay_ms: u64) -> Self {
        Fault {
            delay_ms,
            ..Fault::new(path, FaultKind::Delay)
        }
    }

    /// Close the connection without an answer.
    pub fn drop_connection(path: &str) -> Self {
        Fault::new(path, FaultKind::Drop)
    }

    /// 200 with truncated JSON.
    pub fn malformed(path: &str) -> Self {
        Fault::new(path, FaultKind::Malformed)
    }

    /// Only requests with this HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// Applies to this many matching requests (default 1).
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// For `drop` and `malformed`: the real handler runs first.
    pub fn after_handling(mut self) -> Self {
        self.after_handling = true;
        self
    }

    /// The body of a `status` fault.
    pub fn with_body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method {
            if !m.eq_ignore_ascii_case(method) {
                return false;
            }
        }
        let base = self.path.trim_end_matches("{id}").trim_end_matches('/');
        path == self.path || path == base || path.starts_with(&format!("{base}/"))
    }
}

/// The faults waiting for their requests, first added first matched.
#[derive(Debug, Default)]
pub struct FaultQueue {
    faults: Vec<Fault>,
}

impl FaultQueue {
    pub fn add(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    pub fn list(&self) -> &[Fault] {
        &self.faults
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Takes one use of the first fault matching this request.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|f| f.count > 0 && f.matches(method, path))?;
        let fault = self.faults[i].clone();
        self.faults[i].count -= 1;
        if self.faults[i].count == 0 {
            self.faults.remove(i);
        }
        Some(fault)
    }
}

/// The response of a `rate_limit` fault.
pub fn rate_limited_response(now: u64, send_retry_after: bool, management: bool) -> Response {
    let headers = RateLimitHeaders {
        limit: 10,
        reset_at: now + 60,
        retry_after: send_retry_after.then_some(60),
    };
    if management {
        return Boom::too_many_requests(headers).into_response();
    }
    ApiError::too_many_requests(headers).into_response()
}

/// The response of a `status` fault.
/// On `/api/v2/*` the body is Boom-shaped, as the Management API's are.
pub fn status_response(f: &Fault, management: bool) -> Response {
    let status =
        StatusCode::from_u16(f.status.unwrap_or(503)).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    if let Some(body) = &f.body {
        let ct = if body.trim_start().starts_with(['{', '[']) {
            "application/json"
        } else {
            "text/plain"
        };
        return with_content_type((status, body.clone()).into_response(), ct);
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    if status == StatusCode::BAD_GATEWAY || status == StatusCode::GATEWAY_TIMEOUT {
        // What a proxy in front of the tenant would answer.
        let html = format!(
            "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n",
            code = status.as_u16()
        );
        return with_content_type((status, html).into_response(), "text/html");
    }
    let description = if status == StatusCode::SERVICE_UNAVAILABLE {
        "Service unavailable".to_string()
    } else {
        reason.to_string()
    };
    if management {
        return Boom::new(status.as_u16(), description).into_response();
    }
    let error = if status.is_server_error() {
        "server_error"
    } else {
        "invalid_request"
    };
    ApiError::new(status.as_u16(), error, description).into_response()
}

/// 200 with JSON that stops halfway.
pub fn malformed_response(real_body: Option<&[u8]>) -> Response {
    let body = match real_body {
        Some(b) if b.len() > 1 => b[..b.len() / 2].to_vec(),
        _ => br#"{"access_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6"#.to_vec(),
    };
    with_content_type(
        (StatusCode::OK, Body::from(body)).into_response(),
        "application/json",
    )
}

fn with_content_type(mut resp: Response, ct: &'static str) -> Response {
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    resp
}
