//! Helpdesk mode through the helpdesk service: the agent's sign-in under Tauri's mock runtime
//! against the local Auth0. "The system browser" is an `xdg-open` on this test's `PATH` that
//! writes the address to a file; the test plays the browser on the hosted pages.

#[path = "support/hosted.rs"]
mod hosted;
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use auth0_emulator::demo::{
    ENROLLED, ENROLLED_TOTP_SECRET, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_API, LEAD,
    LEAD_TOTP_SECRET,
};
use hosted::HostedBrowser;
use mfa_core::secret_store::{MemoryStore, SecretStore};
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, MockApp, SharedStore};
use support::*;

fn texts() -> Value {
    json!({
        "lang": "en", "title": "MFA Desk",
        "doneHeading": "a", "doneBody": "b", "failedHeading": "c",
        "failedBody": "d", "foreignHeading": "e", "foreignBody": "f"
    })
}

/// Puts an `xdg-open` that records its argument first on this process's `PATH`; returns the
/// file it writes to.
fn test_browser(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("opened-urls");
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display());
    let program = bin.join("xdg-open");
    std::fs::write(&program, script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    std::env::set_var("PATH", std::env::join_paths(paths).unwrap());
    log
}

/// The `n`th address the app opened (from 0), once it is there.
async fn opened(log: &Path, n: usize) -> url::Url {
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(log) {
            if let Some(line) = text.lines().nth(n) {
                return url::Url::parse(line).unwrap();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the app opened no address #{n}");
}

fn param(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Starts the agent's sign-in, plays the browser for `email`, and waits: the wait's answer.
async fn agent_sign_in(
    app: &MockApp,
    auth0: &Auth0,
    log: &Path,
    n: usize,
    email: &str,
    totp_secret: &str,
) -> (url::Url, Result<Value, Value>) {
    let started = app
        .ok("helpdesk_agent_sign_in_start", json!({"texts": texts()}))
        .await;
    assert!(started["expiresAt"].as_u64().is_some());
    let url = opened(log, n).await;
    let mut browser = HostedBrowser::new();
    browser.open(url.as_str()).await.unwrap();
    browser.sign_in(email, PASSWORD).await.unwrap();
    let code = auth0.totp(totp_secret).await;
    let callback = browser.enter_code(&code).await.unwrap();
    let callback = callback.callback().unwrap().clone();
    let (waited, delivered) = tokio::join!(
        app.call("helpdesk_agent_sign_in_wait", json!({})),
        browser.deliver(&callback)
    );
    assert_eq!(delivered.unwrap().0, 200);
    (url, waited)
}

fn granted(view: &Value) -> Vec<(String, bool)> {
    view["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["permission"].as_str().unwrap().to_owned(),
                p["granted"] == true,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_signs_in_afresh_for_the_helpdesk_api_and_the_token_stays_in_memory() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log = test_browser(dir.path());
    std::env::set_var(mfa_core::audit::DATA_DIR_ENV, dir.path());
    let store = Arc::new(MemoryStore::default());
    let launch = Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: Some("http://127.0.0.1:8710".into()),
    };
    let app = mock_app(launch, Box::new(SharedStore(store.clone()))).await;

    let status = app.ok("helpdesk_status", json!({})).await;
    assert_eq!(status["throughService"], true);
    assert_eq!(status["serviceAgent"], Value::Null);

    let (url, waited) = agent_sign_in(
        &app,
        &auth0,
        &log,
        0,
        HELPDESK_AGENT,
        HELPDESK_AGENT_TOTP_SECRET,
    )
    .await;
    // A new sign-in with MFA for the helpdesk API, whatever the browser remembers (§S6).
    assert_eq!(param(&url, "audience").as_deref(), Some(HELPDESK_API));
    assert_eq!(param(&url, "prompt").as_deref(), Some("login"));
    assert_eq!(param(&url, "max_age").as_deref(), Some("300"));
    let waited = waited.unwrap();
    assert_eq!(waited["status"], "signedIn", "{waited}");
    assert_eq!(waited["agent"], HELPDESK_AGENT);
    assert_eq!(
        granted(&waited),
        [
            ("helpdesk:read".to_owned(), true),
            ("helpdesk:act".to_owned(), true),
            ("helpdesk:reset".to_owned(), false),
            ("helpdesk:approve".to_owned(), false),
        ]
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(waited["tokenExpiresAt"].as_u64().unwrap() > now);
    let status = app.ok("helpdesk_status", json!({})).await;
    assert_eq!(status["serviceAgent"]["agent"], HELPDESK_AGENT);
    assert!(
        store
            .get(&mfa_core::helpdesk_service::AgentSession::entry(
                "http://127.0.0.1:8710"
            ))
            .unwrap()
            .is_none(),
        "the agent's token is never put in the keyring"
    );

    // Ending helpdesk mode forgets the agent.
    app.ok("helpdesk_end", json!({})).await;
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await["serviceAgent"],
        Value::Null
    );

    // The lead signs in afresh: all four permissions.
    let (_, waited) = agent_sign_in(&app, &auth0, &log, 1, LEAD, LEAD_TOTP_SECRET).await;
    let waited = waited.unwrap();
    assert_eq!(waited["agent"], LEAD);
    assert!(granted(&waited).iter().all(|(_, on)| *on));

    // An employee whose sign-in carries no helpdesk permission is not an agent; the lead
    // signed in before is not left signed in behind them either.
    let (_, refused) = agent_sign_in(&app, &auth0, &log, 2, ENROLLED, ENROLLED_TOTP_SECRET).await;
    assert_eq!(refused.unwrap_err()["code"], "not_a_helpdesk_agent");
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await["serviceAgent"],
        Value::Null
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_service_there_is_no_agent_sign_in() {
    let auth0 = Auth0::start().await;
    let launch = Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: None,
    };
    let app = mock_app(launch, Box::new(MemoryStore::default())).await;
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await["throughService"],
        false
    );
    let refused = app
        .call("helpdesk_agent_sign_in_start", json!({"texts": texts()}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "helpdesk_not_configured");
}
