//! The one HTTP transport to an Auth0 tenant, for both of its APIs: the Authentication and
//! MFA API ([`Auth0Client`](crate::client::Auth0Client)) and the Management API
//! (`management::ManagementClient`). It sends a request once, sorts out what went wrong
//! before an answer arrived, and hands a non-success answer to the API's own decoder
//! ([`FromAnswer`]). Nothing here retries: whether a call may be repeated is the caller's
//! decision (most MFA calls may not; the Management client repeats idempotent ones).

mod answer;

use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

pub use answer::RetryAt;
pub(crate) use answer::{retry_at, snippet, ErrorBody};

use crate::config::ConfigError;

/// Path segments keep letters, digits and `-._~`; the `|` in user, method and authenticator
/// ids is encoded.
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How long to wait for Auth0. A person is waiting too; after this they get a clear message.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(20),
        }
    }
}

/// What went wrong before an answer arrived. "Nothing was sent" and "sent, but the answer was
/// lost" are kept apart, because only the first is safe to repeat.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    /// The tenant could not be reached: nothing was sent.
    Connect(String),
    /// The request left but its answer did not arrive: it may have been carried out.
    Lost(String),
    /// No answer in time: also "may have been carried out".
    Timeout,
}

impl TransportFailure {
    fn from_reqwest(error: reqwest::Error) -> Self {
        // The URL may carry an id; it carries no secret, but keep messages short.
        let error = error.without_url();
        // A connect timeout is both: nothing was sent, so it is "could not connect" (safe to
        // repeat), not "timed out" (outcome unknown).
        if error.is_connect() {
            Self::Connect(error_chain(&error))
        } else if error.is_timeout() {
            Self::Timeout
        } else {
            Self::Lost(error_chain(&error))
        }
    }
}

/// The error type one Auth0 API's answers decode into.
pub(crate) trait FromAnswer: Sized {
    /// Which call was made: Auth0 reuses codes for different situations, and the call tells
    /// which one an answer describes.
    type Call: Copy + std::fmt::Debug;
    /// The API's name in the log line of each answer.
    const API: &'static str;
    fn from_failure(failure: TransportFailure) -> Self;
    /// A non-success answer.
    fn from_answer(call: Self::Call, status: u16, headers: &HeaderMap, body: &[u8]) -> Self;
    /// A success whose body could not be read.
    fn unreadable(status: u16, detail: String) -> Self;
}

/// One HTTP client (connection pool, rustls) and the tenant's address.
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
}

impl Transport {
    pub fn new(base_url: &Url, timeouts: Timeouts) -> Result<Self, ConfigError> {
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .pool_idle_timeout(Duration::from_secs(90))
            // Redirects would carry tokens to another place; Auth0 never redirects these calls.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("mfa-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(Self::with_http(http, base_url))
    }

    /// Shares an existing connection pool.
    pub fn with_http(http: reqwest::Client, base_url: &Url) -> Self {
        Self {
            http,
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
        }
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The tenant's address without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A request to `path` (relative to the tenant, already percent-encoded).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}/{path}", self.base_url))
    }

    /// Sends once and returns the success body, or the error the answer describes.
    pub async fn send<E: FromAnswer>(
        &self,
        call: E::Call,
        request: RequestBuilder,
    ) -> Result<(StatusCode, Bytes), E> {
        let (status, _, body) = self.send_with_headers::<E>(call, request).await?;
        Ok((status, body))
    }

    /// [`send`](Self::send), with the success answer's headers.
    pub async fn send_with_headers<E: FromAnswer>(
        &self,
        call: E::Call,
        request: RequestBuilder,
    ) -> Result<(StatusCode, HeaderMap, Bytes), E> {
        let failed = |e| E::from_failure(TransportFailure::from_reqwest(e));
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(failed)?;
        tracing::debug!(
            api = E::API,
            ?call,
            status = status.as_u16(),
            bytes = body.len(),
            "auth0 answered"
        );
        if status.is_success() {
            Ok((status, headers, body))
        } else {
            Err(E::from_answer(call, status.as_u16(), &headers, &body))
        }
    }

    /// [`send`](Self::send), keeping one header of the success (the My Account API's
    /// `Location`).
    pub async fn send_keeping<E: FromAnswer>(
        &self,
        call: E::Call,
        request: RequestBuilder,
        header: reqwest::header::HeaderName,
    ) -> Result<(StatusCode, Option<String>, Bytes), E> {
        let failed = |e| E::from_failure(TransportFailure::from_reqwest(e));
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(failed)?;
        tracing::debug!(
            api = E::API,
            ?call,
            status = status.as_u16(),
            "auth0 answered"
        );
        if !status.is_success() {
            return Err(E::from_answer(call, status.as_u16(), &headers, &body));
        }
        let kept = headers
            .get(header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok((status, kept, body))
    }

    /// [`send`](Self::send), then reads the success body as `T`.
    pub async fn send_json<T: DeserializeOwned, E: FromAnswer>(
        &self,
        call: E::Call,
        request: RequestBuilder,
    ) -> Result<T, E> {
        let (status, body) = self.send::<E>(call, request).await?;
        read_json(status.as_u16(), &body)
    }
}

/// Reads a success body as `T`.
pub(crate) fn read_json<T: DeserializeOwned, E: FromAnswer>(
    status: u16,
    body: &[u8],
) -> Result<T, E> {
    serde_json::from_slice(body)
        .map_err(|e| E::unreadable(status, format!("could not read the answer: {e}")))
}

/// The error and its causes in one line ("error sending request: connection refused").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
