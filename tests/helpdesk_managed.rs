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
use mfa_core::secret_store::{MemoryStore, SecretStore, StoreError};
use mfa_core::SecretString;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::*;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

struct SharedStore(Arc<MemoryStore>);

impl SecretStore for SharedStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError> {
        self.0.get(key)
    }
    fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError> {
        self.0.set(key, value)
    }
    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.0.delete(key)
    }
}

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
    let state = mfa_desk::prepare_state_with(
        Launch::Configured,
        Box::new(SharedStore(store.clone())),
        None,
    )
    .await;
    let app = mfa_desk::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let call = |cmd: &str, args: Value| {
        let webview = webview.clone();
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        async move {
            tokio::task::spawn_blocking(move || tauri::test::get_ipc_response(&webview, request))
                .await
                .unwrap()
                .map(|body| body.deserialize::<Value>().unwrap())
        }
    };

    let state = call("app_state", json!({})).await.unwrap();
    assert!(state["configError"].is_null(), "{state}");
    assert_eq!(state["helpdeskMode"], true);
    let status = call("helpdesk_status", json!({})).await.unwrap();
    assert_eq!(status["secretStored"], false);
    assert_eq!(status["demo"], false);

    let entry = format!(
        "{}/helpdesk-client-secret",
        auth0.emulator.base_url().trim_start_matches("http://")
    );
    let refused = call("helpdesk_store_secret", json!({"secret": "not-the-secret"}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "helpdesk_credentials_refused");
    assert!(
        store.get(&entry).unwrap().is_none(),
        "a refused secret was kept"
    );
    let blank = call("helpdesk_store_secret", json!({"secret": "   "}))
        .await
        .unwrap_err();
    assert_eq!(blank["code"], "input_empty");

    let pasted = format!("  {HELPDESK_READONLY_CLIENT_SECRET}\n");
    call("helpdesk_store_secret", json!({ "secret": pasted }))
        .await
        .unwrap();
    assert_eq!(
        store.get(&entry).unwrap().unwrap().expose_secret(),
        HELPDESK_READONLY_CLIENT_SECRET
    );
    let status = call("helpdesk_status", json!({})).await.unwrap();
    assert_eq!(status["secretStored"], true);
    assert!(!status.to_string().contains(HELPDESK_READONLY_CLIENT_SECRET));

    // The agent (admitted by the @example.com entry) signs in with their own MFA.
    let signed_in = call(
        "sign_in",
        json!({"username": HELPDESK_AGENT, "password": PASSWORD}),
    )
    .await
    .unwrap();
    let otp = signed_in["authenticators"][0]["id"].clone();
    call("verify_start", json!({"authenticatorId": otp}))
        .await
        .unwrap();
    call(
        "verify_confirm",
        json!({"code": auth0.totp(HELPDESK_AGENT_TOTP_SECRET).await}),
    )
    .await
    .unwrap();
    let session = call("helpdesk_begin", json!({})).await.unwrap();
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
    let user = call("helpdesk_find", json!({"email": ENROLLED}))
        .await
        .unwrap()[0]["userId"]
        .clone();
    let caller = call("helpdesk_open_caller", json!({"userId": user}))
        .await
        .unwrap();
    call(
        "helpdesk_verify_caller",
        json!({"userId": user, "method": "in_person", "detail": "", "reason": "new phone", "ticket": ""}),
    )
    .await
    .unwrap();
    let method = caller["methods"][0]["id"].clone();
    let error = call(
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
