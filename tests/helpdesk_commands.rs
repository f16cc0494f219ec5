//! Helpdesk mode's commands under Tauri's mock runtime (no window), against the local Auth0:
//! what the webview is given and refused at each step, with an in-memory secret store and a
//! private audit log.

mod support;

use std::sync::Arc;

use auth0_emulator::demo::{
    HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_CLIENT_SECRET, PHONE_ONLY, PUSH_USER,
};
use mfa_core::secret_store::{MemoryStore, RecoveryCodeVault};
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, MockApp as App, SharedStore};
use support::*;

/// The audit log goes to a folder of this test process, never the person's data folder.
fn private_data_dir() {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    std::env::set_var(mfa_core::audit::DATA_DIR_ENV, dir.path());
}

async fn demo_app(auth0: &Auth0, store: Arc<MemoryStore>) -> App {
    private_data_dir();
    let launch = Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: None,
    };
    mock_app(launch, Box::new(SharedStore(store))).await
}

impl App {
    async fn error(&self, cmd: &str, args: Value) -> Value {
        let error = self.call(cmd, args).await.expect_err(cmd);
        assert!(error.get("message").is_none(), "no text crosses: {error}");
        error
    }

    async fn error_code(&self, cmd: &str, args: Value) -> String {
        self.error(cmd, args).await["code"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

fn labels() -> Value {
    json!({"title": "t", "account": "a", "organization": "o", "issued": "i", "purpose": "p", "worksOnce": "w"})
}

fn verification(user_id: &Value) -> Value {
    json!({
        "userId": user_id,
        "method": "photo_id_video_call",
        "detail": "badge 4411",
        "reason": "lost phone",
        "ticket": "INC-77",
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_verifies_the_caller_then_issues_a_code_kept_in_the_session_until_handed_over() {
    let auth0 = Auth0::start().await;
    let store = Arc::new(MemoryStore::default());
    let app = demo_app(&auth0, store.clone()).await;

    assert_eq!(app.ok("app_state", json!({})).await["helpdeskMode"], true);
    let status = app.ok("helpdesk_status", json!({})).await;
    assert_eq!(
        status,
        json!({"demo": true, "secretStored": true, "agent": null, "idleExpiresAt": null,
               "throughService": false, "serviceAgent": null})
    );
    assert_eq!(
        app.error_code("helpdesk_find", json!({"email": PUSH_USER}))
            .await,
        "not_signed_in"
    );
    // Not signed in with MFA yet: nothing to admit.
    assert_eq!(
        app.error_code("helpdesk_begin", json!({})).await,
        "not_signed_in"
    );

    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    let session = app.ok("helpdesk_begin", json!({})).await;
    assert_eq!(session["agent"], HELPDESK_AGENT);
    assert!(session["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["missingScopes"] == json!([])));
    assert_eq!(session["pendingRecoveryCode"], Value::Null);
    assert!(
        app.ok("app_state", json!({})).await["signedIn"].is_null(),
        "the agent's own MFA session is used up"
    );

    // Bad input is refused before anything is sent; the lookup tries lower case.
    assert_eq!(
        app.error_code("helpdesk_find", json!({"email": "push.user@"}))
            .await,
        "invalid_email"
    );
    let found = app
        .ok("helpdesk_find", json!({"email": "Push.User@example.com"}))
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["email"], PUSH_USER);
    assert_eq!(found[0]["matchedLowerCase"], true);
    let user_id = found[0]["userId"].clone();

    // Opened from the lookup just made: the account as it returned it, the methods afresh.
    auth0.reset_stats().await;
    let caller = app
        .ok("helpdesk_open_caller", json!({"userId": user_id}))
        .await;
    assert_eq!(auth0.stats().await.0, 1, "only the methods are read");
    // Not in the last lookup: the account is read too.
    app.ok("helpdesk_find", json!({"email": ENROLLED})).await;
    auth0.reset_stats().await;
    let reopened = app
        .ok("helpdesk_open_caller", json!({"userId": user_id}))
        .await;
    assert_eq!(auth0.stats().await.0, 2, "the account and its methods");
    assert_eq!(reopened, caller);
    assert_eq!(caller["standing"], "holds_factors");
    assert_eq!(caller["hasRecoveryCode"], true);
    assert!(caller["verification"].is_null());
    let kinds: Vec<&str> = caller["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"push") && kinds.contains(&"recovery-code"),
        "{kinds:?}"
    );

    // Blocked until the caller is verified, in the service and not only on screen.
    assert_eq!(
        app.error_code("helpdesk_issue_recovery_code", json!({"userId": user_id}))
            .await,
        "caller_not_verified"
    );
    let mut incomplete = verification(&user_id);
    incomplete["reason"] = json!("  ");
    assert_eq!(
        app.error_code("helpdesk_verify_caller", incomplete).await,
        "input_empty"
    );
    let verified = app
        .ok("helpdesk_verify_caller", verification(&user_id))
        .await;
    assert_eq!(verified["verification"]["method"], "photo_id_video_call");
    assert_eq!(verified["verification"]["ticket"], "INC-77");

    let outcome = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user_id}))
        .await;
    assert_eq!(outcome["nextStep"], "sign_in_with_issued_recovery_code");
    assert_eq!(outcome["auditWritten"], true);
    let code = outcome["recoveryCode"]["code"].as_str().unwrap().to_owned();
    assert_eq!(outcome["recoveryCode"]["reason"], "helpdesk");
    assert_eq!(outcome["recoveryCode"]["account"], PUSH_USER);
    assert_eq!(
        Some(code.as_str()),
        auth0.recovery_code_of(PUSH_USER).await.as_deref()
    );
    // The caller's code lives in the helpdesk session only: never in the keyring, and
    // never as the agent's own pending code.
    let vault = RecoveryCodeVault::for_helpdesk(store.as_ref(), "demo");
    assert!(vault.pending().unwrap().is_empty());
    assert!(RecoveryCodeVault::new(store.as_ref(), "demo")
        .pending()
        .unwrap()
        .is_empty());
    assert!(app.ok("app_state", json!({})).await["pendingRecoveryCode"].is_null());
    let text = outcome.to_string();
    assert!(!text.contains("eyJ") && !text.contains(HELPDESK_CLIENT_SECRET));

    // Read out or copied, never saved on the agent's computer.
    assert_eq!(
        app.error_code("recovery_code_save", json!({"labels": labels()}))
            .await,
        "caller_code_not_saved"
    );
    app.ok("recovery_code_confirm", json!({})).await;
    assert_eq!(
        app.error_code("recovery_code_confirm", json!({})).await,
        "no_pending_code",
        "handed over: nothing left, and no session ended holding it"
    );

    let history = app.ok("helpdesk_history", json!({"user": PUSH_USER})).await;
    let entry = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["correlationId"] == outcome["correlationId"])
        .expect("the action is in the history");
    assert_eq!(entry["operator"], HELPDESK_AGENT);
    assert_eq!(entry["action"], "regenerate_recovery_code");
    assert_eq!(entry["verifiedMethod"], "photo_id_video_call");
    assert_eq!(entry["verifiedBy"], "badge 4411");
    assert_eq!(entry["ok"], true);
    assert!(!history.to_string().contains(&code));

    app.ok("helpdesk_end", json!({})).await;
    assert_eq!(
        app.error_code("helpdesk_open_caller", json!({"userId": user_id}))
            .await,
        "not_signed_in"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verification_covers_one_caller_and_a_reset_needs_their_email() {
    let auth0 = Auth0::start().await;
    let app = demo_app(&auth0, Arc::new(MemoryStore::default())).await;
    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    app.ok("helpdesk_begin", json!({})).await;
    let push_user = app.ok("helpdesk_find", json!({"email": PUSH_USER})).await[0]["userId"].clone();
    let phone_only =
        app.ok("helpdesk_find", json!({"email": PHONE_ONLY})).await[0]["userId"].clone();

    app.ok("helpdesk_open_caller", json!({"userId": push_user}))
        .await;
    app.ok("helpdesk_verify_caller", verification(&push_user))
        .await;
    // Another caller opened: the verification does not follow.
    let other = app
        .ok("helpdesk_open_caller", json!({"userId": phone_only}))
        .await;
    assert!(other["verification"].is_null());
    assert_eq!(
        app.error_code("helpdesk_forget_browsers", json!({"userId": phone_only}))
            .await,
        "caller_not_verified"
    );
    // Removing the phone would leave nothing: the view says so before the agent confirms.
    let phone = &other["methods"][0];
    assert_eq!(phone["kind"], "phone");
    assert_eq!(phone["afterRemoval"], "no_methods");
    assert!(phone["detail"].as_str().unwrap().starts_with("XXXX"));

    app.ok("helpdesk_verify_caller", verification(&phone_only))
        .await;
    assert_eq!(
        app.error_code(
            "helpdesk_reset",
            json!({"userId": phone_only, "confirmation": PUSH_USER})
        )
        .await,
        "reset_confirmation_mismatch"
    );
    let reset = app
        .ok(
            "helpdesk_reset",
            json!({"userId": phone_only, "confirmation": PHONE_ONLY.to_uppercase()}),
        )
        .await;
    assert_eq!(reset["nextStep"], "set_up_at_next_sign_in");
    assert_eq!(reset["caller"]["standing"], "no_methods");
    assert_eq!(reset["caller"]["methods"], json!([]));
    assert_eq!(reset["caller"]["verification"]["reason"], "lost phone");
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_name_the_missing_scope_and_carry_retry_times() {
    let auth0 = Auth0::start().await;
    let app = demo_app(&auth0, Arc::new(MemoryStore::default())).await;
    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    app.ok("helpdesk_begin", json!({})).await;
    let user = app.ok("helpdesk_find", json!({"email": PUSH_USER})).await[0]["userId"].clone();
    let caller = app
        .ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    app.ok("helpdesk_verify_caller", verification(&user)).await;

    let path = format!(
        "/api/v2/users/{}/multifactor/actions/invalidate-remember-browser",
        user.as_str().unwrap().replace('|', "%7C")
    );
    auth0.fault(Fault::rate_limit(&path).times(1)).await;
    let limited = app
        .error("helpdesk_forget_browsers", json!({"userId": user}))
        .await;
    assert_eq!(limited["code"], "rate_limited");
    assert!(limited["retryAt"].as_u64().unwrap() >= auth0.now().await);

    auth0
        .fault(Fault::status(&path, 403).with_body(
            r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: update:users","errorCode":"insufficient_scope"}"#,
        ).times(1))
        .await;
    let scope = app
        .error("helpdesk_forget_browsers", json!({"userId": user}))
        .await;
    assert_eq!(scope["code"], "missing_scope");
    assert_eq!(scope["missingScopes"], json!(["update:users"]));

    // Nothing changed on the failed attempts.
    let again = app
        .ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    assert_eq!(again["methods"], caller["methods"]);
    let done = app
        .ok("helpdesk_forget_browsers", json!({"userId": user}))
        .await;
    assert_eq!(done["nextStep"], "expect_mfa_on_every_browser");
}

#[tokio::test(flavor = "multi_thread")]
async fn someone_not_on_the_agents_list_is_refused_and_signed_out() {
    let auth0 = Auth0::start().await;
    let app = demo_app(&auth0, Arc::new(MemoryStore::default())).await;
    app.sign_in_with_mfa(&auth0, ENROLLED, ENROLLED_TOTP_SECRET)
        .await;
    assert_eq!(
        app.error_code("helpdesk_begin", json!({})).await,
        "not_a_helpdesk_agent"
    );
    assert!(app.ok("app_state", json!({})).await["signedIn"].is_null());
    assert_eq!(
        app.error_code("helpdesk_find", json!({"email": PUSH_USER}))
            .await,
        "not_signed_in"
    );
    // The demo's secret is built in: nothing to paste.
    assert_eq!(
        app.error_code("helpdesk_store_secret", json!({"secret": "x"}))
            .await,
        "not_offered"
    );
}

/// An agent with a verified caller open issues a recovery code; then `end` ends the session.
async fn issue_then(auth0: &Auth0, store: Arc<MemoryStore>) -> (App, Value, String) {
    let app = demo_app(auth0, store).await;
    app.sign_in_with_mfa(auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    app.ok("helpdesk_begin", json!({})).await;
    let user = app.ok("helpdesk_find", json!({"email": PUSH_USER})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    app.ok("helpdesk_verify_caller", verification(&user)).await;
    let outcome = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await;
    let code = outcome["recoveryCode"]["code"].as_str().unwrap().to_owned();
    (app, user, code)
}

/// Every command that could show, copy, save or confirm a caller's code refuses it by name.
async fn assert_callers_code_gone(app: &App, code: &str) {
    let state = app.ok("app_state", json!({})).await;
    assert!(state["pendingRecoveryCode"].is_null());
    assert!(!state.to_string().contains(code));
    for (command, args) in [
        ("recovery_code_copy", json!({})),
        ("recovery_code_save", json!({"labels": labels()})),
        ("recovery_code_confirm", json!({})),
    ] {
        assert_eq!(
            app.error_code(command, args).await,
            "caller_code_gone",
            "{command}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callers_code_dies_when_the_agent_ends_helpdesk_mode() {
    let auth0 = Auth0::start().await;
    let (app, _, code) = issue_then(&auth0, Arc::new(MemoryStore::default())).await;
    app.ok("helpdesk_end", json!({})).await;
    assert_callers_code_gone(&app, &code).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callers_code_dies_when_the_agent_signs_out() {
    let auth0 = Auth0::start().await;
    let (app, _, code) = issue_then(&auth0, Arc::new(MemoryStore::default())).await;
    app.ok("sign_out", json!({})).await;
    assert_callers_code_gone(&app, &code).await;
    // The next agent session does not bring it back either (a fresh one-time code: the
    // last one is spent).
    auth0.advance_clock(30).await;
    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    let session = app.ok("helpdesk_begin", json!({})).await;
    assert!(!session.to_string().contains(&code));
    assert_eq!(
        app.error_code("recovery_code_copy", json!({})).await,
        "no_pending_code"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callers_code_is_for_the_caller_open_only() {
    let auth0 = Auth0::start().await;
    let (app, user, _) = issue_then(&auth0, Arc::new(MemoryStore::default())).await;
    let other = app.ok("helpdesk_find", json!({"email": PHONE_ONLY})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": other}))
        .await;
    for (command, args) in [
        ("recovery_code_copy", json!({})),
        ("recovery_code_confirm", json!({})),
        ("helpdesk_forget_browsers", json!({"userId": user})),
    ] {
        assert_eq!(
            app.error_code(command, args).await,
            "caller_not_open",
            "{command}"
        );
    }
    // Back to the caller it was issued for: handed over as usual.
    app.ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    app.ok("recovery_code_confirm", json!({})).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callers_code_left_in_the_keyring_by_an_earlier_version_is_deleted_unread() {
    use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
    let auth0 = Auth0::start().await;
    let store = Arc::new(MemoryStore::default());
    let old = RecoveryCodeVault::for_helpdesk(store.as_ref(), "demo");
    old.keep(&PendingRecoveryCode {
        account: PUSH_USER.into(),
        code: mfa_core::input::RecoveryCode::from_server("ABCDEFGHJKLMNPQRSTUVWXYZ".into()),
        issued_at: 1,
        reason: IssuedFor::Helpdesk,
    })
    .unwrap();
    let app = demo_app(&auth0, store.clone()).await;
    assert!(app.ok("app_state", json!({})).await["pendingRecoveryCode"].is_null());
    assert!(old.pending().unwrap().is_empty());
    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    let session = app.ok("helpdesk_begin", json!({})).await;
    assert!(session.get("pendingRecoveryCode").is_none());
}
