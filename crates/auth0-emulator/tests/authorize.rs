//! `/authorize`, the hosted sign-in pages and the `authorization_code`
//! grant with PKCE, driven like a browser that does not follow redirects.

mod common;

use auth0_emulator::control_api::Channel;
use auth0_emulator::{demo, totp_code, Tenant};
use base64::Engine as _;
use common::{answer, Env};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:43117/callback";
const MFA_SCOPES: &str = "openid enroll read:authenticators remove:authenticators offline_access";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A browser: no redirects followed, so each step is seen.
struct Browser<'a> {
    env: &'a Env,
    http: Client,
}

/// The query of a redirect back to the app.
fn callback_params(location: &str) -> Vec<(String, String)> {
    assert!(location.starts_with(REDIRECT), "{location}");
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn get_param(params: &[(String, String)], key: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// The text between `id="<id>">` and the next `<`.
fn element(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\">")).expect(id) + id.len() + 6;
    html[start..].split('<').next().unwrap().to_owned()
}

impl<'a> Browser<'a> {
    fn new(env: &'a Env) -> Self {
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { env, http }
    }

    /// `GET path`: (status, Location, body).
    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.env.url(path)
        };
        let r = self.http.get(url).send().await.unwrap();
        Self::seen(r).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
        let r = self
            .http
            .post(self.env.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        Self::seen(r).await
    }

    async fn seen(r: reqwest::Response) -> (StatusCode, String, String) {
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }

    /// `/authorize` for the demo public client; the sign-in's state id.
    async fn authorize(&self, extra: &str) -> String {
        let path = format!(
            "/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge={}&code_challenge_method=S256&state=xyz{extra}",
            demo::PUBLIC_CLIENT_ID,
            url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>(),
            challenge(VERIFIER),
        );
        let (status, location, _) = self.get(&path).await;
        assert_eq!(status, StatusCode::FOUND);
        let id = location.strip_prefix("/u/login?state=").expect(&location);
        id.to_owned()
    }

    /// Email and password; where the sign-in goes next.
    async fn password(&self, id: &str, email: &str) -> String {
        let form = [
            ("state", id),
            ("email", email),
            ("password", demo::PASSWORD),
            ("action", "continue"),
        ];
        let (status, location, body) = self.post("/u/login", &form).await;
        assert_eq!(status, StatusCode::FOUND, "{body}");
        location
    }

    /// Submits a code on `/u/mfa` for `factor` ("" for the one shown first).
    async fn code(&self, id: &str, factor: &str, code: &str) -> (StatusCode, String, String) {
        let form = [
            ("state", id),
            ("factor", factor),
            ("code", code),
            ("action", "continue"),
        ];
        self.post("/u/mfa", &form).await
    }

    async fn exchange(&self, code: &str, verifier: &str, redirect: &str) -> (StatusCode, Value) {
        let r = self
            .env
            .token_form(&[
                ("grant_type", "authorization_code"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("code", code),
                ("code_verifier", verifier),
                ("redirect_uri", redirect),
            ])
            .await;
        answer(r).await
    }
}

fn audience_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice::<Value>(&bytes).unwrap()["aud"].clone()
}

#[tokio::test]
async fn sign_in_with_an_authenticator_app_then_redeem_the_code() {
    let env = Env::new().await;
    let b = Browser::new(&env);
    let audience = env.url("/mfa/");
    let extra = format!(
        "&audience={}&scope={}",
        url::form_urlencoded::byte_serialize(audience.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(MFA_SCOPES.as_bytes()).collect::<String>()
    );
    let id = b.authorize(&extra).await;
    let (status, _, html) = b.get(&format!("/u/login?state={id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password\""));

    // A wrong password stays on the page.
    let wrong = [
        ("state", id.as_str()),
        ("email", demo::ENROLLED),
        ("password", "nope"),
    ];
    let (status, _, html) = b.post("/u/login", &wrong).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(element(&html, "error"), "Wrong email or password.");

    let next = b.password(&id, demo::ENROLLED).await;
    assert_eq!(next, format!("/u/mfa?state={id}"));
    let (status, _, html) = b.get(&next).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Code from your authenticator app"));
    assert!(html.contains("id=\"use-recovery-code\""));

    let totp = |now| totp_code(demo::ENROLLED_TOTP_SECRET, now).unwrap();
    let (status, _, html) = b.code(&id, demo::ENROLLED_TOTP_ID, "000000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(element(&html, "error"), "Invalid code. Try again.");
    let now = env.control.now().await.unwrap();
    let (status, location, _) = b.code(&id, demo::ENROLLED_TOTP_ID, &totp(now)).await;
    assert_eq!(status, StatusCode::FOUND);
    let params = callback_params(&location);
    assert_eq!(get_param(&params, "state").as_deref(), Some("xyz"));
    let code = get_param(&params, "code").unwrap();

    // Wrong verifier: refused, and the code is spent.
    let (status, body) = b
        .exchange(
            &code,
            "not-the-verifier-at-all-not-the-verifier-at-all",
            REDIRECT,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "invalid_grant", "error_description": "Failed to verify code verifier"})
        )
    );
    let (status, body) = b.exchange(&code, VERIFIER, REDIRECT).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "invalid_grant", "error_description": "Invalid authorization code"})
        )
    );

    // Again, right this time: an MFA API token with the scopes asked for.
    let id2 = b.authorize(&extra).await;
    b.password(&id2, demo::ENROLLED).await;
    env.control.advance_clock(30).await.unwrap();
    let now = env.control.now().await.unwrap();
    let f = [
        ("state", id2.as_str()),
        ("factor", demo::ENROLLED_TOTP_ID),
        ("code", &totp(now)),
        ("action", "continue"),
    ];
    let (_, location, _) = b.post("/u/mfa", &f).await;
    let code = get_param(&callback_params(&location), "code").unwrap();
    let (status, tokens) = b.exchange(&code, VERIFIER, REDIRECT).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], MFA_SCOPES);
    assert_eq!(tokens["expires_in"], 600);
    assert!(tokens["refresh_token"].is_string() && tokens["id_token"].is_string());
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(audience_of(access), json!(audience));
    let list = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    // Single use.
    let (status, _) = b.exchange(&code, VERIFIER, REDIRECT).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let issued = env.control.tokens().await.unwrap();
    assert!(issued.authorization_codes.contains(&code));
}

#[tokio::test]
async fn codes_are_bound_to_redirect_client_and_lifetime() {
    let env = Env::new().await;
    let b = Browser::new(&env);
    let sign_in = || async {
        let id = b.authorize("").await;
        b.password(&id, demo::ONLY_RECOVERY).await;
        // Only a recovery code: the tenant makes them enroll an app first.
        let (status, _, html) = b.get(&format!("/u/mfa-enroll?state={id}")).await;
        assert_eq!(status, StatusCode::OK);
        let secret = element(&html, "secret");
        let now = env.control.now().await.unwrap();
        let code = totp_code(&secret, now).unwrap();
        let f = [
            ("state", id.as_str()),
            ("code", code.as_str()),
            ("action", "continue"),
        ];
        let (status, location, _) = b.post("/u/mfa-enroll", &f).await;
        assert_eq!(
            status,
            StatusCode::FOUND,
            "no new recovery code: they had one"
        );
        env.control.advance_clock(30).await.unwrap();
        get_param(&callback_params(&location), "code").unwrap()
    };
    let code = sign_in().await;
    let (status, body) = b
        .exchange(&code, VERIFIER, "http://127.0.0.1:1/elsewhere")
        .await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &json!("invalid_grant"))
    );

    // After one sign-in the app is enrolled: MFA now asks for it.
    let id = b.authorize("").await;
    assert_eq!(
        b.password(&id, demo::ONLY_RECOVERY).await,
        format!("/u/mfa?state={id}")
    );

    let mut tenant = Tenant::demo();
    tenant.settings.authorization_code_ttl_secs = 60;
    let env = Env::with(tenant).await;
    let b = Browser::new(&env);
    let id = b.authorize("").await;
    b.password(&id, demo::NEW_HIRE).await;
    let (_, _, html) = b.get(&format!("/u/mfa-enroll?state={id}")).await;
    let secret = element(&html, "secret");
    let code = totp_code(&secret, env.control.now().await.unwrap()).unwrap();
    let f = [
        ("state", id.as_str()),
        ("code", code.as_str()),
        ("action", "continue"),
    ];
    let (status, _, html) = b.post("/u/mfa-enroll", &f).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a first enrollment shows the recovery code"
    );
    let recovery = element(&html, "recovery-code");
    assert_eq!(
        env.control.recovery_code(demo::NEW_HIRE).await.unwrap(),
        Some(recovery)
    );
    let (status, location, _) = b
        .post(
            "/u/recovery-code",
            &[("state", &id), ("action", "continue")],
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    let code = get_param(&callback_params(&location), "code").unwrap();
    env.control.advance_clock(61).await.unwrap();
    let (status, body) = b.exchange(&code, VERIFIER, REDIRECT).await;
    assert_eq!(
        (status, &body["error_description"]),
        (StatusCode::FORBIDDEN, &json!("Invalid authorization code"))
    );

    // Another client cannot redeem a code.
    let id = b.authorize("").await;
    b.password(&id, demo::NEW_HIRE).await;
    let now = env.control.now().await.unwrap();
    let f = [
        ("state", id.as_str()),
        ("factor", ""),
        ("code", &totp_code(&secret, now).unwrap()),
        ("action", "continue"),
    ];
    let (_, location, _) = b.post("/u/mfa", &f).await;
    let code = get_param(&callback_params(&location), "code").unwrap();
    let r = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", demo::CONFIDENTIAL_CLIENT_ID),
            ("client_secret", demo::CONFIDENTIAL_CLIENT_SECRET),
            ("code", &code),
            ("code_verifier", VERIFIER),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(
        answer(r).await.1["error_description"],
        "Invalid authorization code"
    );
}

#[tokio::test]
async fn sms_push_and_recovery_code_factors() {
    let env = Env::new().await;
    let b = Browser::new(&env);

    // SMS: the code goes to the outbox.
    let id = b.authorize("").await;
    b.password(&id, demo::ENROLLED).await;
    let (status, _, html) = b
        .get(&format!(
            "/u/mfa?state={id}&factor=sms%7Cdev_DemoPhoneEnrolld"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(element(&html, "sent").contains("XXXXXXXX0123"));
    let sms = env
        .control
        .last_message(Channel::Sms)
        .await
        .unwrap()
        .unwrap();
    let f = [
        ("state", id.as_str()),
        ("factor", demo::ENROLLED_SMS_ID),
        ("code", sms.code.as_str()),
        ("action", "continue"),
    ];
    let (status, location, _) = b.post("/u/mfa", &f).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(get_param(&callback_params(&location), "code").is_some());

    // Push approved: the page's refresh finishes the sign-in.
    let id = b.authorize("").await;
    b.password(&id, demo::PUSH_USER).await;
    let (status, _, html) = b.get(&format!("/u/mfa?state={id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("http-equiv=\"refresh\"") && html.contains("id=\"push-sent\""));
    let (status, _, _) = b.get(&format!("/u/mfa?state={id}")).await;
    assert_eq!(status, StatusCode::OK, "still pending, nothing sent twice");
    let push = env.control.approve_push(None).await.unwrap().unwrap();
    assert_eq!(push.email.as_deref(), Some(demo::PUSH_USER));
    let (status, location, _) = b.get(&format!("/u/mfa?state={id}")).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(get_param(&callback_params(&location), "code").is_some());

    // Push denied: access_denied back to the app.
    let id = b.authorize("").await;
    b.password(&id, demo::PUSH_USER).await;
    b.get(&format!("/u/mfa?state={id}")).await;
    env.control.deny_push(None).await.unwrap().unwrap();
    let f = [
        ("state", id.as_str()),
        ("factor", "push|dev_DemoPushPushUser"),
        ("action", "continue"),
    ];
    let (status, location, _) = b.post("/u/mfa", &f).await;
    assert_eq!(status, StatusCode::FOUND);
    let params = callback_params(&location);
    assert_eq!(
        get_param(&params, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(get_param(&params, "state").as_deref(), Some("xyz"));

    // Recovery code: it rotates, and the new one is shown once.
    let id = b.authorize("").await;
    b.password(&id, demo::PUSH_USER).await;
    let f = [
        ("state", id.as_str()),
        ("factor", "recovery-code"),
        ("code", demo::PUSH_USER_RECOVERY_CODE),
        ("action", "continue"),
    ];
    let (status, _, html) = b.post("/u/mfa", &f).await;
    assert_eq!(status, StatusCode::OK);
    let fresh = element(&html, "recovery-code");
    assert_ne!(fresh, demo::PUSH_USER_RECOVERY_CODE);
    assert_eq!(
        env.control.recovery_code(demo::PUSH_USER).await.unwrap(),
        Some(fresh)
    );
    let (status, location, _) = b
        .post(
            "/u/recovery-code",
            &[("state", &id), ("action", "continue")],
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(get_param(&callback_params(&location), "code").is_some());
}

#[tokio::test]
async fn cancel_and_bad_requests() {
    let env = Env::new().await;
    let b = Browser::new(&env);
    let id = b.authorize("").await;
    let (status, location, _) = b
        .post("/u/login", &[("state", &id), ("action", "cancel")])
        .await;
    assert_eq!(status, StatusCode::FOUND);
    let params = callback_params(&location);
    assert_eq!(
        get_param(&params, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(get_param(&params, "state").as_deref(), Some("xyz"));
    let (status, _, _) = b.get(&format!("/u/login?state={id}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the sign-in is over");

    let id = b.authorize("").await;
    b.password(&id, demo::ENROLLED).await;
    let (_, location, _) = b
        .post("/u/mfa", &[("state", &id), ("action", "cancel")])
        .await;
    assert_eq!(
        get_param(&callback_params(&location), "error").as_deref(),
        Some("access_denied")
    );

    let redirect = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>();
    let c = challenge(VERIFIER);
    let client = demo::PUBLIC_CLIENT_ID;
    // Requests the emulator cannot send back: an error page.
    for path in [
        format!("/authorize?response_type=code&client_id=nope&redirect_uri={redirect}"),
        format!("/authorize?response_type=code&client_id={client}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"),
    ] {
        let (status, location, html) = b.get(&path).await;
        assert_eq!((status, location.as_str()), (StatusCode::BAD_REQUEST, ""));
        assert!(html.contains("id=\"error\""));
    }
    // The rest go back to the app with an error.
    let cases = [
        (format!("response_type=token&client_id={client}&code_challenge={c}"), "unsupported_response_type"),
        (format!("response_type=code&client_id={}&code_challenge={c}", demo::LIMITED_CLIENT_ID), "unauthorized_client"),
        (format!("response_type=code&client_id={client}"), "invalid_request"),
        (format!("response_type=code&client_id={client}&code_challenge={c}&code_challenge_method=plain"), "invalid_request"),
    ];
    for (query, error) in cases {
        let (status, location, _) = b
            .get(&format!(
                "/authorize?{query}&redirect_uri={redirect}&state=s1"
            ))
            .await;
        assert_eq!(status, StatusCode::FOUND, "{query}");
        let params = callback_params(&location);
        assert_eq!(
            get_param(&params, "error").as_deref(),
            Some(error),
            "{query}"
        );
        assert_eq!(get_param(&params, "state").as_deref(), Some("s1"));
    }
}

/// Spec §2.4 UNCONFIRMED, a tenant setting: confirming an authenticator
/// associated with an MFA API access token, with no mfa_token in hand.
#[tokio::test]
async fn confirming_with_an_access_token_is_a_tenant_setting() {
    for allowed in [false, true] {
        let mut tenant = Tenant::demo();
        tenant.settings.confirm_with_access_token = allowed;
        let env = Env::with(tenant).await;
        let b = Browser::new(&env);
        let audience = env.url("/mfa/");
        let extra = format!(
            "&audience={}&scope=enroll",
            url::form_urlencoded::byte_serialize(audience.as_bytes()).collect::<String>()
        );
        let id = b.authorize(&extra).await;
        b.password(&id, demo::HELPDESK_AGENT).await;
        let now = env.control.now().await.unwrap();
        let code = totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
        let f = [
            ("state", id.as_str()),
            ("factor", ""),
            ("code", code.as_str()),
            ("action", "continue"),
        ];
        let (_, location, _) = b.post("/u/mfa", &f).await;
        let auth_code = get_param(&callback_params(&location), "code").unwrap();
        let (_, tokens) = b.exchange(&auth_code, VERIFIER, REDIRECT).await;
        let access = tokens["access_token"].as_str().unwrap();

        let r = env
            .associate(access, json!({"authenticator_types": ["otp"]}))
            .await;
        let assoc: Value = r.json().await.unwrap();
        let later = env.control.advance_clock(30).await.unwrap();
        let otp = totp_code(assoc["secret"].as_str().unwrap(), later).unwrap();
        let r = env
            .token_form(&[
                ("grant_type", common::GRANT_OTP),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("mfa_token", access),
                ("otp", &otp),
            ])
            .await;
        let (status, body) = answer(r).await;
        if allowed {
            assert_eq!(status, StatusCode::OK, "{body}");
            let agent = env
                .control
                .user_secrets(demo::HELPDESK_AGENT)
                .await
                .unwrap()
                .unwrap();
            assert!(
                agent.otp.iter().all(|o| o.active),
                "the new app is confirmed"
            );
        } else {
            assert_eq!(
                (status, body),
                (
                    StatusCode::FORBIDDEN,
                    json!({"error": "invalid_grant", "error_description": "Malformed mfa_token"})
                )
            );
        }
    }
}
