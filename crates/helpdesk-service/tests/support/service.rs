//! The local Auth0 (the demo tenant) and the helpdesk service in front of it, both on
//! loopback ports, talked to over real HTTP; agents' tokens come from real sign-ins with MFA
//! (password, then the authenticator app's code).

use std::collections::HashMap;
use std::net::SocketAddr;

use auth0_emulator::client::ControlClient;
use auth0_emulator::demo;
use auth0_emulator::{RunningEmulator, Tenant};
use helpdesk_service::config::Config;
use mfa_core::secret::secret;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::{watch, Mutex};

pub const ALL_SCOPES: &str = "openid helpdesk:read helpdesk:act helpdesk:reset helpdesk:approve";

pub struct Auth0 {
    pub emulator: RunningEmulator,
    pub control: ControlClient,
    tokens: Mutex<HashMap<String, String>>,
}

impl Auth0 {
    pub async fn start(tenant: Tenant) -> Self {
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), tenant)
            .await
            .expect("the local Auth0 starts");
        let control = ControlClient::new(&emulator.base_url());
        Self {
            emulator,
            control,
            tokens: Mutex::new(HashMap::new()),
        }
    }

    pub async fn demo() -> Self {
        Self::start(Tenant::demo()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    /// A fresh sign-in with MFA for the helpdesk API (not cached).
    pub async fn sign_in(&self, email: &str, totp_secret: &str, scope: &str) -> String {
        let http = reqwest::Client::new();
        let first: Value = http
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("username", email),
                ("password", demo::PASSWORD),
                ("audience", demo::HELPDESK_API),
                ("scope", scope),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mfa_token = first["mfa_token"].as_str().expect("mfa_required");
        // A TOTP code is accepted once: move to the next window for each sign-in.
        let now = self.control.advance_clock(30).await.unwrap();
        let otp = auth0_emulator::totp_code(totp_secret, now).unwrap();
        let body: Value = http
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("mfa_token", mfa_token),
                ("otp", &otp),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access token: {body}"))
            .to_owned()
    }

    /// The agent's token (read, act), signed in once.
    pub async fn agent(&self) -> String {
        self.cached(demo::HELPDESK_AGENT, demo::HELPDESK_AGENT_TOTP_SECRET)
            .await
    }

    /// The lead's token (all four permissions), signed in once.
    pub async fn lead(&self) -> String {
        self.cached(demo::LEAD, demo::LEAD_TOTP_SECRET).await
    }

    async fn cached(&self, email: &str, totp: &str) -> String {
        let mut tokens = self.tokens.lock().await;
        if let Some(token) = tokens.get(email) {
            return token.clone();
        }
        let token = self.sign_in(email, totp, ALL_SCOPES).await;
        tokens.insert(email.to_owned(), token.clone());
        token
    }
}

/// The service's configuration for `auth0` and the database at `db_url`.
pub fn config(auth0: &Auth0, db_url: &str) -> Config {
    let mut config = Config::default();
    config.auth0.tenant_url = auth0.emulator.base_url();
    config.auth0.client_id = demo::HELPDESK_SERVICE_CLIENT_ID.into();
    config.storage.url = db_url.to_owned();
    config.listen.address = "127.0.0.1:0".parse().unwrap();
    config.listen.shutdown_grace_secs = 5;
    config
}

/// One running service.
pub struct Service {
    pub base: String,
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<(), String>>,
}

impl Service {
    pub async fn start(config: Config) -> Self {
        Self::spawn(config, false).await
    }

    /// With `listen.tls_*` set: ready once it answers over HTTPS (any certificate).
    pub async fn start_tls(config: Config) -> Self {
        Self::spawn(config, true).await
    }

    async fn spawn(config: Config, tls: bool) -> Self {
        let listener = tokio::net::TcpListener::bind(config.listen.address)
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(helpdesk_service::server::serve(
            config,
            secret(demo::HELPDESK_SERVICE_CLIENT_SECRET),
            listener,
            stop_rx,
        ));
        let scheme = if tls { "https" } else { "http" };
        let http = reqwest::Client::builder()
            .danger_accept_invalid_certs(tls)
            .build()
            .unwrap();
        let service = Self {
            base: format!("{scheme}://{addr}"),
            addr,
            http,
            stop,
            task,
        };
        // Ready once the database is migrated and the JWKS answers.
        for _ in 0..100 {
            if let Ok(r) = service
                .http
                .get(format!("{}/readyz", service.base))
                .send()
                .await
            {
                if r.status() == StatusCode::OK {
                    return service;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the service did not become ready");
    }

    /// Sends a request as the holder of `token` (no header when `None`).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        idempotency_key: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None, None).await
    }

    /// A changing request with a fresh idempotency key.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let key = format!("key-{:x}", rand::random::<u64>());
        self.call(Method::POST, path, Some(token), Some(body), Some(&key))
            .await
    }

    /// Records a checklist verification of `user_id`; its id.
    pub async fn verify(&self, token: &str, user_id: &str) -> String {
        let (status, body) = self
            .post(
                &format!("/v1/callers/{}/verifications", enc(user_id)),
                token,
                json!({"method": "callback_directory_number", "reason": "lost phone", "ticket": "INC-1"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// Stops gracefully and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.task.await.unwrap().unwrap();
    }
}

/// A user id as a path segment.
pub fn enc(user_id: &str) -> String {
    user_id.replace('|', "%7C")
}
