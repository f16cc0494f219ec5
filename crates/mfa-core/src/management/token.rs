//! The helpdesk application's Management API token (client credentials), cached until shortly
//! before it expires. The lock is held while fetching, so concurrent calls share one request.

use std::time::{Duration, Instant};

use reqwest::Method;
use tokio::sync::Mutex;

use super::decode::Target;
use super::error::ManagementError;
use super::model::RawToken;
use super::retry::RetryPolicy;
use crate::secret::{AccessToken, ClientSecret, ExposeSecret};
use crate::transport::{read_json, Transport};

/// Auth0 issues Management tokens for 24 hours.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

struct CachedToken {
    value: AccessToken,
    scopes: Vec<String>,
    /// Shortly before the expiry, so a token never runs out in the middle of a call.
    refresh_after: Instant,
}

impl CachedToken {
    fn is_fresh(&self) -> bool {
        Instant::now() < self.refresh_after
    }
}

/// Who asks for the token: one machine-to-machine application, for one audience.
pub(super) struct TokenSource {
    pub transport: Transport,
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// `<tenant>/api/v2/`.
    pub audience: String,
    pub retry: RetryPolicy,
    cached: Mutex<Option<CachedToken>>,
}

impl TokenSource {
    pub fn new(transport: Transport, client_id: String, client_secret: ClientSecret) -> Self {
        Self {
            audience: format!("{}/api/v2/", transport.base_url()),
            transport,
            client_id,
            client_secret,
            retry: RetryPolicy::default(),
            cached: Mutex::new(None),
        }
    }

    /// The scopes Auth0 granted (fetching a token if needed).
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ManagementError> {
        let mut cached = self.cached.lock().await;
        Ok(self.cached_token(&mut cached).await?.scopes.clone())
    }

    /// The token to send, and whether it came from the cache (rather than just now).
    pub async fn access_token(&self) -> Result<(AccessToken, bool), ManagementError> {
        let mut cached = self.cached.lock().await;
        let was_cached = cached.as_ref().is_some_and(CachedToken::is_fresh);
        let token = self.cached_token(&mut cached).await?.value.clone();
        Ok((token, was_cached))
    }

    /// Drops the cached token (the API refused it).
    pub async fn forget(&self) {
        *self.cached.lock().await = None;
    }

    async fn cached_token<'c>(
        &self,
        cached: &'c mut Option<CachedToken>,
    ) -> Result<&'c CachedToken, ManagementError> {
        if !cached.as_ref().is_some_and(CachedToken::is_fresh) {
            *cached = Some(self.fetch().await?);
        }
        Ok(cached.as_ref().expect("just filled"))
    }

    /// `POST /oauth/token` with `client_credentials`, repeated once after a short 429 (asking
    /// for a token changes nothing on the tenant).
    async fn fetch(&self) -> Result<CachedToken, ManagementError> {
        let mut retried = false;
        loop {
            let requested_at = Instant::now();
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose_secret()),
                ("audience", self.audience.as_str()),
            ];
            let request = self
                .transport
                .request(Method::POST, "oauth/token")
                .form(&form);
            match self.transport.send(Target::Token, request).await {
                Ok((status, body)) => {
                    let raw: RawToken = read_json(status.as_u16(), &body)?;
                    return Ok(cache(raw, requested_at));
                }
                Err(ManagementError::RateLimited { retry_at }) if !retried => {
                    self.retry.pause(retry_at).await?;
                    retried = true;
                }
                Err(other) => return Err(other),
            }
        }
    }
}

fn cache(raw: RawToken, requested_at: Instant) -> CachedToken {
    let lifetime = raw
        .expires_in
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_TOKEN_LIFETIME);
    let margin = (lifetime / 10).min(Duration::from_secs(60));
    tracing::debug!(lifetime_secs = lifetime.as_secs(), "management token");
    CachedToken {
        value: AccessToken::from(raw.access_token),
        scopes: raw
            .scope
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        refresh_after: requested_at + lifetime - margin,
    }
}
