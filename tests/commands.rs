//! The Tauri command layer under Tauri's mock runtime (no window): what the webview receives
//! for each wizard step, against the local Auth0, with an in-memory secret store.

mod support;

use mfa_core::secret_store::{MemoryStore, RecoveryCodeVault, SecretStore};
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, MockApp as App, SharedStore};
use support::*;

/// The app in demo mode, attached to `auth0`, with its own in-memory secret store.
async fn app(auth0: &Auth0) -> App {
    app_with(Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: None,
    })
    .await
}

async fn app_with(launch: Launch) -> App {
    app_with_store(launch, Box::new(MemoryStore::default())).await
}

async fn app_with_store(launch: Launch, store: Box<dyn SecretStore>) -> App {
    mock_app(launch, store).await
}

impl App {
    async fn error_code(&self, cmd: &str, args: Value) -> String {
        let error = self.call(cmd, args).await.expect_err(cmd);
        assert!(
            error.get("message").is_none(),
            "no text crosses to the UI: {error}"
        );
        error["code"].as_str().unwrap().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn start_up_state_in_demo_mode() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["demo"], true);
    assert_eq!(state["tenant"]["name"], "MFA Desk Demo");
    assert_eq!(
        state["factors"],
        json!(["otp", "sms", "voice", "email", "push"])
    );
    assert_eq!(state["pendingRecoveryCode"], Value::Null);
    assert_eq!(state["signedIn"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn first_enrollment_shows_the_recovery_code_until_it_is_confirmed() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    let email = auth0.new_user().await;
    let signed_in = app
        .ok("sign_in", json!({"username": email, "password": PASSWORD}))
        .await;
    assert_eq!(signed_in["next"], "enroll");
    assert!(
        !signed_in.to_string().contains("Fe26"),
        "the mfa_token stays in Rust"
    );

    let started = app.ok("enroll_start", json!({"kind": "otp"})).await;
    let groups: Vec<String> =
        serde_json::from_value(started["otp"]["secretGroups"].clone()).unwrap();
    assert_eq!(groups.len(), 8);
    let secret = groups.concat();
    assert!(started["otp"]["qrDataUrl"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    assert_eq!(started["otp"]["issuer"], "MFA Desk Demo");

    assert_eq!(
        app.error_code("enroll_confirm", json!({"code": "12 34"}))
            .await,
        "invalid_code_format"
    );
    let confirmed = app
        .ok("enroll_confirm", json!({"code": auth0.totp(&secret).await}))
        .await;
    let code = confirmed["recoveryCode"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        confirmed["recoveryCode"]["groups"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(confirmed["recoveryCode"]["reason"], "enrollment");
    assert!(
        !confirmed.to_string().contains("eyJ"),
        "no token crosses to the UI"
    );

    // Until confirmed, the code is what the app shows first.
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["pendingRecoveryCode"]["code"], code);
    app.ok("recovery_code_confirm", json!({})).await;
    assert_eq!(
        app.ok("app_state", json!({})).await["pendingRecoveryCode"],
        Value::Null
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recovery_returns_the_new_code_and_keeps_it_in_the_store() {
    let auth0 = Auth0::start().await;
    let store = std::sync::Arc::new(MemoryStore::default());
    let launch = Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: None,
    };
    // What an earlier version left behind: a refresh token for the MFA API.
    let refresh_token = mfa_core::secret_store::refresh_token_key("demo", ENROLLED);
    store
        .set(
            &refresh_token,
            &mfa_core::secret::secret("old-refresh-token"),
        )
        .unwrap();
    let app = app_with_store(launch, Box::new(SharedStore(store.clone()))).await;

    app.ok(
        "sign_in",
        json!({"username": ENROLLED, "password": PASSWORD}),
    )
    .await;
    assert!(
        store.get(&refresh_token).unwrap().is_none(),
        "a refresh token from an earlier version is removed at sign-in"
    );
    assert_eq!(
        app.error_code("recover", json!({"code": "too short"}))
            .await,
        "invalid_recovery_code_format"
    );
    let recovered = app
        .ok(
            "recover",
            json!({"code": ENROLLED_RECOVERY_CODE.to_lowercase()}),
        )
        .await;
    let new_code = recovered["code"].as_str().unwrap();
    assert_eq!(
        Some(new_code),
        auth0.recovery_code_of(ENROLLED).await.as_deref()
    );
    assert_eq!(recovered["storedInKeyring"], true);

    let vault = RecoveryCodeVault::new(store.as_ref(), "demo");
    assert_eq!(
        vault.pending().unwrap()[0].code.expose(),
        new_code,
        "kept before it was shown"
    );
    app.ok("recovery_code_confirm", json!({})).await;
    assert!(vault.pending().unwrap().is_empty(), "gone once confirmed");

    assert!(
        store.get(&refresh_token).unwrap().is_none(),
        "no refresh token is ever stored"
    );
    app.ok("sign_out", json!({})).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_reach_the_ui_as_codes_with_retry_times() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    assert_eq!(
        app.error_code("list_authenticators", json!({})).await,
        "not_signed_in"
    );
    assert_eq!(
        app.error_code("sign_in", json!({"username": ENROLLED, "password": "nope"}))
            .await,
        "wrong_credentials"
    );
    // The phone step warms the metadata; the check works with or without it.
    assert_eq!(app.ok("prepare_phone_check", json!({})).await, Value::Null);
    assert_eq!(
        app.error_code("normalize_phone", json!({"country": "FR", "number": "12"}))
            .await,
        "invalid_phone"
    );
    let phone = app
        .ok(
            "normalize_phone",
            json!({"country": "FR", "number": "06 12 34 56 78"}),
        )
        .await;
    assert_eq!(
        phone,
        json!({"e164": "+33612345678", "display": "+33 6 12 34 56 78"})
    );

    auth0
        .fault(Fault::rate_limit("/oauth/token").times(1))
        .await;
    let error = app
        .call(
            "sign_in",
            json!({"username": ENROLLED, "password": PASSWORD}),
        )
        .await
        .unwrap_err();
    assert_eq!(error["code"], "rate_limited");
    assert!(error["retryAt"].as_u64().is_some(), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_session_sends_the_person_back_to_sign_in() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    app.ok(
        "sign_in",
        json!({"username": ENROLLED, "password": PASSWORD}),
    )
    .await;
    auth0.advance_clock(601).await;
    assert_eq!(
        app.ok("app_state", json!({})).await["signedIn"]["account"],
        ENROLLED
    );
    assert_eq!(
        app.error_code("recover", json!({"code": ENROLLED_RECOVERY_CODE}))
            .await,
        "session_expired"
    );
    assert_eq!(
        app.ok("app_state", json!({})).await["signedIn"],
        Value::Null,
        "the session is dropped"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_commands_exist_only_in_demo_mode() {
    let auth0 = Auth0::start().await;
    let demo = app(&auth0).await;
    assert_eq!(demo.ok("demo_outbox", json!({})).await, json!([]));
    let codes = demo.ok("demo_totp", json!({})).await;
    assert!(codes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["account"] == ENROLLED));

    let tenant = app_with(Launch::Tenant {
        url: auth0.emulator.base_url(),
        client_id: DEMO_CLIENT.into(),
        realm: None,
    })
    .await;
    assert_eq!(
        tenant.error_code("demo_outbox", json!({})).await,
        "not_demo"
    );
    let unconfigured = app_with(Launch::Tenant {
        url: "http://acme.example".into(),
        client_id: "x".into(),
        realm: None,
    })
    .await;
    let state = unconfigured.ok("app_state", json!({})).await;
    assert_eq!(
        state["configError"]["key"], "domain",
        "plain HTTP to a remote host is refused: {state}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_sign_in_is_refused_where_it_is_not_configured() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["signIn"], "password");
    let texts = json!({
        "lang": "en", "title": "MFA Desk",
        "doneHeading": "a", "doneBody": "b", "failedHeading": "c",
        "failedBody": "d", "foreignHeading": "e", "foreignBody": "f"
    });
    assert_eq!(
        app.error_code("browser_sign_in_start", json!({ "texts": texts }))
            .await,
        "not_configured"
    );
    assert_eq!(
        app.error_code("browser_sign_in_wait", json!({})).await,
        "no_pending_code",
        "nothing waits without a start"
    );
    app.ok("browser_sign_in_cancel", json!({})).await;
    // Without a helpdesk address there is nothing to open.
    assert_eq!(
        app.error_code("open_helpdesk", json!({})).await,
        "not_configured"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_sign_in_keeps_the_mfa_api_and_its_views_offer_no_my_account_actions() {
    let auth0 = Auth0::start().await;
    let app = app(&auth0).await;
    app.sign_in_with_mfa(&auth0, ENROLLED, ENROLLED_TOTP_SECRET)
        .await;
    let methods = app.ok("list_authenticators", json!({})).await;
    assert_eq!(methods["throughMyAccount"], false);
    let rows = methods["authenticators"].as_array().unwrap();
    assert!(rows
        .iter()
        .all(|a| a["renamable"] == false && a["switchChannelTo"].is_null()));
    let otp = rows.iter().find(|a| a["kind"] == "otp").unwrap()["id"].clone();
    auth0.reset_stats().await;
    // A bad name is refused before anything else, a good one because the MFA API has no
    // names; the phone's channel and a new recovery code alike. Nothing reaches the tenant.
    assert_eq!(
        app.error_code("rename_method", json!({"id": otp, "name": "a\u{7}b"}))
            .await,
        "input_control_characters"
    );
    assert_eq!(
        app.error_code("rename_method", json!({"id": otp, "name": "Work phone"}))
            .await,
        "my_account_required"
    );
    assert_eq!(
        app.error_code("set_phone_channel", json!({"id": otp, "voice": true}))
            .await,
        "my_account_required"
    );
    assert_eq!(
        app.error_code("recovery_code_new", json!({})).await,
        "my_account_required"
    );
    // A security key needs the My Account API too: a page calling the command anyway gets
    // the same answer, and no ceremony starts.
    assert_eq!(
        app.ok("security_key_offered", json!({})).await,
        json!(false)
    );
    assert_eq!(
        app.error_code("security_key_start", json!({})).await,
        "my_account_required"
    );
    assert_eq!(auth0.stats().await.0, 0);
}
