//! Helpdesk mode from IT's managed configuration, under Tauri's mock runtime: offered only
//! where IT names the helpdesk service (its address and the helpdesk API), and the helpdesk
//! application's secret an earlier version kept in the keyring is deleted at start, unread.
//! One test in this binary: it points the process at its own configuration through the
//! environment (a debug build's seam).

mod support;

use std::sync::Arc;

use mfa_core::secret_store::{MemoryStore, SecretStore};
use mfa_core::SecretString;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, SharedStore};
use support::*;

async fn app_with(
    auth0: &Auth0,
    dir: &std::path::Path,
    helpdesk: Value,
) -> (support::mock_app::MockApp, Arc<MemoryStore>) {
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        json!({
            "domain": auth0.emulator.base_url(),
            "client_id": DEMO_CLIENT,
            "helpdesk": helpdesk,
        })
        .to_string(),
    )
    .unwrap();
    std::env::set_var("MFA_DESK_SYSTEM_CONFIG", &config);
    std::env::set_var("MFA_DESK_USER_CONFIG", dir.join("absent.json"));
    let store = Arc::new(MemoryStore::default());
    // What an earlier version kept: the helpdesk application's tenant-wide secret.
    let entry = format!(
        "{}/helpdesk-client-secret",
        auth0.emulator.base_url().trim_start_matches("http://")
    );
    store
        .set(
            &entry,
            &SecretString::from("left-by-an-earlier-version".to_owned()),
        )
        .unwrap();
    let app = mock_app(Launch::Configured, Box::new(SharedStore(store.clone()))).await;
    assert!(store.get(&entry).unwrap().is_none(), "deleted at start");
    (app, store)
}

#[tokio::test(flavor = "multi_thread")]
async fn helpdesk_mode_needs_the_service_and_no_secret_is_left_on_this_computer() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();

    // The service named: helpdesk mode is offered, nothing asks for a secret.
    let (app, _) = app_with(
        &auth0,
        dir.path(),
        json!({"service_url": "https://helpdesk.acme.example",
               "api_identifier": "https://helpdesk.acme.example/api",
               "max_session_minutes": 60}),
    )
    .await;
    let state = app.ok("app_state", json!({})).await;
    assert!(state["configError"].is_null(), "{state}");
    assert_eq!(state["helpdeskMode"], true);
    let status = app.ok("helpdesk_status", json!({})).await;
    assert_eq!(status, json!({"demo": false, "session": null}));
    for gone in ["helpdesk_store_secret", "helpdesk_begin"] {
        // Not a command any more: Tauri refuses it before any of ours runs.
        assert!(
            app.call(gone, json!({"secret": "x"})).await.is_err(),
            "{gone}"
        );
    }
    drop(app);

    // An earlier version's form (a Management client and its agents), no service: not
    // offered, and its secret is gone all the same.
    let (app, _) = app_with(
        &auth0,
        dir.path(),
        json!({"management_client_id": "mfa-desk-helpdesk", "agents": ["@example.com"]}),
    )
    .await;
    assert_eq!(app.ok("app_state", json!({})).await["helpdeskMode"], false);
    let refused = app.call("helpdesk_status", json!({})).await.unwrap_err();
    assert_eq!(refused["code"], "helpdesk_not_configured");
}
