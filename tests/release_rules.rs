//! The rules of a release build, under Tauri's mock runtime in a test build whose hooks are
//! turned off (`MFA_DESK_TEST_RELEASE_RULES`): what the environment names is at most the
//! person's own configuration, the audit log stays in the platform's data folder, and no file
//! is saved without the save dialog. One test in this binary: it sets the process's
//! environment. (Release builds compile the hooks out altogether; see `test_hooks.rs`.)

mod support;

use std::sync::Arc;

use mfa_core::secret_store::MemoryStore;
use mfa_desk::launch::Launch;
use mfa_desk::test_hooks;
use serde_json::json;
use support::mock_app::{mock_app, SharedStore};
use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_cannot_stand_in_for_it() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, value: serde_json::Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, value.to_string()).unwrap();
        path
    };
    let helpdesk = json!({"service_url": "https://helpdesk.acme.example",
        "api_identifier": "https://helpdesk.acme.example/api"});
    let system = write(
        "config.json",
        json!({"domain": auth0.emulator.base_url(), "client_id": DEMO_CLIENT, "helpdesk": helpdesk}),
    );
    let absent = dir.path().join("absent.json");
    std::env::set_var("MFA_DESK_SYSTEM_CONFIG", &system);
    std::env::set_var("MFA_DESK_USER_CONFIG", &absent);
    std::env::set_var(mfa_core::audit::DATA_DIR_ENV, dir.path());
    std::env::set_var("MFA_DESK_E2E_SAVE_DIR", dir.path());

    // A test build with its hooks: the system file named here is IT's.
    assert!(test_hooks::enabled());
    let hooked = mock_app(Launch::Configured, Box::new(SharedStore(Arc::default()))).await;
    let state = hooked.ok("app_state", json!({})).await;
    assert_eq!(state["helpdeskMode"], true, "{state}");

    // The release rules: none of it.
    std::env::set_var(test_hooks::RELEASE_RULES_ENV, "1");
    assert!(!test_hooks::enabled());
    assert_eq!(test_hooks::save_dir(), None, "a save without the dialog");
    assert_eq!(test_hooks::data_dir(), None, "the audit log moved");
    let store = Arc::new(MemoryStore::default());
    let app = mock_app(Launch::Configured, Box::new(SharedStore(store))).await;
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["helpdeskMode"], false, "{state}");
    assert!(state["tenant"].is_null(), "{state}");
    assert_eq!(
        app.call("helpdesk_status", json!({})).await.unwrap_err()["code"],
        "helpdesk_not_configured"
    );

    // The person's own file, named by the environment, is read as theirs: it may name a
    // tenant, never turn helpdesk mode on.
    let own = write(
        "own.json",
        json!({"domain": auth0.emulator.base_url(), "client_id": DEMO_CLIENT}),
    );
    std::env::set_var("MFA_DESK_USER_CONFIG", &own);
    let app = mock_app(Launch::Configured, Box::new(SharedStore(Arc::default()))).await;
    let state = app.ok("app_state", json!({})).await;
    assert!(state["configError"].is_null(), "{state}");
    assert_eq!(state["helpdeskMode"], false);
    let own = write(
        "own.json",
        json!({"domain": auth0.emulator.base_url(), "client_id": DEMO_CLIENT, "helpdesk": helpdesk}),
    );
    std::env::set_var("MFA_DESK_USER_CONFIG", &own);
    let app = mock_app(Launch::Configured, Box::new(SharedStore(Arc::default()))).await;
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["configError"]["key"], "helpdesk", "{state}");
    assert_eq!(state["helpdeskMode"], false);
}
