//! A local Auth0 for tests: the emulator on a loopback port, a client for the demo tenant,
//! and the control endpoints (outbox, push answers, clock, faults, stats) over real HTTP.
#![allow(dead_code)] // each test binary uses part of it

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use auth0_emulator::{RunningEmulator, Tenant};
use mfa_core::client::{SignInOutcome, Timeouts};
use mfa_core::flow::MfaSession;
use mfa_core::model::FactorKind;
use mfa_core::secret::{secret, SecretString};
use mfa_core::{Auth0Client, TenantConfig};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery staple";
pub const DEMO_CLIENT: &str = "mfa-desk-demo";
pub const ENROLLED: &str = "enrolled@example.com";
pub const ENROLLED_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
pub const ENROLLED_RECOVERY_CODE: &str = "7KQ9XW2MFDEMQ4RECV8YCDEZ";

pub struct Auth0 {
    pub emulator: RunningEmulator,
    control: reqwest::Client,
}

impl Auth0 {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts the demo tenant after `adjust` changed it. Push polling may go as fast as the
    /// test likes unless a test sets a minimum interval itself.
    pub async fn start_with(adjust: impl FnOnce(&mut Tenant)) -> Self {
        let mut tenant = Tenant::demo();
        tenant.settings.push_min_poll_interval_secs = 0;
        adjust(&mut tenant);
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), tenant)
            .await
            .expect("emulator starts");
        Self {
            emulator,
            control: reqwest::Client::new(),
        }
    }

    pub fn config(&self, client_id: &str) -> TenantConfig {
        TenantConfig::new(&self.emulator.base_url(), client_id).unwrap()
    }

    pub fn client(&self) -> Auth0Client {
        Auth0Client::new(self.config(DEMO_CLIENT)).unwrap()
    }

    pub fn client_with_timeout(&self, request: Duration) -> Auth0Client {
        let timeouts = Timeouts {
            connect: Duration::from_secs(2),
            request,
        };
        Auth0Client::with_timeouts(self.config(DEMO_CLIENT), timeouts).unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/__emulator/{path}", self.emulator.base_url())
    }

    async fn get(&self, path: &str) -> Value {
        self.control
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.control
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A fresh user with no factor, so tests never share rate-limit buckets.
    pub async fn new_user(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let email = format!("user{}@example.com", NEXT.fetch_add(1, Ordering::Relaxed));
        let response = self
            .post("users", json!({"email": email, "password": PASSWORD}))
            .await;
        assert!(response.status().is_success(), "user created");
        email
    }

    pub async fn outbox(&self) -> Vec<Value> {
        self.get("outbox")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The code in the newest SMS, voice or email message.
    pub async fn last_code(&self) -> String {
        let outbox = self.outbox().await;
        outbox.last().expect("a message was sent")["code"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn now(&self) -> u64 {
        self.get("clock").await["now"].as_u64().unwrap()
    }

    pub async fn advance_clock(&self, seconds: u64) {
        assert!(self
            .post("clock/advance", json!({"seconds": seconds}))
            .await
            .status()
            .is_success());
    }

    /// The authenticator-app code for `secret` at the emulator's time.
    pub async fn totp(&self, secret: &str) -> String {
        totp_at(secret, self.now().await)
    }

    pub async fn approve_push(&self) {
        assert!(self
            .post("push/approve", json!({}))
            .await
            .status()
            .is_success());
    }

    pub async fn deny_push(&self) {
        assert!(self
            .post("push/deny", json!({}))
            .await
            .status()
            .is_success());
    }

    pub async fn fault(&self, fault: Value) {
        assert!(self.post("faults", fault).await.status().is_success());
    }

    pub async fn reset_stats(&self) {
        self.post("stats/reset", json!({})).await;
    }

    /// `(requests to Auth0 endpoints, connections accepted)` since the last reset.
    pub async fn stats(&self) -> (u64, u64) {
        let stats = self.get("stats").await;
        let requests = stats["requests"]
            .as_object()
            .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
        (requests, stats["connections_accepted"].as_u64().unwrap())
    }

    pub async fn recovery_code_of(&self, email: &str) -> Option<String> {
        let users = self.get("secrets").await;
        users.as_array()?.iter().find(|u| u["email"] == email)?["recovery_code"]
            .as_str()
            .map(str::to_owned)
    }
}

/// A demo-tenant client and a signed-in session for `email`.
pub async fn signed_in(auth0: &Auth0, email: &str) -> (Auth0Client, MfaSession) {
    let client = auth0.client();
    let session = MfaSession::sign_in(&client, email, PASSWORD.into())
        .await
        .expect("signed in");
    (client, session)
}

/// The `mfa_token` of a password sign-in, for calls below the flow layer.
pub async fn mfa_token(client: &Auth0Client, email: &str) -> SecretString {
    match client.sign_in(email, &secret(PASSWORD)).await.unwrap() {
        SignInOutcome::MfaRequired(required) => required.mfa_token,
        other => panic!("expected mfa_required, got {other:?}"),
    }
}

/// The id of the session's active authenticator of `kind`.
pub fn factor_id(session: &MfaSession, kind: FactorKind) -> String {
    session
        .active_factors()
        .find(|a| a.kind() == kind)
        .unwrap_or_else(|| panic!("no active {kind:?}"))
        .id
        .clone()
}

pub fn totp_at(secret: &str, unix_seconds: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("base32 secret");
    let totp = totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        None,
        "test".into(),
    );
    totp.generate(unix_seconds)
}
