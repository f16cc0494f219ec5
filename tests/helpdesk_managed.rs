//! Helpdesk mode from IT's managed configuration, under Tauri's mock runtime: the secret is
//! not on this computer until IT pastes it, a refused secret is not kept, the accepted one
//! goes to the keyring entry `<domain>/helpdesk-client-secret` only, and a read-only
//! application is told which permissions it lacks. One test in this binary: it points the
//! process at its own configuration file through the environment.

mod support;

use std::sync::Arc;

use auth0_emulator::demo::{
    HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_READONLY_CLIENT_ID,
    HELPDESK_READONLY_CLIENT_SECRET,
};
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{MemoryStore, SecretStore};
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, SharedStore};
use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn it_pastes_the_secret_once_and_a_read_only_application_names_what_it_lacks() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        json!({
            "domain": auth0.emulator.base_url(),
            "client_id": DEMO_CLIENT,
            "helpdesk": {
                "management_client_id": HELPDESK_READONLY_CLIENT_ID,
                "agents": ["@example.com"]
            }
        })
        .to_string(),
    )
    .unwrap();
    std::env::set_var("MFA_DESK_SYSTEM_CONFIG", &config);
    std::env::set_var("MFA_DESK_USER_CONFIG", dir.path().join("absent.json"));
    std::env::set_var(mfa_core::audit::DATA_DIR_ENV, dir.path());

    let store = Arc::new(MemoryStore::default());
    let app = mock_app(Launch::Configured, Box::new(SharedStore(store.clone()))).await;

    let state = app.call("app_state", json!({})).await.unwrap();
    assert!(state["configError"].is_null(), "{state}");
    assert_eq!(state["helpdeskMode"], true);
    let status = app.call("helpdesk_status", json!({})).await.unwrap();
    assert_eq!(status["secretStored"], false);
    assert_eq!(status["demo"], false);

    let entry = format!(
        "{}/helpdesk-client-secret",
        auth0.emulator.base_url().trim_start_matches("http://")
    );
    let refused = app
        .call("helpdesk_store_secret", json!({"secret": "not-the-secret"}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "helpdesk_credentials_refused");
    assert!(
        store.get(&entry).unwrap().is_none(),
        "a refused secret was kept"
    );
    let blank = app
        .call("helpdesk_store_secret", json!({"secret": "   "}))
        .await
        .unwrap_err();
    assert_eq!(blank["code"], "input_empty");

    let pasted = format!("  {HELPDESK_READONLY_CLIENT_SECRET}\n");
    app.call("helpdesk_store_secret", json!({ "secret": pasted }))
        .await
        .unwrap();
    assert_eq!(
        store.get(&entry).unwrap().unwrap().expose_secret(),
        HELPDESK_READONLY_CLIENT_SECRET
    );
    let status = app.call("helpdesk_status", json!({})).await.unwrap();
    assert_eq!(status["secretStored"], true);
    assert!(!status.to_string().contains(HELPDESK_READONLY_CLIENT_SECRET));

    // The agent (admitted by the @example.com entry) signs in with their own MFA.
    app.sign_in_with_mfa(&auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    let session = app.call("helpdesk_begin", json!({})).await.unwrap();
    let missing: Vec<(String, Value)> = session["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap().to_owned(),
                c["missingScopes"].clone(),
            )
        })
        .collect();
    assert_eq!(
        missing,
        [
            (
                "remove_method".into(),
                json!(["delete:authentication_methods"])
            ),
            ("reset_all".into(), json!(["delete:authentication_methods"])),
            ("issue_recovery_code".into(), json!(["update:users"])),
            (
                "send_enrollment_ticket".into(),
                json!(["create:guardian_enrollment_tickets"])
            ),
            ("forget_browsers".into(), json!(["update:users"])),
        ]
    );

    // Asked anyway (a stale screen, a script): Auth0 refuses, and the scope is named.
    let user = app
        .call("helpdesk_find", json!({"email": ENROLLED}))
        .await
        .unwrap()[0]["userId"]
        .clone();
    let caller = app
        .call("helpdesk_open_caller", json!({"userId": user}))
        .await
        .unwrap();
    app.call(
        "helpdesk_verify_caller",
        json!({"userId": user, "method": "in_person", "detail": "", "reason": "new phone", "ticket": ""}),
    )
    .await
    .unwrap();
    let method = caller["methods"][0]["id"].clone();
    let error = app
        .call(
            "helpdesk_remove_method",
            json!({"userId": user, "methodId": method}),
        )
        .await
        .unwrap_err();
    assert_eq!(error["code"], "missing_scope");
    assert_eq!(
        error["missingScopes"],
        json!(["delete:authentication_methods"])
    );
}
