//! Wire-shape tests: what a client of the emulator (and of Auth0) relies on.

use std::sync::atomic::{AtomicU32, Ordering};

use auth0_emulator::client::ControlClient;
use auth0_emulator::control_api::Channel;
use auth0_emulator::demo::{
    ENROLLED_RECOVERY_CODE as DEMO_RECOVERY, ENROLLED_TOTP_SECRET as DEMO_SECRET, PASSWORD,
    PUBLIC_CLIENT_ID as CLIENT,
};
use auth0_emulator::{start, totp_code, Fault, RunningEmulator, Tenant};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

const GRANT_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
const GRANT_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
const GRANT_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

struct Env {
    emu: RunningEmulator,
    http: Client,
    control: ControlClient,
}

impl Env {
    async fn new() -> Env {
        Env::with(Tenant::demo()).await
    }

    async fn with(tenant: Tenant) -> Env {
        let emu = start("127.0.0.1:0".parse().unwrap(), tenant).await.unwrap();
        Env {
            control: ControlClient::new(&emu.base_url()),
            emu,
            http: Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    async fn token_form(&self, params: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url("/oauth/token"))
            .form(params)
            .send()
            .await
            .unwrap()
    }

    async fn now(&self) -> u64 {
        self.control.now().await.unwrap()
    }

    async fn advance(&self, seconds: i64) {
        self.control.advance_clock(seconds).await.unwrap();
    }

    async fn fault(&self, fault: Fault) {
        self.control.add_fault(&fault).await.unwrap();
    }

    /// A fresh user, so tests never share rate-limit buckets.
    async fn new_user(&self) -> String {
        static N: AtomicU32 = AtomicU32::new(0);
        let email = format!("user{}@example.com", N.fetch_add(1, Ordering::Relaxed));
        self.control.create_user(&email, PASSWORD).await.unwrap();
        email
    }

    /// Password login that must answer `mfa_required`; returns the mfa_token.
    async fn mfa_token(&self, email: &str, extra: &[(&str, &str)]) -> String {
        let mut params = vec![
            ("grant_type", "password"),
            ("client_id", CLIENT),
            ("username", email),
            ("password", PASSWORD),
        ];
        params.extend_from_slice(extra);
        let r = self.token_form(&params).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "mfa_required");
        assert_eq!(
            body["error_description"],
            "Multifactor authentication required"
        );
        let token = body["mfa_token"].as_str().unwrap().to_string();
        assert!(token.starts_with("Fe26.2*"));
        assert_eq!(token.split('*').count(), 8);
        token
    }

    async fn verify_otp(&self, mfa_token: &str, otp: &str) -> Response {
        self.token_form(&[
            ("grant_type", GRANT_OTP),
            ("client_id", CLIENT),
            ("mfa_token", mfa_token),
            ("otp", otp),
        ])
        .await
    }

    async fn associate(&self, bearer: &str, body: Value) -> Response {
        self.http
            .post(self.url("/mfa/associate"))
            .bearer_auth(bearer)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

fn totp_at(secret: &str, time: u64) -> String {
    totp_code(secret, time).unwrap()
}

async fn error_of(r: Response) -> (StatusCode, String, String) {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
        body["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn ct(r: &Response) -> String {
    r.headers()["content-type"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn otp_enrollment_walk() {
    let env = Env::new().await;
    let email = env.new_user().await;
    let mfa = env
        .mfa_token(&email, &[("scope", "openid offline_access")])
        .await;

    // Associate OTP with the mfa_token (user has no active factor yet).
    let r = env
        .associate(&mfa, json!({"authenticator_types": ["otp"]}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(ct(&r), "application/json; charset=utf-8");
    let assoc: Value = r.json().await.unwrap();
    assert_eq!(assoc["authenticator_type"], "otp");
    let secret = assoc["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 32);
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    let account = email.replace('@', "%40");
    assert_eq!(
        assoc["barcode_uri"],
        format!(
            "otpauth://totp/MFA%20Desk%20Demo:{account}?secret={secret}&issuer=MFA%20Desk%20Demo&algorithm=SHA1&digits=6&period=30"
        )
    );
    let codes = assoc["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    let code = codes[0].as_str().unwrap();
    assert_eq!(code.len(), 24);
    assert!(code
        .bytes()
        .all(|b| b"123456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b)));

    // Listed, inactive until confirmed.
    let list: Value = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(&mfa)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|a| a["active"] == false));

    // Wrong code.
    let (status, err, desc) = error_of(env.verify_otp(&mfa, "000000").await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (StatusCode::FORBIDDEN, "invalid_grant", "Invalid otp_code.")
    );

    // Right code, computed on the emulator's clock.
    let otp = totp_at(secret, env.now().await);
    let r = env.verify_otp(&mfa, &otp).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(ct(&r), "application/json");
    let tokens: Value = r.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "openid offline_access");
    assert!(tokens["expires_in"].as_u64().unwrap() > 0);
    assert_eq!(
        tokens["access_token"].as_str().unwrap().split('.').count(),
        3
    );
    assert!(tokens["id_token"].is_string());
    assert!(tokens["refresh_token"].as_str().unwrap().len() >= 40);

    // An accepted code cannot be reused.
    let (status, err, desc) = error_of(env.verify_otp(&mfa, &otp).await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (StatusCode::FORBIDDEN, "invalid_grant", "Invalid otp_code.")
    );

    // Confirmed: totp and recovery code are active; the mfa_token may no
    // longer associate.
    let list: Value = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(&mfa)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.as_array().unwrap().iter().all(|a| a["active"] == true));
    let (status, err, desc) = error_of(
        env.associate(&mfa, json!({"authenticator_types": ["otp"]}))
            .await,
    )
    .await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::FORBIDDEN,
            "access_denied",
            "User is already enrolled."
        )
    );

    // Refresh token works.
    let r = env
        .token_form(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn form_and_json_bodies_are_both_accepted() {
    let env = Env::new().await;
    let body = json!({
        "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
        "realm": "Username-Password-Authentication",
        "client_id": "mfa-desk-confidential",
        "client_secret": "demo-client-secret",
        "username": "enrolled@example.com",
        "password": PASSWORD,
    });
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, err, _) = error_of(r).await;
    assert_eq!(
        (status, err.as_str()),
        (StatusCode::FORBIDDEN, "mfa_required")
    );

    env.mfa_token("enrolled@example.com", &[]).await;

    // Unknown realm and wrong secret.
    let mut bad = body.clone();
    bad["realm"] = json!("nope");
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    let (status, err, desc) = error_of(r).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::FORBIDDEN,
            "invalid_grant",
            "Wrong email or password."
        )
    );
    let mut bad = body;
    bad["client_secret"] = json!("wrong");
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    let (status, err, _) = error_of(r).await;
    assert_eq!(
        (status, err.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_client")
    );
}

#[tokio::test]
async fn grant_not_enabled_is_unauthorized_client() {
    let env = Env::new().await;
    let r = env
        .token_form(&[
            ("grant_type", GRANT_OTP),
            ("client_id", "limited-client"),
            ("mfa_token", "x"),
            ("otp", "1"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": "unauthorized_client",
               "error_description": format!("Grant type '{GRANT_OTP}' not allowed for the client."),
               "error_uri": "https://auth0.com/docs/clients/client-grant-types"})
    );
}

#[tokio::test]
async fn mfa_token_expires_on_the_virtual_clock() {
    let env = Env::new().await;
    let mfa = env.mfa_token("enrolled@example.com", &[]).await;
    env.advance(601).await;
    let otp = totp_at(DEMO_SECRET, env.now().await);
    let (status, err, desc) = error_of(env.verify_otp(&mfa, &otp).await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::FORBIDDEN,
            "expired_token",
            "mfa_token is expired"
        )
    );

    let r = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(&mfa)
        .send()
        .await
        .unwrap();
    let (status, err, _) = error_of(r).await;
    assert_eq!(
        (status, err.as_str()),
        (StatusCode::UNAUTHORIZED, "expired_token")
    );

    // A JWT where an mfa_token belongs is "Malformed".
    let (status, err, desc) = error_of(env.verify_otp("a.b.c", &otp).await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::FORBIDDEN,
            "invalid_grant",
            "Malformed mfa_token"
        )
    );
}

#[tokio::test]
async fn sms_sends_are_rate_limited_with_headers() {
    let env = Env::new().await;
    let email = env.new_user().await;
    let mfa = env.mfa_token(&email, &[]).await;
    let sms = json!({"authenticator_types": ["oob"], "oob_channels": ["sms"], "phone_number": "+15555550100"});
    let mut last = Value::Null;
    for _ in 0..10 {
        let r = env.associate(&mfa, sms.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
        last = r.json().await.unwrap();
        assert_eq!(last["binding_method"], "prompt");
        assert_eq!(last["oob_channel"], "sms");
    }
    let r = env.associate(&mfa, sms.clone()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let h = r.headers();
    assert_eq!(h["x-ratelimit-limit"], "10");
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let reset: u64 = h["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    let retry: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(reset > env.now().await && (3000..=3600).contains(&retry));
    let (_, err, _) = error_of(r).await;
    assert_eq!(err, "too_many_requests");

    // Confirm the last association with the code from the outbox.
    let outbox = env.control.outbox().await.unwrap();
    assert_eq!(outbox.len(), 10);
    let sent = outbox.last().unwrap();
    assert_eq!(sent.channel, Channel::Sms);
    assert_eq!(sent.to, "+15555550100");
    let code = sent.code.as_str();
    assert_eq!(
        sent.text,
        format!("Your MFA Desk Demo verification code is: {code}")
    );
    let oob = last["oob_code"].as_str().unwrap();
    let base = [
        ("grant_type", GRANT_OOB),
        ("client_id", CLIENT),
        ("mfa_token", mfa.as_str()),
        ("oob_code", oob),
    ];
    let (status, err, desc) = error_of(env.token_form(&base).await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing required parameter: binding_code"
        )
    );
    let mut wrong = base.to_vec();
    wrong.push(("binding_code", "999999x"));
    let (status, _, desc) = error_of(env.token_form(&wrong).await).await;
    assert_eq!(
        (status, desc.as_str()),
        (StatusCode::FORBIDDEN, "Invalid binding_code.")
    );
    let mut right = base.to_vec();
    right.push(("binding_code", code));
    assert_eq!(env.token_form(&right).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn drop_fault_closes_the_connection() {
    let env = Env::new().await;
    env.fault(Fault::drop_connection("/oauth/token")).await;
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .form(&[("grant_type", "password")])
        .send()
        .await;
    assert!(r.is_err(), "expected a connection error, got {r:?}");
    // One use only.
    env.mfa_token("enrolled@example.com", &[]).await;

    // after_handling: the recovery code rotates although the answer is lost.
    let mfa = env.mfa_token("enrolled@example.com", &[]).await;
    env.fault(Fault::drop_connection("/oauth/token").after_handling())
        .await;
    let params = [
        ("grant_type", GRANT_RECOVERY),
        ("client_id", CLIENT),
        ("mfa_token", mfa.as_str()),
        ("recovery_code", DEMO_RECOVERY),
    ];
    assert!(env
        .http
        .post(env.url("/oauth/token"))
        .form(&params)
        .send()
        .await
        .is_err());
    let (status, err, desc) = error_of(env.token_form(&params).await).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::FORBIDDEN,
            "invalid_grant",
            "MFA Authorization rejected."
        )
    );
}

#[tokio::test]
async fn stats_count_connections_and_requests() {
    let env = Env::new().await;
    env.control.reset_stats().await.unwrap();
    let a = Client::new();
    let b = Client::new();
    for c in [&a, &a, &b] {
        c.get(env.url("/mfa/authenticators")).send().await.unwrap();
    }
    let stats = env.control.stats().await.unwrap();
    // a (one kept-alive connection) + b; the control client's calls may add one.
    let n = stats.connections_accepted;
    assert!((2..=3).contains(&n), "{stats:?}");
    assert_eq!(stats.requests["/mfa/authenticators"], 3);
    assert!(!stats.requests.contains_key("/__emulator/stats"));
}

#[tokio::test]
async fn push_enrollment_polls_then_approves() {
    let mut tenant = Tenant::demo();
    tenant.settings.push_min_poll_interval_secs = 5;
    let env = Env::with(tenant).await;
    let email = env.new_user().await;
    let mfa = env.mfa_token(&email, &[]).await;
    let r = env
        .associate(
            &mfa,
            json!({"authenticator_types": ["oob"], "oob_channels": ["auth0"]}),
        )
        .await;
    let assoc: Value = r.json().await.unwrap();
    assert!(assoc.get("binding_method").is_none());
    let uri = assoc["barcode_uri"].as_str().unwrap();
    let base = env.emu.base_url().replace(':', "%3A").replace('/', "%2F");
    assert!(uri.ends_with(&format!("&base_url={base}")), "{uri}");
    let oob = assoc["oob_code"].as_str().unwrap();
    let poll = [
        ("grant_type", GRANT_OOB),
        ("client_id", CLIENT),
        ("mfa_token", mfa.as_str()),
        ("oob_code", oob),
    ];

    let (status, err, _) = error_of(env.token_form(&poll).await).await;
    assert_eq!(
        (status, err.as_str()),
        (StatusCode::BAD_REQUEST, "authorization_pending")
    );
    let (_, err, desc) = error_of(env.token_form(&poll).await).await;
    assert_eq!(err, "slow_down");
    assert_eq!(
        desc,
        "You are polling faster than allowed. Try again in 5 seconds."
    );

    assert!(env.control.approve_push(None).await.unwrap().is_some());
    env.advance(5).await;
    assert_eq!(env.token_form(&poll).await.status(), StatusCode::OK);
    let list: Value = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(&mfa)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // push, its totp sibling and the recovery code: all active.
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert!(list.as_array().unwrap().iter().all(|a| a["active"] == true));
}

#[tokio::test]
async fn challenge_and_delete_with_an_mfa_access_token() {
    let env = Env::new().await;
    let audience = env.emu.mfa_audience();
    let mfa = env
        .mfa_token(
            "enrolled@example.com",
            &[
                ("audience", &audience),
                ("scope", "read:authenticators remove:authenticators"),
            ],
        )
        .await;
    let challenge = |t: Value| env.http.post(env.url("/mfa/challenge")).json(&t).send();
    let r = challenge(json!({"client_id": CLIENT, "mfa_token": mfa, "challenge_type": "otp"}))
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"challenge_type": "otp"})
    );
    let r = challenge(json!({"client_id": CLIENT, "mfa_token": mfa, "challenge_type": "oob"}))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["challenge_type"], "oob");
    assert_eq!(body["binding_method"], "prompt");

    let otp = totp_at(DEMO_SECRET, env.now().await);
    let tokens: Value = env.verify_otp(&mfa, &otp).await.json().await.unwrap();
    assert_eq!(tokens["expires_in"], 600);
    let access = tokens["access_token"].as_str().unwrap();

    let list: Value = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sms = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["oob_channel"] == "sms")
        .unwrap();
    assert_eq!(sms["name"], "XXXXXXXX0123");
    let id = sms["id"].as_str().unwrap().replace('|', "%7C");

    let r = env
        .http
        .delete(env.url(&format!("/mfa/authenticators/{id}")))
        .bearer_auth(&mfa)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = env
        .http
        .delete(env.url(&format!("/mfa/authenticators/{id}")))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = env
        .http
        .delete(env.url(&format!("/mfa/authenticators/{id}")))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    let (status, err, _) = error_of(r).await;
    assert_eq!((status, err.as_str()), (StatusCode::NOT_FOUND, "not_found"));

    // sms and voice went together.
    let list: Value = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a.get("oob_channel").is_none()));
}

#[tokio::test]
async fn lockouts_and_limits() {
    let env = Env::new().await;

    // Wrong codes drain the failed-code bucket (10), then 429 too_many_attempts.
    let mfa = env.mfa_token("enrolled@example.com", &[]).await;
    for _ in 0..10 {
        let (status, _, _) = error_of(env.verify_otp(&mfa, "000000").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let r = env.verify_otp(&mfa, "000000").await;
    assert!(r.headers().contains_key("x-ratelimit-reset"));
    let (status, err, desc) = error_of(r).await;
    assert_eq!(
        (status, err.as_str(), desc.as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "Too many failed attempts. Try again later."
        )
    );
    // One token back after 6 minutes.
    env.advance(360).await;
    let mfa = env.mfa_token("enrolled@example.com", &[]).await;
    let otp = totp_at(DEMO_SECRET, env.now().await);
    assert_eq!(env.verify_otp(&mfa, &otp).await.status(), StatusCode::OK);

    // Brute force: 10 wrong passwords block the user, even for the right one.
    let email = env.new_user().await;
    let wrong = [
        ("grant_type", "password"),
        ("client_id", CLIENT),
        ("username", email.as_str()),
        ("password", "nope"),
    ];
    for _ in 0..10 {
        let (_, _, desc) = error_of(env.token_form(&wrong).await).await;
        assert_eq!(desc, "Wrong email or password.");
    }
    let right = [
        ("grant_type", "password"),
        ("client_id", CLIENT),
        ("username", email.as_str()),
        ("password", PASSWORD),
    ];
    let (status, err, _) = error_of(env.token_form(&right).await).await;
    assert_eq!(
        (status, err.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
    );
    env.advance(900).await;
    env.mfa_token(&email, &[]).await;

    // Bodies over 64 KiB.
    let big = "x".repeat(70 * 1024);
    let r = env.token_form(&[("grant_type", big.as_str())]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn status_and_malformed_faults() {
    let env = Env::new().await;
    env.fault(Fault::status("/mfa/challenge", 503).times(2))
        .await;
    for _ in 0..2 {
        let r = env
            .http
            .post(env.url("/mfa/challenge"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let (status, err, _) = error_of(r).await;
        assert_eq!(
            (status, err.as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "server_error")
        );
    }
    let r = env
        .http
        .post(env.url("/mfa/challenge"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    env.fault(Fault::malformed("/oauth/token")).await;
    let r = env.token_form(&[("grant_type", "password")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.json::<Value>().await.is_err());

    env.fault(Fault::rate_limit("/oauth/token")).await;
    let r = env.token_form(&[("grant_type", "password")]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "60");
}
