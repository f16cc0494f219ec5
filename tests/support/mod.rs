//! A local Auth0 for tests: the emulator on a loopback port, a client for the demo tenant,
//! and its control API (outbox, push answers, clock, faults, stats) through the emulator's
//! typed control client.
#![allow(dead_code, unused_imports)] // each test binary uses part of it

#[cfg(test)]
pub mod mock_app;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use auth0_emulator::client::ControlClient;
use auth0_emulator::control_api::OutboxMessage;
pub use auth0_emulator::demo::{
    ENROLLED, ENROLLED_RECOVERY_CODE, ENROLLED_TOTP_SECRET, PASSWORD,
    PUBLIC_CLIENT_ID as DEMO_CLIENT,
};
pub use auth0_emulator::Fault;
use auth0_emulator::{RunningEmulator, Tenant};
use mfa_core::client::{SignInOutcome, Timeouts};
use mfa_core::flow::MfaSession;
use mfa_core::model::FactorKind;
use mfa_core::secret::{secret, MfaToken};
use mfa_core::{Auth0Client, TenantConfig};

pub struct Auth0 {
    pub emulator: RunningEmulator,
    pub control: ControlClient,
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
        let control = ControlClient::new(&emulator.base_url());
        Self { emulator, control }
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

    /// A fresh user with no factor, so tests never share rate-limit buckets.
    pub async fn new_user(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let email = format!("user{}@example.com", NEXT.fetch_add(1, Ordering::Relaxed));
        self.control
            .create_user(&email, PASSWORD)
            .await
            .expect("user created");
        email
    }

    pub async fn outbox(&self) -> Vec<OutboxMessage> {
        self.control.outbox().await.unwrap()
    }

    /// The code in the newest SMS, voice or email message.
    pub async fn last_code(&self) -> String {
        self.outbox().await.pop().expect("a message was sent").code
    }

    pub async fn now(&self) -> u64 {
        self.control.now().await.unwrap()
    }

    pub async fn advance_clock(&self, seconds: u64) {
        self.control
            .advance_clock(seconds.try_into().unwrap())
            .await
            .unwrap();
    }

    /// The authenticator-app code for `secret` at the emulator's time.
    pub async fn totp(&self, secret: &str) -> String {
        totp_at(secret, self.now().await)
    }

    pub async fn approve_push(&self) {
        assert!(self.control.approve_push(None).await.unwrap().is_some());
    }

    pub async fn deny_push(&self) {
        assert!(self.control.deny_push(None).await.unwrap().is_some());
    }

    pub async fn fault(&self, fault: Fault) {
        self.control.add_fault(&fault).await.unwrap();
    }

    pub async fn reset_stats(&self) {
        self.control.reset_stats().await.unwrap();
    }

    /// `(requests to Auth0 endpoints, connections accepted)` since the last reset.
    pub async fn stats(&self) -> (u64, u64) {
        let stats = self.control.stats().await.unwrap();
        (stats.total_requests(), stats.connections_accepted)
    }

    pub async fn recovery_code_of(&self, email: &str) -> Option<String> {
        self.control.recovery_code(email).await.unwrap()
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
pub async fn mfa_token(client: &Auth0Client, email: &str) -> MfaToken {
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
    auth0_emulator::totp_code(secret, unix_seconds).expect("base32 secret")
}
