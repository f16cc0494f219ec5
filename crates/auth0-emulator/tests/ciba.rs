//! §S3: CIBA. The helpdesk service asks for a push to a caller's phone with
//! a binding message, the caller approves or denies it (the emulator's push
//! controls), and the service polls `/oauth/token`.

mod common;

use auth0_emulator::{demo, Tenant};
use common::jwt::{claims, verify};
use common::{answer, Env};
use reqwest::StatusCode;
use serde_json::{json, Value};

const CIBA: &str = "urn:openid:params:grant-type:ciba";

fn hint(env: &Env, sub: &str) -> String {
    json!({"format": "iss_sub", "iss": env.url("/"), "sub": sub}).to_string()
}

async fn start(env: &Env, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let login_hint = hint(env, demo::PUSH_USER_USER_ID);
    let mut form = vec![
        ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
        ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
        ("login_hint", login_hint.as_str()),
        ("scope", "openid"),
        ("binding_message", "Helpdesk call 21-49-38"),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let r = env
        .http
        .post(env.url("/bc-authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    answer(r).await
}

async fn poll(env: &Env, auth_req_id: &str) -> (StatusCode, Value) {
    let r = env
        .token_form(&[
            ("grant_type", CIBA),
            ("auth_req_id", auth_req_id),
            ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
            ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
        ])
        .await;
    answer(r).await
}

fn error(body: &Value) -> (&str, &str) {
    (
        body["error"].as_str().unwrap(),
        body["error_description"].as_str().unwrap(),
    )
}

#[tokio::test]
async fn an_approved_push_gives_the_service_tokens_once() {
    let env = Env::new().await;
    let (status, started) = start(&env, &[]).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let id = started["auth_req_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 64);
    assert!(id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(
        (started["expires_in"].as_u64(), started["interval"].as_u64()),
        (Some(300), Some(5))
    );

    let (status, body) = poll(&env, &id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        (
            "authorization_pending",
            "The end-user authorization is pending"
        )
    );

    // The push shows the binding message on the user's phone (and in the demo inbox).
    let push = env.control.pending_push().await.unwrap().expect("a push");
    assert_eq!(push.user_id, demo::PUSH_USER_USER_ID);
    assert_eq!(
        push.binding_message.as_deref(),
        Some("Helpdesk call 21-49-38")
    );
    assert!(!push.enrollment);
    env.control
        .approve_push(Some(&push.oob_code))
        .await
        .unwrap();

    // Polling again before the interval is up: slow_down, with a longer wait.
    let (status, body) = poll(&env, &id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        (
            "slow_down",
            "You are polling faster than allowed. Try again in 10 seconds."
        )
    );
    assert_eq!(body["interval"], 10);
    env.control.advance_clock(10).await.unwrap();
    let (status, body) = poll(&env, &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "openid");
    assert_eq!(body["expires_in"], 86_400);
    let id_token = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], demo::PUSH_USER_USER_ID);
    assert_eq!(id_token["aud"], demo::HELPDESK_SERVICE_CLIENT_ID);
    let access = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        &env.url("/userinfo"),
    )
    .await
    .unwrap();
    assert_eq!(access["sub"], demo::PUSH_USER_USER_ID);

    // Single use.
    env.control.advance_clock(10).await.unwrap();
    let (status, body) = poll(&env, &id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_denied_push_is_access_denied() {
    let env = Env::new().await;
    let (_, started) = start(&env, &[]).await;
    let id = started["auth_req_id"].as_str().unwrap();
    env.control
        .deny_push(None)
        .await
        .unwrap()
        .expect("the CIBA push");
    let (status, body) = poll(&env, id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        (
            "access_denied",
            "The end-user denied the authorization request or it has been expired"
        )
    );
}

#[tokio::test]
async fn an_expired_request_is_access_denied_or_expired_token_by_setting() {
    let env = Env::new().await;
    let (_, started) = start(&env, &[("requested_expiry", "60")]).await;
    assert_eq!(started["expires_in"], 60);
    env.control.advance_clock(61).await.unwrap();
    assert!(
        env.control.pending_push().await.unwrap().is_none(),
        "the push expired too"
    );
    let (status, body) = poll(&env, started["auth_req_id"].as_str().unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("access_denied"))
    );

    let mut tenant = Tenant::demo();
    tenant.settings.ciba_expired_error = "expired_token".into();
    tenant.settings.ciba_poll_error_status = 403;
    let env = Env::with(tenant).await;
    let (_, started) = start(&env, &[]).await;
    env.control.advance_clock(301).await.unwrap();
    let (status, body) = poll(&env, started["auth_req_id"].as_str().unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("expired_token"))
    );
}

#[tokio::test]
async fn bad_requests_get_auth0s_errors() {
    let env = Env::new().await;
    let nobody = hint(&env, "auth0|000000000000000000000000");
    let (status, body) = start(&env, &[("login_hint", &nobody)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        ("unknown_user_id", "User ID is malformed or unknown")
    );

    let (status, body) = start(&env, &[("scope", "profile")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        ("invalid_request", "openid scope must be requested")
    );

    let other_issuer = json!({"format":"iss_sub","iss":"https://elsewhere.example/","sub":demo::PUSH_USER_USER_ID}).to_string();
    for (k, v) in [
        ("login_hint", other_issuer.as_str()),
        ("login_hint", demo::PUSH_USER_USER_ID),
        ("binding_message", "x".repeat(65).as_str()),
        ("binding_message", "no <html> here"),
        ("requested_expiry", "301"),
    ] {
        let (status, body) = start(&env, &[(k, v)]).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_request")),
            "{k}={v}"
        );
    }

    // A user without a push enrollment cannot be asked.
    let no_push = hint(&env, demo::ENROLLED_USER_ID);
    let (status, body) = start(&env, &[("login_hint", &no_push)]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );

    // Clients without the CIBA grant, and wrong secrets.
    let r = env
        .http
        .post(env.url("/bc-authorize"))
        .form(&[
            ("client_id", demo::HELPDESK_CLIENT_ID),
            ("client_secret", demo::HELPDESK_CLIENT_SECRET),
            ("login_hint", &hint(&env, demo::PUSH_USER_USER_ID)),
            ("scope", "openid"),
            ("binding_message", "x"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("unauthorized_client"))
    );
    let (status, body) = start(&env, &[("client_secret", "wrong")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );

    // Another client cannot poll the service's request.
    let (_, started) = start(&env, &[]).await;
    let r = env
        .token_form(&[
            ("grant_type", CIBA),
            ("auth_req_id", started["auth_req_id"].as_str().unwrap()),
            ("client_id", demo::CONFIDENTIAL_CLIENT_ID),
            ("client_secret", demo::CONFIDENTIAL_CLIENT_SECRET),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("unauthorized_client"))
    );
}
