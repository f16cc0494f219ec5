//! Reading what Auth0 answers instead of success, the parts both of its APIs share: the error
//! body in either of Auth0's shapes, when a rate-limited call may be retried, and a short
//! excerpt of an answer nobody expected. What each code *means* is the business of each
//! API's decoder (`client::decode`, `management::decode`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use serde::Deserialize;

/// A moment (seconds since the Unix epoch) before which retrying is pointless.
pub type RetryAt = Option<u64>;

/// Every error shape Auth0 uses: OAuth (`error`/`error_description`), the older MFA one
/// (`code`/`description`) and the Management API's (Boom: `statusCode`/`error`/`message`/
/// `errorCode`).
#[derive(Deserialize, Default)]
pub(crate) struct ErrorBody {
    pub error: Option<String>,
    #[serde(rename = "errorCode")]
    pub error_code: Option<String>,
    pub code: Option<String>,
    pub error_description: Option<String>,
    pub description: Option<String>,
    pub message: Option<String>,
    pub mfa_token: Option<String>,
    pub mfa_requirements: Option<serde_json::Value>,
}

impl ErrorBody {
    /// The body when it is JSON in one of Auth0's shapes (an HTML page from a proxy is not).
    pub fn parse(body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    /// Like auth0-java: `errorCode`, then `error`, then `code`.
    pub fn code(&self) -> Option<&str> {
        self.error_code
            .as_deref()
            .or(self.error.as_deref())
            .or(self.code.as_deref())
    }

    /// `error_description`, then `description`, then `message`.
    pub fn description(&self) -> String {
        self.error_description
            .as_deref()
            .or(self.description.as_deref())
            .or(self.message.as_deref())
            .unwrap_or_default()
            .to_owned()
    }
}

/// When a rate-limited call may be retried: `Retry-After` (seconds or an HTTP date) first,
/// then `X-RateLimit-Reset` (Unix seconds), as Auth0's own SDKs do.
pub(crate) fn retry_at(headers: &HeaderMap) -> RetryAt {
    let now = SystemTime::now();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let from_retry_after = header("retry-after").and_then(|value| match value.parse::<u64>() {
        Ok(seconds) => Some(now + Duration::from_secs(seconds)),
        Err(_) => httpdate::parse_http_date(value).ok(),
    });
    let from_reset = || {
        header("x-ratelimit-reset")
            .and_then(|v| v.parse::<u64>().ok())
            .map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
    };
    from_retry_after
        .or_else(from_reset)
        .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
}

/// The first 120 characters of an answer, for the message of an unexpected one.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut snippet: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        snippet.push('…');
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_wins_over_the_reset_header() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("100"));
        assert_eq!(retry_at(&headers), Some(100));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2037 07:28:00 GMT"),
        );
        assert_eq!(retry_at(&headers), Some(2139722880));
    }

    #[test]
    fn error_codes_are_read_in_the_sdks_order() {
        let body = ErrorBody::parse(
            br#"{"error":"Forbidden","errorCode":"insufficient_scope","code":"x","message":"m"}"#,
        )
        .unwrap();
        assert_eq!(body.code(), Some("insufficient_scope"));
        assert_eq!(body.description(), "m");
        assert!(ErrorBody::parse(b"<html>").is_none());
    }
}
