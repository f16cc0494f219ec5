//! A helpdesk session ends on its own, under Tauri's mock runtime: after its idle limit with
//! nothing clicked (shortened to two seconds by a test build's hook), and when the screen
//! locks, heard on a private D-Bus session bus where this test emits the screen saver's
//! signal (scripts/test runs the suite under `dbus-run-session`). Either way a caller's code
//! goes with it, and whoever waits on `helpdesk_wait_end` hears why. One test in this
//! binary: it sets the process's environment.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, PUSH_USER};
use mfa_core::secret_store::MemoryStore;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use support::mock_app::{mock_app, MockApp, SharedStore};
use support::*;

/// An agent with a verified caller open issues a code, and starts waiting for the end.
async fn agent_with_a_code(
    app: &MockApp,
    auth0: &Auth0,
) -> tokio::task::JoinHandle<Result<Value, Value>> {
    app.sign_in_with_mfa(auth0, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    app.ok("helpdesk_begin", json!({})).await;
    let user = app.ok("helpdesk_find", json!({"email": PUSH_USER})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    let verification = json!({"userId": user, "method": "in_person", "detail": "badge",
        "reason": "lost phone", "ticket": ""});
    app.ok("helpdesk_verify_caller", verification).await;
    let issued = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await;
    assert!(issued["recoveryCode"]["code"].is_string());
    app.call_in_background("helpdesk_wait_end", json!({}))
}

async fn gone(app: &MockApp) {
    let status = app.ok("helpdesk_status", json!({})).await;
    assert!(status["agent"].is_null(), "{status}");
    let copy = app.call("recovery_code_copy", json!({})).await.unwrap_err();
    assert_eq!(copy["code"], "caller_code_gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_when_idle_or_when_the_screen_locks_with_nothing_clicked() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var(mfa_core::audit::DATA_DIR_ENV, dir.path());
    std::env::set_var("MFA_DESK_TEST_HELPDESK_IDLE_SECS", "2");
    let auth0 = Auth0::start().await;
    let launch = Launch::Demo {
        emulator: Some(auth0.emulator.base_url()),
        helpdesk_service: None,
    };
    let store = Box::new(SharedStore(Arc::new(MemoryStore::default())));
    let app = mock_app(launch, store).await;

    // Idle: the watcher ends it about two seconds after the last action.
    let started = Instant::now();
    let ended = agent_with_a_code(&app, &auth0).await;
    let ended = tokio::time::timeout(Duration::from_secs(10), ended)
        .await
        .expect("the session did not end by itself")
        .unwrap();
    assert_eq!(ended.unwrap_err()["code"], "helpdesk_session_expired");
    assert!(started.elapsed() >= Duration::from_secs(2));
    gone(&app).await;

    // The screen locks: the desktop's screen saver says so on the session bus.
    std::env::set_var("MFA_DESK_TEST_HELPDESK_IDLE_SECS", "600");
    auth0.advance_clock(30).await;
    let ended = agent_with_a_code(&app, &auth0).await;
    let bus = zbus::Connection::session()
        .await
        .expect("needs a D-Bus session bus (scripts/test runs the suite in dbus-run-session)");
    let deadline = Instant::now() + Duration::from_secs(10);
    // The app subscribes as it starts; say it until it has heard.
    while !ended.is_finished() {
        assert!(Instant::now() < deadline, "the lock was not heard");
        bus.emit_signal(
            None::<&str>,
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            &(true,),
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        ended.await.unwrap().unwrap_err()["code"],
        "helpdesk_screen_locked"
    );
    gone(&app).await;

    // The screen saver turning off ends nothing; a session begun after it is not ended.
    auth0.advance_clock(30).await;
    let waiting = agent_with_a_code(&app, &auth0).await;
    bus.emit_signal(
        None::<&str>,
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "ActiveChanged",
        &(false,),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished());
    assert!(!app.ok("helpdesk_status", json!({})).await["agent"].is_null());
    app.ok("helpdesk_end", json!({})).await;
    assert_eq!(waiting.await.unwrap(), Ok(Value::Null));
}
