//! The device flow against a tenant that answers with §S2's recorded statuses and bodies, one
//! scripted answer per poll, over real HTTP.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Form, Json, Router};
use serde_json::{json, Value};

use super::*;

/// One request's form fields.
type FormFields = Vec<(String, String)>;

/// Answers `/oauth/token` polls in order; records every form it received.
#[derive(Clone, Default)]
struct Script {
    polls: Arc<Mutex<Vec<(u16, Value)>>>,
    seen: Arc<Mutex<Vec<FormFields>>>,
}

async fn device_code(State(script): State<Script>, Form(form): Form<FormFields>) -> Json<Value> {
    script.seen.lock().unwrap().push(form);
    Json(json!({
        "device_code": "Ag_EE-device-code", "user_code": "QTZL-MCBW",
        "verification_uri": "https://tenant.example/activate",
        "verification_uri_complete": "https://tenant.example/activate?user_code=QTZL-MCBW",
        "expires_in": 900, "interval": 5
    }))
}

async fn token(
    State(script): State<Script>,
    Form(form): Form<FormFields>,
) -> (StatusCode, Json<Value>) {
    script.seen.lock().unwrap().push(form);
    let (status, body) = script.polls.lock().unwrap().remove(0);
    (StatusCode::from_u16(status).unwrap(), Json(body))
}

async fn tenant(polls: Vec<(u16, Value)>) -> (DeviceFlowClient, Script) {
    let script = Script {
        polls: Arc::new(Mutex::new(polls)),
        ..Script::default()
    };
    let app = Router::new()
        .route("/oauth/device/code", post(device_code))
        .route("/oauth/token", post(token))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = DeviceFlowClient::new(&url, "cli-client", Timeouts::default()).unwrap();
    (client, script)
}

fn pending() -> (u16, Value) {
    (
        403,
        json!({"error": "authorization_pending", "error_description": "User has yet to authorize device code."}),
    )
}

fn form_value(form: &[(String, String)], key: &str) -> String {
    form.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn start_then_poll_through_pending_and_slow_down_to_tokens() {
    let (client, script) = tenant(vec![
        pending(),
        (429, json!({"error": "slow_down", "error_description": "You are polling faster than the specified interval of 5 seconds."})),
        (200, json!({"access_token": "eyJ.access", "id_token": "eyJ.id", "scope": "openid helpdesk:read", "expires_in": 600, "token_type": "Bearer"})),
    ])
    .await;
    let mut device = client
        .start("https://helpdesk.example/", "openid helpdesk:read")
        .await
        .unwrap();
    assert_eq!(device.user_code, "QTZL-MCBW");
    assert_eq!(device.verification_uri, "https://tenant.example/activate");
    assert_eq!(device.interval, Duration::from_secs(5));
    assert!(
        !format!("{device:?}").contains("Ag_EE"),
        "the device code is redacted"
    );
    {
        let seen = script.seen.lock().unwrap();
        assert_eq!(
            form_value(&seen[0], "audience"),
            "https://helpdesk.example/"
        );
        assert_eq!(form_value(&seen[0], "client_id"), "cli-client");
        assert_eq!(
            form_value(&seen[0], "client_secret"),
            "",
            "a public client (§S2.1)"
        );
    }
    assert!(matches!(
        client.poll(&mut device).await.unwrap(),
        Poll::Pending
    ));
    assert!(matches!(
        client.poll(&mut device).await.unwrap(),
        Poll::SlowDown
    ));
    assert_eq!(
        device.interval,
        Duration::from_secs(10),
        "RFC 8628 §3.5: five more seconds"
    );
    device.interval = Duration::from_millis(10);
    let tokens = client.wait(&mut device).await.unwrap();
    assert_eq!(tokens.access_token.expose_secret(), "eyJ.access");
    assert_eq!(tokens.expires_in, 600);
    let seen = script.seen.lock().unwrap();
    assert_eq!(form_value(&seen[3], "grant_type"), GRANT_TYPE);
    assert_eq!(form_value(&seen[3], "device_code"), "Ag_EE-device-code");
}

#[tokio::test]
async fn expiry_cancel_and_refusals_end_the_wait() {
    let cases = [
        (
            403,
            json!({"error": "expired_token", "error_description": "expired"}),
            DeviceFlowError::Expired,
        ),
        (
            403,
            json!({"error": "invalid_grant", "error_description": "Invalid or expired device code."}),
            DeviceFlowError::Expired,
        ),
        (
            403,
            json!({"error": "access_denied", "error_description": "User cancelled the confirmation prompt."}),
            DeviceFlowError::Denied,
        ),
        (
            403,
            json!({"error": "unauthorized_client", "error_description": "Grant type not allowed"}),
            DeviceFlowError::NotAllowed("Grant type not allowed".into()),
        ),
    ];
    for (status, body, expected) in cases {
        let (client, _) = tenant(vec![pending(), (status, body)]).await;
        let mut device = client
            .start("https://helpdesk.example/", "openid")
            .await
            .unwrap();
        device.interval = Duration::from_millis(10);
        assert_eq!(client.wait(&mut device).await.unwrap_err(), expected);
    }
    assert_eq!(
        DeviceFlowError::Expired.code(),
        crate::ErrorCode::CodeExpired
    );
    assert_eq!(
        DeviceFlowError::Denied.code(),
        crate::ErrorCode::AccessDenied
    );
}

#[tokio::test]
async fn the_wait_stops_at_the_codes_lifetime_without_asking_again() {
    let (client, script) = tenant(vec![]).await;
    let mut device = client
        .start("https://helpdesk.example/", "openid")
        .await
        .unwrap();
    device.expires_at = Instant::now() + Duration::from_secs(1);
    assert_eq!(
        client.wait(&mut device).await.unwrap_err(),
        DeviceFlowError::Expired
    );
    assert_eq!(
        script.seen.lock().unwrap().len(),
        1,
        "only the start was sent"
    );
}
