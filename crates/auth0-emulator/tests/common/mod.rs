//! An emulator on a loopback port, an HTTP client, and helpers for the
//! Management API tests.
#![allow(dead_code)] // each test binary uses part of it

pub mod hosted;
pub mod jwt;
pub mod passkey;

use auth0_emulator::client::ControlClient;
use auth0_emulator::{demo, start, RunningEmulator, Tenant};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub const GRANT_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

pub struct Env {
    pub emu: RunningEmulator,
    pub http: Client,
    pub control: ControlClient,
}

impl Env {
    pub async fn new() -> Env {
        Env::with(Tenant::demo()).await
    }

    pub async fn with(tenant: Tenant) -> Env {
        let emu = start("127.0.0.1:0".parse().unwrap(), tenant).await.unwrap();
        Env {
            control: ControlClient::new(&emu.base_url()),
            emu,
            http: Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    /// `<base_url>/api/v2/`
    pub fn management_audience(&self) -> String {
        self.url("/api/v2/")
    }

    /// A client_credentials request, form-encoded.
    pub async fn m2m(&self, params: &[(&str, &str)]) -> Response {
        let mut form = vec![("grant_type", "client_credentials")];
        form.extend_from_slice(params);
        self.http
            .post(self.url("/oauth/token"))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// A Management API token for a demo helpdesk client.
    pub async fn token_for(&self, client_id: &str, secret: &str, scope: Option<&str>) -> String {
        let audience = self.management_audience();
        let mut params = vec![
            ("client_id", client_id),
            ("client_secret", secret),
            ("audience", audience.as_str()),
        ];
        if let Some(scope) = scope {
            params.push(("scope", scope));
        }
        let r = self.m2m(&params).await;
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn helpdesk(&self) -> String {
        self.token_for(demo::HELPDESK_CLIENT_ID, demo::HELPDESK_CLIENT_SECRET, None)
            .await
    }

    pub async fn readonly(&self) -> String {
        self.token_for(
            demo::HELPDESK_READONLY_CLIENT_ID,
            demo::HELPDESK_READONLY_CLIENT_SECRET,
            None,
        )
        .await
    }

    /// A Management API request with a bearer token.
    pub fn api(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(&format!("/api/v2{path}")))
            .bearer_auth(token)
    }

    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let r = self.api(Method::GET, path, token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    /// Password sign-in that answers `mfa_required`; the mfa_token.
    pub async fn mfa_token(&self, email: &str) -> String {
        let r = self
            .token_form(&[
                ("grant_type", "password"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("username", email),
                ("password", demo::PASSWORD),
            ])
            .await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "mfa_required", "{body}");
        body["mfa_token"].as_str().unwrap().to_owned()
    }

    pub async fn token_form(&self, params: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url("/oauth/token"))
            .form(params)
            .send()
            .await
            .unwrap()
    }

    /// The MFA API's list with an mfa_token.
    pub async fn mfa_list(&self, mfa_token: &str) -> Vec<Value> {
        let r = self
            .http
            .get(self.url("/mfa/authenticators"))
            .bearer_auth(mfa_token)
            .send()
            .await
            .unwrap();
        r.json::<Value>().await.unwrap().as_array().unwrap().clone()
    }

    pub async fn associate(&self, mfa_token: &str, body: Value) -> Response {
        self.http
            .post(self.url("/mfa/associate"))
            .bearer_auth(mfa_token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A new user with no factor; its email and user id.
    pub async fn new_user(&self, email: &str) -> (String, String) {
        let created = self
            .control
            .create_user(email, demo::PASSWORD)
            .await
            .unwrap();
        (email.to_owned(), created.user_id)
    }
}

/// `auth0|abc` → `auth0%7Cabc`
pub fn enc(id: &str) -> String {
    id.replace('|', "%7C")
}

/// Status and JSON body.
pub async fn answer(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}
