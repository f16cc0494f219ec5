//! The Management API client: a client-credentials token, cached until shortly before it
//! expires, and one typed method per helpdesk endpoint (spec §12).
//!
//! Retries are deliberate: reads and deletes (idempotent) are repeated once after a 429 when
//! Auth0's retry time is within [`RetryPolicy::max_wait`]; everything else is sent once. In
//! particular a recovery-code regeneration is never repeated, and a lost answer to it is its
//! own error ([`ManagementError::RecoveryCodeAnswerLost`]): repeating would kill the code the
//! first attempt may already have issued.

use percent_encoding::utf8_percent_encode;
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::config::{ConfigError, TenantConfig};
use crate::input::{Email, RecoveryCode};
use crate::secret::{ClientSecret, ExposeSecret};
use crate::transport::{read_json, Timeouts, Transport, PATH_SEGMENT};

use super::correlation::CorrelationId;
use super::decode::Target;
use super::error::ManagementError;
use super::input::{MethodId, UserId};
use super::model::{
    AuthenticationMethod, EnrollmentTicket, EnrollmentTicketRequest, MethodsPage,
    RawEnrollmentTicket, RawRecoveryCode, User,
};
use super::retry::RetryPolicy;
use super::token::TokenSource;

/// The header Auth0 records with each change in its tenant logs.
pub const CORRELATION_HEADER: &str = "X-Correlation-ID";

/// Methods per page when listing (the public-cloud maximum is 50 or 100; 50 is safe).
const PER_PAGE: usize = 50;
/// Enough pages for any real user (an authentication-method list is a handful of entries);
/// bounds the loop if a server misreports `total`.
const MAX_PAGES: usize = 20;

/// One request to the Management API.
pub(super) struct Call<'a> {
    method: Method,
    path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) json: Option<serde_json::Value>,
    correlation: Option<&'a CorrelationId>,
    target: Target,
    idempotent: bool,
}

impl<'a> Call<'a> {
    pub(super) fn read(path: String, target: Target) -> Self {
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

    pub(super) fn change(
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
    transport: Transport,
    tokens: TokenSource,
}

impl std::fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagementClient")
            .field("tenant", &self.transport.base_url())
            .field("client_id", &self.tokens.client_id)
            .finish_non_exhaustive()
    }
}

impl ManagementClient {
    /// `tenant` gives the address (HTTPS, or plain HTTP on loopback only) and the helpdesk
    /// application's client id; its own `client_secret` is ignored in favour of `secret` (a
    /// [`ClientSecret`], or a plain `SecretString` read from a keyring or a file).
    pub fn new(
        tenant: &TenantConfig,
        secret: impl Into<ClientSecret>,
        timeouts: Timeouts,
    ) -> Result<Self, ConfigError> {
        // The same HTTP client set-up as the MFA API's (rustls, timeouts, no redirects).
        let transport = Transport::new(&tenant.base_url, timeouts)?;
        Ok(Self::on(transport, tenant, secret.into()))
    }

    /// Shares an existing connection pool (the desktop app's).
    pub fn with_http(
        http: reqwest::Client,
        tenant: &TenantConfig,
        secret: impl Into<ClientSecret>,
    ) -> Self {
        let transport = Transport::with_http(http, &tenant.base_url);
        Self::on(transport, tenant, secret.into())
    }

    fn on(transport: Transport, tenant: &TenantConfig, secret: ClientSecret) -> Self {
        let tokens = TokenSource::new(transport.clone(), tenant.client_id.clone(), secret);
        Self { transport, tokens }
    }

    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.tokens.retry = retry;
        self
    }

    pub fn client_id(&self) -> &str {
        &self.tokens.client_id
    }

    /// The scopes Auth0 granted the helpdesk application (fetching a token if needed), so a
    /// screen can hide what the application may not do.
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ManagementError> {
        self.tokens.granted_scopes().await
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
        let raw: RawEnrollmentTicket = read_json(200, &self.execute(&call).await?)?;
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

    pub(super) async fn json<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
    ) -> Result<T, ManagementError> {
        read_json(200, &self.execute(call).await?)
    }

    /// Sends `call` with the current token. Repeats an idempotent call once after a 429, and
    /// any call once when a cached token is refused (revoked, or expired early by the
    /// tenant's clock): a refused token means nothing was done, so repeating is safe.
    pub(super) async fn execute(&self, call: &Call<'_>) -> Result<bytes::Bytes, ManagementError> {
        let mut retried = false;
        let mut renewed = false;
        loop {
            let (token, was_cached) = self.tokens.access_token().await?;
            let mut request = self
                .transport
                .request(call.method.clone(), &call.path)
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
            match self.transport.send(call.target, request).await {
                Ok((_, body)) => return Ok(body),
                Err(ManagementError::RateLimited { retry_at }) if call.idempotent && !retried => {
                    self.tokens.retry.pause(retry_at).await?;
                    retried = true;
                }
                Err(rejected @ ManagementError::TokenRejected { .. }) => {
                    self.tokens.forget().await;
                    if !was_cached || renewed {
                        return Err(rejected);
                    }
                    renewed = true;
                }
                Err(other) => return Err(other),
            }
        }
    }
}

pub(super) fn user_path(user: &UserId, rest: &str) -> String {
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
}
