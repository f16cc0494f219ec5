//! A push to the caller's own phone through CIBA (§S3): the service starts a backchannel
//! request for the caller with a short binding message, and polls the token endpoint for the
//! answer. The tokens an approval yields are the caller's: they are dropped unread.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mfa_core::secret::{ExposeSecret, SecretString};
use serde::Deserialize;

/// How the request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushAnswer {
    Pending,
    Approved,
    /// Denied by the caller, or (Auth0 folds both into `access_denied`, §S3.3) expired; the
    /// caller tells them apart by the request's own expiry.
    DeniedOrExpired,
    Expired,
}

#[derive(Debug, Clone)]
pub struct Started {
    pub auth_req_id: String,
    pub expires_in: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum CibaError {
    #[error("the tenant does not know this user")]
    UnknownUser,
    #[error("the tenant refused the push request: {0}")]
    Refused(String),
    #[error("the tenant could not be reached: {0}")]
    Network(String),
}

#[derive(Deserialize)]
struct StartBody {
    auth_req_id: String,
    expires_in: Option<u64>,
    interval: Option<u64>,
}

#[derive(Deserialize, Default)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
    /// With `slow_down`: the wait Auth0 now asks for, in seconds.
    interval: Option<u64>,
}

/// §S3.3: after a `slow_down` the token endpoint is not asked again before the wait it names
/// (5 s more than before, if it names none), however often the agents' screens ask: a client
/// that keeps polling too fast would otherwise be slowed down for ever. Front ends poll at the
/// request's interval (5 s), so this is a guard, not the pace.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Requests not settled this long after their last poll are forgotten (Auth0's are 5 minutes).
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
struct Pace {
    /// By `auth_req_id`: when it may be polled next, and its interval.
    next: HashMap<String, (Instant, Duration)>,
}

impl Pace {
    fn wait(&mut self, id: &str, interval: Duration) {
        let now = Instant::now();
        self.next
            .retain(|_, (at, _)| now.duration_since(*at) < FORGET_AFTER);
        self.next.insert(id.to_owned(), (now + interval, interval));
    }

    fn too_soon(&self, id: &str) -> bool {
        self.next
            .get(id)
            .is_some_and(|(at, _)| Instant::now() < *at)
    }

    fn interval(&self, id: &str) -> Duration {
        self.next.get(id).map_or(DEFAULT_INTERVAL, |(_, i)| *i)
    }
}

pub struct CibaClient {
    http: reqwest::Client,
    base_url: String,
    issuer: String,
    client_id: String,
    client_secret: SecretString,
    pace: Mutex<Pace>,
}

impl CibaClient {
    pub fn new(
        http: reqwest::Client,
        tenant_url: &str,
        issuer: String,
        client_id: String,
        client_secret: SecretString,
    ) -> Self {
        Self {
            http,
            base_url: tenant_url.trim_end_matches('/').to_owned(),
            issuer,
            client_id,
            client_secret,
            pace: Mutex::default(),
        }
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.pace
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `POST /bc-authorize` for `user_id`, showing `binding_message` on their phone (§S3.2).
    pub async fn start(&self, user_id: &str, binding_message: &str) -> Result<Started, CibaError> {
        let login_hint =
            serde_json::json!({"format": "iss_sub", "iss": self.issuer, "sub": user_id});
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("login_hint", &login_hint.to_string()),
            ("scope", "openid"),
            ("binding_message", binding_message),
        ];
        let response = self
            .http
            .post(format!("{}/bc-authorize", self.base_url))
            .form(&form)
            .send()
            .await
            .map_err(|e| CibaError::Network(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| CibaError::Network(e.without_url().to_string()))?;
        if status.is_success() {
            let started: StartBody = serde_json::from_slice(&body)
                .map_err(|e| CibaError::Refused(format!("unreadable answer: {e}")))?;
            let interval = started
                .interval
                .map_or(DEFAULT_INTERVAL, Duration::from_secs);
            self.pace()
                .next
                .insert(started.auth_req_id.clone(), (Instant::now(), interval));
            return Ok(Started {
                auth_req_id: started.auth_req_id,
                expires_in: Duration::from_secs(started.expires_in.unwrap_or(300)),
            });
        }
        let error: OAuthError = serde_json::from_slice(&body).unwrap_or_default();
        match error.error.as_deref() {
            Some("unknown_user_id") => Err(CibaError::UnknownUser),
            other => Err(CibaError::Refused(format!(
                "HTTP {status} {} {}",
                other.unwrap_or(""),
                error.error_description.unwrap_or_default()
            ))),
        }
    }

    /// One poll of the token endpoint with the CIBA grant (§S3.3).
    pub async fn poll(&self, auth_req_id: &str) -> Result<PushAnswer, CibaError> {
        if self.pace().too_soon(auth_req_id) {
            return Ok(PushAnswer::Pending);
        }
        let form = [
            ("grant_type", "urn:openid:params:grant-type:ciba"),
            ("auth_req_id", auth_req_id),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        let response = self
            .http
            .post(format!("{}/oauth/token", self.base_url))
            .form(&form)
            .send()
            .await
            .map_err(|e| CibaError::Network(e.without_url().to_string()))?;
        if response.status().is_success() {
            // The caller's tokens: not ours to keep or read.
            drop(response);
            self.pace().next.remove(auth_req_id);
            return Ok(PushAnswer::Approved);
        }
        let status = response.status();
        let error: OAuthError = response.json().await.unwrap_or_default();
        // Statuses vary (400 or 403, §S3.3 UNCONFIRMED): decide on the error code alone.
        match error.error.as_deref() {
            Some("authorization_pending") => Ok(PushAnswer::Pending),
            Some("slow_down") => {
                let mut pace = self.pace();
                let interval = error
                    .interval
                    .map(Duration::from_secs)
                    .unwrap_or(pace.interval(auth_req_id) + SLOW_DOWN_STEP);
                pace.wait(auth_req_id, interval);
                Ok(PushAnswer::Pending)
            }
            Some("access_denied") => {
                self.pace().next.remove(auth_req_id);
                Ok(PushAnswer::DeniedOrExpired)
            }
            Some("expired_token" | "invalid_grant") => {
                self.pace().next.remove(auth_req_id);
                Ok(PushAnswer::Expired)
            }
            other => Err(CibaError::Refused(format!(
                "HTTP {status} {}",
                other.unwrap_or("")
            ))),
        }
    }
}

/// A binding message the agent reads out and the caller sees: letters, digits and `-` only
/// (§S3.2: alphanumerics and `+-_.,:#`; spaces are UNCONFIRMED), well under 64 characters.
pub fn binding_message() -> String {
    let n: u32 = rand::random::<u32>() % 1_000_000;
    format!("Helpdesk-{:03}-{:03}", n / 1000, n % 1000)
}
