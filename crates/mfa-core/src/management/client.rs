//! The Management API client: a client-credentials token, cached until shortly before it
//! expires, and one typed method per helpdesk endpoint (spec §12).
//!
//! Retries are deliberate: reads and deletes (idempotent) are repeated once after a 429 when
//! Auth0's retry time is within [`RetryPolicy::max_wait`]; everything else is sent once. In
//! particular a recovery-code regeneration is never repeated, and a lost answer to it is its
//! own error ([`ManagementError::RecoveryCodeAnswerLost`]): repeating would kill the code the
//! first attempt may already have issued.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use percent_encoding::utf8_percent_encode;
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::client::{Auth0Client, Timeouts};
use crate::config::{ConfigError, TenantConfig};
use crate::error::RetryAt;
use crate::input::{Email, RecoveryCode};
use crate::secret::{ExposeSecret, SecretString};

use super::correlation::CorrelationId;
use super::error::{from_response, ManagementError, Target};
use super::input::{MethodId, UserId};
use super::model::{
    AuthenticationMethod, EnrollmentTicket, EnrollmentTicketRequest, MethodsPage,
    RawEnrollmentTicket, RawRecoveryCode, RawToken, User,
};

/// The header Auth0 records with each change in its tenant logs.
pub const CORRELATION_HEADER: &str = "X-Correlation-ID";

use crate::client::PATH_SEGMENT;

/// Methods per page when listing (the public-cloud maximum is 50 or 100; 50 is safe).
const PER_PAGE: usize = 50;
/// Enough pages for any real user (an authentication-method list is a handful of entries);
/// bounds the loop if a server misreports `total`.
const MAX_PAGES: usize = 20;
/// Auth0 issues Management tokens for 24 hours.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// When an idempotent call is repeated after a 429.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Longest wait accepted before the single retry; a longer retry time is reported to the
    /// caller as [`ManagementError::RateLimited`] instead.
    pub max_wait: Duration,
    /// The wait when Auth0 sends neither `Retry-After` nor `X-RateLimit-Reset`.
    pub default_wait: Duration,
}

impl Default for RetryPolicy {
    /// Like Auth0's own SDKs: at least one second, at most ten.
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(10),
            default_wait: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_wait: Duration::ZERO,
            default_wait: Duration::from_secs(1),
        }
    }

    /// How long to wait before retrying, or `None` when the wait is too long.
    fn wait_for(&self, retry_at: RetryAt) -> Option<Duration> {
        let wait = match retry_at {
            Some(at) => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                Duration::from_secs(at).saturating_sub(now)
            }
            None => self.default_wait,
        };
        let wait = wait.max(Duration::from_millis(100));
        (wait <= self.max_wait).then_some(wait)
    }
}

struct CachedToken {
    value: SecretString,
    scopes: Vec<String>,
    /// Shortly before the expiry, so a token never runs out in the middle of a call.
    refresh_after: Instant,
}

/// One request to the Management API.
struct Call<'a> {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    json: Option<serde_json::Value>,
    correlation: Option<&'a CorrelationId>,
    target: Target,
    idempotent: bool,
}

impl<'a> Call<'a> {
    fn read(path: String, target: Target) -> Self {
        Self {
            method: Method::GET,
            path,
            query: Vec::new(),
            json: None,
            correlation: None,
            target,
            idempotent: true,
        }
    }

    fn change(
        method: Method,
        path: String,
        target: Target,
        correlation: &'a CorrelationId,
    ) -> Self {
        Self {
            idempotent: method == Method::DELETE,
            method,
            path,
            query: Vec::new(),
            json: None,
            correlation: Some(correlation),
            target,
        }
    }
}

/// A client of one tenant's Management API, as one machine-to-machine application.
pub struct ManagementClient {
    http: reqwest::Client,
    base_url: String,
    client_id: String,
    client_secret: SecretString,
    audience: String,
    retry: RetryPolicy,
    token: Mutex<Option<CachedToken>>,
}

impl std::fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagementClient")
            .field("tenant", &self.base_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl ManagementClient {
    /// `tenant` gives the address (HTTPS, or plain HTTP on loopback only) and the helpdesk
    /// application's client id; its own `client_secret` is ignored in favour of `secret`.
    pub fn new(
        tenant: &TenantConfig,
        secret: SecretString,
        timeouts: Timeouts,
    ) -> Result<Self, ConfigError> {
        // The same HTTP client set-up as the MFA API's (rustls, timeouts, no redirects).
        let http = Auth0Client::with_timeouts(tenant.clone(), timeouts)?
            .http()
            .clone();
        Ok(Self::with_http(http, tenant, secret))
    }

    /// Shares an existing connection pool (the desktop app's).
    pub fn with_http(http: reqwest::Client, tenant: &TenantConfig, secret: SecretString) -> Self {
        let base_url = tenant.base_url.as_str().trim_end_matches('/').to_owned();
        Self {
            http,
            audience: format!("{base_url}/api/v2/"),
            base_url,
            client_id: tenant.client_id.clone(),
            client_secret: secret,
            retry: RetryPolicy::default(),
            token: Mutex::new(None),
        }
    }

    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The Management API audience when it is not `<tenant>/api/v2/` (a custom domain still
    /// uses the canonical tenant domain's audience).
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = audience.into();
        self
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    // ---- token ------------------------------------------------------------------------------

    /// The scopes Auth0 granted the helpdesk application (fetching a token if needed), so a
    /// screen can hide what the application may not do.
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ManagementError> {
        let mut cached = self.token.lock().await;
        Ok(self.cached_token(&mut cached).await?.scopes.clone())
    }

    /// The token to send, and whether it came from the cache (rather than just now).
    async fn access_token(&self) -> Result<(SecretString, bool), ManagementError> {
        let mut cached = self.token.lock().await;
        let was_cached = cached
            .as_ref()
            .is_some_and(|t| Instant::now() < t.refresh_after);
        let token = self.cached_token(&mut cached).await?.value.clone();
        Ok((token, was_cached))
    }

    /// The cached token, fetched anew when absent or about to expire. The lock is held while
    /// fetching, so concurrent calls share one token request.
    async fn cached_token<'c>(
        &self,
        cached: &'c mut Option<CachedToken>,
    ) -> Result<&'c CachedToken, ManagementError> {
        let fresh = cached
            .as_ref()
            .is_some_and(|t| Instant::now() < t.refresh_after);
        if !fresh {
            *cached = Some(self.fetch_token().await?);
        }
        Ok(cached.as_ref().expect("just filled"))
    }

    async fn forget_token(&self) {
        *self.token.lock().await = None;
    }

    async fn fetch_token(&self) -> Result<CachedToken, ManagementError> {
        let mut retried = false;
        loop {
            let requested_at = Instant::now();
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose_secret()),
                ("audience", self.audience.as_str()),
            ];
            let request = self.http.post(self.url("oauth/token")).form(&form);
            match self.send(request, Target::Token).await {
                Ok(body) => {
                    let raw: RawToken = parse(&body)?;
                    let lifetime = raw
                        .expires_in
                        .map(Duration::from_secs)
                        .unwrap_or(DEFAULT_TOKEN_LIFETIME);
                    let margin = (lifetime / 10).min(Duration::from_secs(60));
                    tracing::debug!(lifetime_secs = lifetime.as_secs(), "management token");
                    return Ok(CachedToken {
                        value: SecretString::from(raw.access_token),
                        scopes: raw
                            .scope
                            .unwrap_or_default()
                            .split_whitespace()
                            .map(str::to_owned)
                            .collect(),
                        refresh_after: requested_at + lifetime - margin,
                    });
                }
                Err(ManagementError::RateLimited { retry_at }) if !retried => {
                    let wait = self
                        .retry
                        .wait_for(retry_at)
                        .ok_or(ManagementError::RateLimited { retry_at })?;
                    tokio::time::sleep(wait).await;
                    retried = true;
                }
                Err(other) => return Err(other),
            }
        }
    }

    // ---- users --------------------------------------------------------------------------------

    /// `GET /api/v2/users-by-email`: an exact, case-sensitive match; several users can share
    /// an email (one per connection).
    pub async fn users_by_email(&self, email: &Email) -> Result<Vec<User>, ManagementError> {
        let mut call = Call::read("api/v2/users-by-email".into(), Target::User);
        call.query.push(("email", email.as_str().to_owned()));
        self.json(&call).await
    }

    /// `GET /api/v2/users/{id}`.
    pub async fn user(&self, user: &UserId) -> Result<User, ManagementError> {
        self.json(&Call::read(user_path(user, ""), Target::User))
            .await
    }

    // ---- authentication methods ---------------------------------------------------------------

    /// `GET /api/v2/users/{id}/authentication-methods`, every page.
    pub async fn authentication_methods(
        &self,
        user: &UserId,
    ) -> Result<Vec<AuthenticationMethod>, ManagementError> {
        let mut methods = Vec::new();
        for page in 0..MAX_PAGES {
            let mut call = Call::read(user_path(user, "/authentication-methods"), Target::User);
            call.query = vec![
                ("include_totals", "true".into()),
                ("per_page", PER_PAGE.to_string()),
                ("page", page.to_string()),
            ];
            match self.json::<MethodsPage>(&call).await? {
                MethodsPage::Bare(all) => {
                    methods.extend(all);
                    break;
                }
                MethodsPage::Page {
                    authenticators,
                    total,
                } => {
                    let last = authenticators.len() < PER_PAGE;
                    methods.extend(authenticators);
                    if last || total.is_some_and(|total| methods.len() >= total) {
                        break;
                    }
                }
            }
        }
        Ok(methods)
    }

    /// `GET /api/v2/users/{id}/authentication-methods/{method_id}`.
    pub async fn authentication_method(
        &self,
        user: &UserId,
        method: &MethodId,
    ) -> Result<AuthenticationMethod, ManagementError> {
        self.json(&Call::read(method_path(user, method), Target::Method))
            .await
    }

    /// `DELETE /api/v2/users/{id}/authentication-methods/{method_id}`.
    pub async fn delete_authentication_method(
        &self,
        user: &UserId,
        method: &MethodId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let call = Call::change(
            Method::DELETE,
            method_path(user, method),
            Target::Method,
            correlation,
        );
        self.execute(&call).await.map(drop)
    }

    /// `DELETE /api/v2/users/{id}/authentication-methods`: every method; the user enrolls
    /// afresh at the next sign-in.
    pub async fn delete_all_authentication_methods(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "/authentication-methods");
        let call = Call::change(Method::DELETE, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }

    /// `DELETE /api/v2/users/{id}/authenticators`: every Guardian enrollment (OTP, SMS, email,
    /// push); needs `delete:guardian_enrollments`.
    pub async fn delete_all_authenticators(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "/authenticators");
        let call = Call::change(Method::DELETE, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }

    // ---- recovery, tickets, browsers ----------------------------------------------------------

    /// `POST /api/v2/users/{id}/recovery-code-regeneration`: the previous code stops working
    /// at once. Sent exactly once; see the module documentation.
    pub async fn regenerate_recovery_code(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<RecoveryCode, ManagementError> {
        let path = user_path(user, "/recovery-code-regeneration");
        let call = Call::change(Method::POST, path, Target::User, correlation);
        let lost = |e: ManagementError| match e {
            ManagementError::AnswerLost(_) | ManagementError::Timeout => {
                ManagementError::RecoveryCodeAnswerLost
            }
            other => other,
        };
        let body = self.execute(&call).await.map_err(lost)?;
        // A 200 whose code cannot be read has still replaced the old code.
        let raw: RawRecoveryCode =
            serde_json::from_slice(&body).map_err(|_| ManagementError::RecoveryCodeAnswerLost)?;
        Ok(raw.into())
    }

    /// `POST /api/v2/guardian/enrollments/ticket`.
    pub async fn create_enrollment_ticket(
        &self,
        request: &EnrollmentTicketRequest,
        correlation: &CorrelationId,
    ) -> Result<EnrollmentTicket, ManagementError> {
        let mut call = Call::change(
            Method::POST,
            "api/v2/guardian/enrollments/ticket".into(),
            Target::User,
            correlation,
        );
        call.json =
            Some(
                serde_json::to_value(request).map_err(|e| ManagementError::InvalidRequest {
                    message: e.to_string(),
                })?,
            );
        let raw: RawEnrollmentTicket = parse(&self.execute(&call).await?)?;
        Ok(raw.into())
    }

    /// `POST /api/v2/users/{id}/multifactor/actions/invalidate-remember-browser`: every
    /// browser the user told to skip MFA asks again.
    pub async fn invalidate_remembered_browsers(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "/multifactor/actions/invalidate-remember-browser");
        let call = Call::change(Method::POST, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }

    // ---- plumbing -----------------------------------------------------------------------------

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    async fn json<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, ManagementError> {
        parse(&self.execute(call).await?)
    }

    /// Sends `call` with the current token. Repeats an idempotent call once after a 429, and
    /// any call once when a cached token is refused (revoked, or expired early by the
    /// tenant's clock): a refused token means nothing was done, so repeating is safe.
    async fn execute(&self, call: &Call<'_>) -> Result<bytes::Bytes, ManagementError> {
        let mut retried = false;
        let mut renewed = false;
        loop {
            let (token, was_cached) = self.access_token().await?;
            let mut request = self
                .http
                .request(call.method.clone(), self.url(&call.path))
                .bearer_auth(token.expose_secret());
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(json) = &call.json {
                request = request.json(json);
            }
            if let Some(correlation) = call.correlation {
                request = request.header(CORRELATION_HEADER, correlation.as_str());
            }
            match self.send(request, call.target).await {
                Err(ManagementError::RateLimited { retry_at }) if call.idempotent && !retried => {
                    let wait = self
                        .retry
                        .wait_for(retry_at)
                        .ok_or(ManagementError::RateLimited { retry_at })?;
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
                    tokio::time::sleep(wait).await;
                    retried = true;
                }
                Err(rejected @ ManagementError::TokenRejected { .. }) => {
                    self.forget_token().await;
                    if !was_cached || renewed {
                        return Err(rejected);
                    }
                    renewed = true;
                }
                other => return other,
            }
        }
    }

    /// Sends once: the success body, or the error the answer describes.
    async fn send(
        &self,
        request: RequestBuilder,
        target: Target,
    ) -> Result<bytes::Bytes, ManagementError> {
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport_error)?;
        tracing::debug!(
            ?target,
            status = status.as_u16(),
            bytes = body.len(),
            "management api answered"
        );
        if status.is_success() {
            Ok(body)
        } else {
            Err(from_response(target, status.as_u16(), &headers, &body))
        }
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ManagementError> {
    serde_json::from_slice(body).map_err(|e| ManagementError::Unexpected {
        status: 200,
        detail: format!("could not read the answer: {e}"),
    })
}

fn user_path(user: &UserId, rest: &str) -> String {
    format!(
        "api/v2/users/{}{rest}",
        utf8_percent_encode(user.as_str(), PATH_SEGMENT)
    )
}

fn method_path(user: &UserId, method: &MethodId) -> String {
    let rest = format!(
        "/authentication-methods/{}",
        utf8_percent_encode(method.as_str(), PATH_SEGMENT)
    );
    user_path(user, &rest)
}

/// "Could not connect" (nothing was sent: safe to repeat) is checked before "timed out",
/// because a connect timeout is both; any other failure happened after the request left.
fn transport_error(error: reqwest::Error) -> ManagementError {
    let error = error.without_url();
    if error.is_connect() {
        ManagementError::Connect(error_chain(&error))
    } else if error.is_timeout() {
        ManagementError::Timeout
    } else {
        ManagementError::AnswerLost(error_chain(&error))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_percent_encoded_in_paths() {
        let user = UserId::parse("auth0|abc").unwrap();
        let method = MethodId::parse("phone|dev_X").unwrap();
        assert_eq!(
            method_path(&user, &method),
            "api/v2/users/auth0%7Cabc/authentication-methods/phone%7Cdev_X"
        );
    }

    #[test]
    fn long_waits_are_not_retried() {
        let policy = RetryPolicy::default();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(policy.wait_for(Some(now + 2)).is_some());
        assert!(policy.wait_for(Some(now + 60)).is_none());
        assert_eq!(policy.wait_for(None), Some(Duration::from_secs(1)));
        assert!(RetryPolicy::none().wait_for(None).is_none());
    }
}
