//! §S2: device sign-in for a command line: the device code, the hosted
//! `/activate` page with the same sign-in and MFA pages as `/authorize`, and
//! polling with Auth0's statuses.

mod common;

use auth0_emulator::{demo, totp_code};
use common::hosted::no_redirects;
use common::jwt::{claims, verify};
use common::{answer, Env};
use reqwest::StatusCode;
use serde_json::{json, Value};

const DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

async fn device_code(env: &Env, client_id: &str, audience: &str) -> (StatusCode, Value) {
    let r = env
        .http
        .post(env.url("/oauth/device/code"))
        .form(&[
            ("client_id", client_id),
            (
                "scope",
                "openid offline_access helpdesk:read helpdesk:reset",
            ),
            ("audience", audience),
        ])
        .send()
        .await
        .unwrap();
    answer(r).await
}

async fn poll(env: &Env, device_code: &str) -> (StatusCode, Value) {
    let r = env
        .token_form(&[
            ("grant_type", DEVICE),
            ("device_code", device_code),
            ("client_id", demo::PUBLIC_CLIENT_ID),
        ])
        .await;
    answer(r).await
}

/// Status, Location and body of a form post without following redirects.
async fn post(env: &Env, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    let r = no_redirects()
        .post(env.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
}

/// The code typed on `/activate`, the agent's sign-in with MFA: the
/// confirmation page's state id.
async fn activate_and_sign_in(env: &Env, typed: &str) -> String {
    let (status, location, body) =
        post(env, "/activate", &[("code", typed), ("action", "continue")]).await;
    assert_eq!(status, StatusCode::FOUND, "{body}");
    let id = location
        .strip_prefix("/u/login?state=")
        .expect(&location)
        .to_owned();
    let login = [
        ("state", id.as_str()),
        ("email", demo::HELPDESK_AGENT),
        ("password", demo::PASSWORD),
        ("action", "continue"),
    ];
    let (_, location, _) = post(env, "/u/login", &login).await;
    assert_eq!(location, format!("/u/mfa?state={id}"));
    let now = env.control.now().await.unwrap();
    let code = totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
    let mfa = [
        ("state", id.as_str()),
        ("code", code.as_str()),
        ("action", "continue"),
    ];
    let (_, location, _) = post(env, "/u/mfa", &mfa).await;
    assert_eq!(location, format!("/activate/confirm?state={id}"));
    id
}

#[tokio::test]
async fn a_command_line_signs_in_through_the_activate_page() {
    let env = Env::new().await;
    let (status, d) = device_code(&env, demo::PUBLIC_CLIENT_ID, demo::HELPDESK_API).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    let user_code = d["user_code"].as_str().unwrap().to_owned();
    let shape = user_code.len() == 9
        && user_code.chars().enumerate().all(|(i, c)| {
            if i == 4 {
                c == '-'
            } else {
                "BCDFGHJKLMNPQRSTVWXZ".contains(c)
            }
        });
    assert!(shape, "{user_code}");
    assert_eq!(d["verification_uri"], env.url("/activate"));
    assert_eq!(
        d["verification_uri_complete"],
        env.url(&format!("/activate?user_code={user_code}"))
    );
    assert_eq!(
        (d["expires_in"].as_u64(), d["interval"].as_u64()),
        (Some(900), Some(5))
    );
    let device = d["device_code"].as_str().unwrap().to_owned();

    let (status, body) = poll(&env, &device).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error":"authorization_pending","error_description":"User has yet to authorize device code."})
    );
    let (status, body) = poll(&env, &device).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        body,
        json!({"error":"slow_down","error_description":"You are polling faster than the specified interval of 5 seconds."})
    );

    // The page pre-fills the code from the link; it is typed loosely here.
    let page = env
        .http
        .get(d["verification_uri_complete"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .contains(&format!("value=\"{user_code}\"")));
    let id = activate_and_sign_in(&env, &user_code.to_lowercase().replace('-', " ")).await;
    let page = env
        .http
        .get(env.url(&format!("/activate/confirm?state={id}")))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains(&user_code));
    let (status, _, html) = post(
        &env,
        "/activate/confirm",
        &[("state", &id), ("action", "continue")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"allowed\""));

    env.control.advance_clock(5).await.unwrap();
    let (status, body) = poll(&env, &device).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The helpdesk API allows no offline access: no refresh token (§S1.3 cut).
    assert_eq!(body["scope"], "openid helpdesk:read");
    assert!(body.get("refresh_token").is_none());
    let c = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        demo::HELPDESK_API,
    )
    .await
    .unwrap();
    assert_eq!(c["sub"], demo::HELPDESK_AGENT_USER_ID);
    assert_eq!(c[demo::HELPDESK_MFA_CLAIM], json!(["mfa"]));
    assert!(c.get("gty").is_none());
    assert_eq!(
        claims(body["id_token"].as_str().unwrap())["amr"],
        json!(["mfa"])
    );

    env.control.advance_clock(5).await.unwrap();
    let (status, body) = poll(&env, &device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn cancelling_the_confirmation_is_access_denied() {
    let env = Env::new().await;
    let (_, d) = device_code(&env, demo::PUBLIC_CLIENT_ID, &env.url("/userinfo")).await;
    let id = activate_and_sign_in(&env, d["user_code"].as_str().unwrap()).await;
    let (_, _, html) = post(
        &env,
        "/activate/confirm",
        &[("state", &id), ("action", "cancel")],
    )
    .await;
    assert!(html.contains("id=\"denied\""));
    let (status, body) = poll(&env, d["device_code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error":"access_denied","error_description":"User cancelled the confirmation prompt."})
    );
}

#[tokio::test]
async fn an_expired_device_code_is_reported_once() {
    let env = Env::new().await;
    let (_, d) = device_code(&env, demo::PUBLIC_CLIENT_ID, &env.url("/userinfo")).await;
    let device = d["device_code"].as_str().unwrap();
    env.control.advance_clock(901).await.unwrap();
    let (status, _, html) = post(
        &env,
        "/activate",
        &[
            ("code", d["user_code"].as_str().unwrap()),
            ("action", "continue"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Invalid or expired code."));
    let (status, body) = poll(&env, device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("expired_token"))
    );
    env.control.advance_clock(5).await.unwrap();
    let (status, body) = poll(&env, device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );

    let token = env
        .token_for(
            demo::HELPDESK_SERVICE_CLIENT_ID,
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
            None,
        )
        .await;
    let fdeac = env.get_json("/logs?q=type:fdeac", &token).await;
    assert_eq!(fdeac.as_array().unwrap().len(), 1);
    let fede = env.get_json("/logs?q=type:fede", &token).await;
    assert_eq!(fede.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn only_public_clients_with_the_grant_get_device_codes() {
    let env = Env::new().await;
    for client in [demo::CONFIDENTIAL_CLIENT_ID, demo::LIMITED_CLIENT_ID] {
        let (status, body) = device_code(&env, client, &env.url("/userinfo")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{client}");
        assert_eq!(
            body["error_description"],
            "Grant type 'urn:ietf:params:oauth:grant-type:device_code' not allowed for the client."
        );
    }
    let (status, body) =
        device_code(&env, demo::PUBLIC_CLIENT_ID, "https://nowhere.example/").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error_description"],
        "Service not found: https://nowhere.example/"
    );
}
