//! A typed client for the emulator's `/__emulator/*` control API (feature
//! `client`), for the app's demo inbox, the integration and end-to-end
//! tests, and scripts.
//!
//! ```no_run
//! # async fn demo() -> Result<(), auth0_emulator::client::ControlError> {
//! use auth0_emulator::{client::ControlClient, demo, Fault};
//! let control = ControlClient::new("http://127.0.0.1:8080");
//! control.add_fault(&Fault::status("/oauth/token", 503).times(2)).await?;
//! let code = control.totp_now(demo::ENROLLED).await?;
//! control.advance_clock(601).await?;
//! # Ok(()) }
//! ```

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::control_api::{
    Channel, ClockAdvance, ClockReading, CreatedUser, IssuedTokens, NewUser, OutboxMessage,
    PendingPush, PushAnswer, RequestRecord, SigningKeyIds, Stats, UserSecrets,
};
use crate::faults::Fault;

/// How often the `wait_for_*` helpers look again.
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("cannot reach the emulator: {0}")]
    Network(#[source] reqwest::Error),
    #[error("the emulator answered {status}: {body}")]
    Status { status: u16, body: String },
    #[error("the emulator's answer is not what the control API sends: {0}")]
    Decode(#[source] reqwest::Error),
}

pub type ControlResult<T> = Result<T, ControlError>;

/// The control API of one emulator. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ControlClient {
    http: reqwest::Client,
    base_url: String,
}

impl ControlClient {
    /// `base_url` as [`crate::RunningEmulator::base_url`] gives it (`http://127.0.0.1:PORT`).
    pub fn new(base_url: &str) -> Self {
        Self::with_http(base_url, reqwest::Client::new())
    }

    /// Shares an existing HTTP client (and its connection pool).
    pub fn with_http(base_url: &str, http: reqwest::Client) -> Self {
        ControlClient {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ControlResult<reqwest::Response> {
        let url = format!("{}/__emulator/{path}", self.base_url);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(ControlError::Network)?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        Err(ControlError::Status { status, body })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ControlResult<T> {
        let response = self.send::<()>(Method::GET, path, None).await?;
        response.json().await.map_err(ControlError::Decode)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> ControlResult<T> {
        let response = self.send(Method::POST, path, Some(body)).await?;
        response.json().await.map_err(ControlError::Decode)
    }

    async fn delete(&self, path: &str) -> ControlResult<()> {
        self.send::<()>(Method::DELETE, path, None).await.map(drop)
    }

    // ------------------------------------------------------------ outbox

    /// Every message sent so far, oldest first.
    pub async fn outbox(&self) -> ControlResult<Vec<OutboxMessage>> {
        self.get("outbox").await
    }

    /// The newest message sent on `channel`.
    pub async fn last_message(&self, channel: Channel) -> ControlResult<Option<OutboxMessage>> {
        let outbox = self.outbox().await?;
        Ok(outbox.into_iter().rev().find(|m| m.channel == channel))
    }

    /// The newest message on `channel` once more than `seen` were sent on it;
    /// `None` after `timeout`.
    pub async fn wait_for_message(
        &self,
        channel: Channel,
        seen: usize,
        timeout: Duration,
    ) -> ControlResult<Option<OutboxMessage>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let sent: Vec<OutboxMessage> = self
                .outbox()
                .await?
                .into_iter()
                .filter(|m| m.channel == channel)
                .collect();
            if sent.len() > seen {
                return Ok(sent.into_iter().last());
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    // ------------------------------------------------------------ push

    /// The newest push notification waiting for an answer.
    pub async fn pending_push(&self) -> ControlResult<Option<PendingPush>> {
        self.get("push").await
    }

    /// The newest pending push once there is one; `None` after `timeout`.
    pub async fn wait_for_push(&self, timeout: Duration) -> ControlResult<Option<PendingPush>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(push) = self.pending_push().await? {
                return Ok(Some(push));
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Approves the newest pending push (or the one `oob_code` names);
    /// `None` when nothing was pending.
    pub async fn approve_push(&self, oob_code: Option<&str>) -> ControlResult<Option<PendingPush>> {
        self.answer_push("push/approve", oob_code).await
    }

    /// Denies the newest pending push (or the one `oob_code` names);
    /// `None` when nothing was pending.
    pub async fn deny_push(&self, oob_code: Option<&str>) -> ControlResult<Option<PendingPush>> {
        self.answer_push("push/deny", oob_code).await
    }

    async fn answer_push(
        &self,
        path: &str,
        oob_code: Option<&str>,
    ) -> ControlResult<Option<PendingPush>> {
        let answer = PushAnswer {
            oob_code: oob_code.map(str::to_owned),
        };
        match self.post(path, &answer).await {
            Err(ControlError::Status { status, .. }) if status == StatusCode::NOT_FOUND => Ok(None),
            other => other.map(Some),
        }
    }

    // ------------------------------------------------------------ clock

    /// The emulator's virtual time, epoch seconds.
    pub async fn now(&self) -> ControlResult<u64> {
        Ok(self.get::<ClockReading>("clock").await?.now)
    }

    /// Moves the virtual clock (negative goes back); returns the new time.
    pub async fn advance_clock(&self, seconds: i64) -> ControlResult<u64> {
        let reading: ClockReading = self
            .post("clock/advance", &ClockAdvance { seconds })
            .await?;
        Ok(reading.now)
    }

    // ------------------------------------------------------------ faults

    /// Queues a fault; returns every queued fault.
    pub async fn add_fault(&self, fault: &Fault) -> ControlResult<Vec<Fault>> {
        self.post("faults", fault).await
    }

    pub async fn faults(&self) -> ControlResult<Vec<Fault>> {
        self.get("faults").await
    }

    pub async fn clear_faults(&self) -> ControlResult<()> {
        self.delete("faults").await
    }

    // ------------------------------------------------------------ counters

    pub async fn stats(&self) -> ControlResult<Stats> {
        self.get("stats").await
    }

    pub async fn reset_stats(&self) -> ControlResult<()> {
        self.send::<()>(Method::POST, "stats/reset", None)
            .await
            .map(drop)
    }

    /// The newest requests (up to 200), oldest first, with their `X-Correlation-ID`.
    pub async fn requests(&self) -> ControlResult<Vec<RequestRecord>> {
        self.get("requests").await
    }

    pub async fn clear_requests(&self) -> ControlResult<()> {
        self.delete("requests").await
    }

    // ------------------------------------------------------------ users and secrets

    /// Every user's TOTP secrets and current codes, recovery code and phone.
    pub async fn secrets(&self) -> ControlResult<Vec<UserSecrets>> {
        self.get("secrets").await
    }

    /// One user's secrets (email compared without case, as sign-in does).
    pub async fn user_secrets(&self, email: &str) -> ControlResult<Option<UserSecrets>> {
        let users = self.secrets().await?;
        Ok(users
            .into_iter()
            .find(|u| u.email.eq_ignore_ascii_case(email)))
    }

    /// The code of the user's newest TOTP authenticator, on the emulator's clock.
    pub async fn totp_now(&self, email: &str) -> ControlResult<Option<String>> {
        let user = self.user_secrets(email).await?;
        Ok(user.and_then(|u| u.newest_otp().map(|o| o.current_code.clone())))
    }

    /// The user's current recovery code.
    pub async fn recovery_code(&self, email: &str) -> ControlResult<Option<String>> {
        let user = self.user_secrets(email).await?;
        Ok(user.and_then(|u| u.recovery_code))
    }

    /// Every token the tenant issued.
    pub async fn tokens(&self) -> ControlResult<IssuedTokens> {
        self.get("tokens").await
    }

    /// A user with no factor in the default directory (409 if the email is taken).
    pub async fn create_user(&self, email: &str, password: &str) -> ControlResult<CreatedUser> {
        let user = NewUser {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        self.post("users", &user).await
    }

    // ------------------------------------------------------------ signing keys

    /// The kids of the published signing keys.
    pub async fn signing_keys(&self) -> ControlResult<SigningKeyIds> {
        self.get("keys").await
    }

    /// Rotates the signing key: next becomes current, current stays
    /// published as previous until the following rotation (§S1.4).
    pub async fn rotate_signing_key(&self) -> ControlResult<SigningKeyIds> {
        self.post("keys/rotate", &()).await
    }
}
