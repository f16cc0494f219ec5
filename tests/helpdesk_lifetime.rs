//! A helpdesk session ends on its own, under Tauri's mock runtime: after its idle limit with
//! nothing clicked (shortened to two seconds by a test build's hook), and when the screen
//! locks, heard on a private D-Bus session bus where this test emits the screen saver's
//! signal (scripts/test runs the suite under `dbus-run-session`). Either way a caller's code
//! goes with it, and whoever waits on `helpdesk_wait_end` hears why. One test in this
//! binary: it sets the process's environment.

#[path = "support/desk.rs"]
mod desk;
#[path = "support/hosted.rs"]
mod hosted;
mod support;

use std::time::{Duration, Instant};

use auth0_emulator::demo::{
    ENROLLED, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, PHONE_ONLY, PUSH_USER,
};
use desk::Desk;
use serde_json::{json, Value};
use support::mock_app::MockApp;

/// An agent with a verified caller open issues a code, and starts waiting for the end.
async fn agent_with_a_code(
    app: &MockApp,
    desk: &Desk,
    caller: &str,
) -> tokio::task::JoinHandle<Result<Value, Value>> {
    let user = desk
        .verified(app, (HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET), caller)
        .await;
    let issued = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await;
    assert!(issued["recoveryCode"]["code"].is_string());
    app.call_in_background("helpdesk_wait_end", json!({}))
}

async fn gone(app: &MockApp) {
    let status = app.ok("helpdesk_status", json!({})).await;
    assert!(status["session"].is_null(), "{status}");
    let copy = app.call("recovery_code_copy", json!({})).await.unwrap_err();
    assert_eq!(copy["code"], "caller_code_gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_when_idle_or_when_the_screen_locks_with_nothing_clicked() {
    std::env::set_var("MFA_DESK_TEST_HELPDESK_IDLE_SECS", "2");
    let desk = Desk::start().await;
    let (app, _) = desk.app().await;

    // Idle: the watcher ends it about two seconds after the last action.
    let started = Instant::now();
    let ended = agent_with_a_code(&app, &desk, PUSH_USER).await;
    let ended = tokio::time::timeout(Duration::from_secs(10), ended)
        .await
        .expect("the session did not end by itself")
        .unwrap();
    assert_eq!(ended.unwrap_err()["code"], "helpdesk_session_expired");
    assert!(started.elapsed() >= Duration::from_secs(2));
    gone(&app).await;

    // The screen locks: the desktop's screen saver says so on the session bus.
    std::env::set_var("MFA_DESK_TEST_HELPDESK_IDLE_SECS", "600");
    let ended = agent_with_a_code(&app, &desk, ENROLLED).await;
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
    let waiting = agent_with_a_code(&app, &desk, PHONE_ONLY).await;
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
    assert!(!app.ok("helpdesk_status", json!({})).await["session"].is_null());
    app.ok("helpdesk_end", json!({})).await;
    assert_eq!(waiting.await.unwrap(), Ok(Value::Null));
}
