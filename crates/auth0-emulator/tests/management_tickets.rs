//! Enrollment tickets and the page they open; the Management API's rate
//! limit and fault injection; client grants in a tenant file.

mod common;

use auth0_emulator::control_api::Channel;
use auth0_emulator::{demo, totp_code, Fault, Tenant};
use common::{answer, enc, Env};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn ticket(env: &Env, token: &str, body: Value) -> (StatusCode, Value) {
    let r = env
        .api(Method::POST, "/guardian/enrollments/ticket", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    answer(r).await
}

/// The text between `id="<id>">` and the next `<`.
fn element(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\">")).expect(id) + id.len() + 6;
    html[start..].split('<').next().unwrap().to_owned()
}

async fn page(env: &Env, url: &str) -> (StatusCode, String) {
    let r = env.http.get(url).send().await.unwrap();
    let status = r.status();
    if status == StatusCode::OK {
        assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    }
    (status, r.text().await.unwrap())
}

async fn submit(env: &Env, ticket_id: &str, code: &str) -> (StatusCode, String) {
    let r = env
        .http
        .post(env.url("/mfa/enrollment"))
        .form(&[("ticket", ticket_id), ("code", code)])
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn ticket_enrolls_an_authenticator_app_once() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    // The helpdesk resets the user, then sends a ticket.
    let r = env
        .api(
            Method::DELETE,
            &format!(
                "/users/{}/authentication-methods",
                enc(demo::ENROLLED_USER_ID)
            ),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (status, body) = ticket(
        &env,
        &token,
        json!({"user_id": demo::ENROLLED_USER_ID, "send_mail": true, "email": null}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ticket_id = body["ticket_id"].as_str().unwrap().to_owned();
    assert_eq!(ticket_id.len(), 32);
    assert!(ticket_id.bytes().all(|b| b.is_ascii_alphanumeric()));
    let url = env.url(&format!("/mfa/enrollment?ticket={ticket_id}"));
    assert_eq!(body, json!({"ticket_id": ticket_id, "ticket_url": url}));

    let mail = env
        .control
        .last_message(Channel::Email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.to, demo::ENROLLED);
    assert_eq!(mail.link.as_deref(), Some(url.as_str()));
    assert!(mail.text.contains(&url) && mail.code.is_empty());

    // The page shows the secret and its otpauth URI; viewing again keeps them.
    let (status, html) = page(&env, &url).await;
    assert_eq!(status, StatusCode::OK);
    let secret = element(&html, "secret");
    assert_eq!(secret.len(), 32);
    assert!(element(&html, "otpauth")
        .starts_with("otpauth://totp/MFA%20Desk%20Demo:enrolled%40example.com?secret="));
    assert_eq!(element(&page(&env, &url).await.1, "secret"), secret);

    let (status, html) = submit(&env, &ticket_id, "000000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(element(&html, "error").starts_with("That code is not right"));
    let now = env.control.now().await.unwrap();
    let code = totp_code(&secret, now).unwrap();
    let (status, html) = submit(&env, &ticket_id, &code).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let recovery = element(&html, "recovery-code");
    assert_eq!(
        recovery.len(),
        24,
        "a first enrollment shows a recovery code"
    );

    // Enrolled: the user now signs in with the new app, and the code works too.
    assert_eq!(
        env.control.recovery_code(demo::ENROLLED).await.unwrap(),
        Some(recovery)
    );
    let mfa = env.mfa_token(demo::ENROLLED).await;
    let list = env.mfa_list(&mfa).await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|a| a["active"] == true));

    // Single use.
    let (status, html) = page(&env, &url).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        element(&html, "error"),
        "This enrollment link has already been used."
    );
}

#[tokio::test]
async fn tickets_expire_and_refuse_enrolled_users() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let (_, body) = ticket(&env, &token, json!({"user_id": demo::NEW_HIRE_USER_ID})).await;
    let url = body["ticket_url"].as_str().unwrap().to_owned();
    assert_eq!(
        env.control.outbox().await.unwrap(),
        vec![],
        "no send_mail, no email"
    );
    // ASSUMPTION under test: five days.
    env.control.advance_clock(5 * 24 * 3600).await.unwrap();
    let (status, html) = page(&env, &url).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(element(&html, "error").starts_with("This enrollment link has expired."));
    let token = env.helpdesk().await; // the first one expired with the clock

    let (_, body) = ticket(
        &env,
        &token,
        json!({"user_id": demo::ENROLLED_USER_ID, "factor": "otp"}),
    )
    .await;
    let (status, _) = page(&env, body["ticket_url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT, "already enrolled");
    let (_, body) = ticket(
        &env,
        &token,
        json!({"user_id": demo::ENROLLED_USER_ID, "allow_multiple_enrollments": true}),
    )
    .await;
    let (status, _) = page(&env, body["ticket_url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = page(&env, &env.url("/mfa/enrollment?ticket=nope")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ticket_request_validation() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let (status, body) = ticket(&env, &token, json!({"send_mail": true})).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"statusCode": 400, "error": "Bad Request",
                   "message": "Payload validation error: 'Missing required property: user_id'.",
                   "errorCode": "invalid_body"})
        )
    );
    let (status, body) = ticket(&env, &token, json!({"user_id": "auth0|nobody"})).await;
    assert_eq!(
        (status, &body["errorCode"]),
        (StatusCode::NOT_FOUND, &json!("inexistent_user"))
    );
    let (status, body) = ticket(
        &env,
        &token,
        json!({"user_id": demo::NEW_HIRE_USER_ID, "factor": "carrier-pigeon"}),
    )
    .await;
    assert_eq!(
        (status, &body["errorCode"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_body"))
    );
    let (status, body) = ticket(
        &env,
        &token,
        json!({"user_id": demo::NEW_HIRE_USER_ID, "send_mail": "yes"}),
    )
    .await;
    assert_eq!(
        (status, &body["errorCode"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_body"))
    );
    let r = env
        .api(Method::POST, "/guardian/enrollments/ticket", &token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "Invalid request payload JSON format");
    let r = env
        .api(Method::POST, "/guardian/enrollments/ticket", &token)
        .body(vec![b' '; 1024 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn management_rate_limit_is_a_tenant_setting() {
    let mut tenant = Tenant::demo();
    tenant.settings.management_api_bucket = auth0_emulator::BucketSpec {
        capacity: 3,
        refill_every_secs: 10,
    };
    let env = Env::with(tenant).await;
    let token = env.readonly().await;
    let path = format!("/users/{}", enc(demo::ENROLLED_USER_ID));
    for remaining in ["2", "1", "0"] {
        let r = env.api(Method::GET, &path, &token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["x-ratelimit-limit"], "3");
        assert_eq!(r.headers()["x-ratelimit-remaining"], remaining);
    }
    let now = env.control.now().await.unwrap();
    let r = env.api(Method::GET, &path, &token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let h = r.headers().clone();
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let reset: u64 = h["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    let retry: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((now + 1..=now + 10).contains(&reset) && (1..=10).contains(&retry));
    assert_eq!(
        answer(r).await.1,
        json!({"statusCode": 429, "error": "Too Many Requests",
               "message": "Global limit has been reached", "errorCode": "too_many_requests"})
    );
    env.control.advance_clock(10).await.unwrap();
    let r = env.api(Method::GET, &path, &token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_apply_to_management_paths() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let path = format!(
        "/users/{}/recovery-code-regeneration",
        enc(demo::ENROLLED_USER_ID)
    );
    env.control
        .add_fault(&Fault::status("/api/v2/users", 503).method("POST"))
        .await
        .unwrap();
    let r = env.api(Method::POST, &path, &token).send().await.unwrap();
    assert_eq!(
        answer(r).await,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"statusCode": 503, "error": "Service Unavailable", "message": "Service unavailable"})
        )
    );
    env.control
        .add_fault(&Fault::rate_limit("/api/v2/users-by-email"))
        .await
        .unwrap();
    let r = env
        .api(Method::GET, "/users-by-email?email=a%40example.com", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["retry-after"], "60");
    assert_eq!(answer(r).await.1["statusCode"], 429);

    // A lost answer: the code changed although the helpdesk never saw it.
    env.control
        .add_fault(&Fault::drop_connection("/api/v2/users").after_handling())
        .await
        .unwrap();
    let before = env.control.recovery_code(demo::ENROLLED).await.unwrap();
    assert!(env.api(Method::POST, &path, &token).send().await.is_err());
    let after = env.control.recovery_code(demo::ENROLLED).await.unwrap();
    assert_ne!(before, after);
    let log = env.control.requests().await.unwrap();
    assert_eq!(log.last().unwrap().status, None);
}

#[tokio::test]
async fn tenant_files_carry_client_grants() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tenant.example.json");
    let tenant = Tenant::from_file(std::path::Path::new(path)).unwrap();
    let env = Env::with(tenant).await;
    let token = env.token_for("helpdesk", "helpdesk-s3cret", None).await;
    let found = env
        .get_json("/users-by-email?email=alice%40example.com", &token)
        .await;
    assert_eq!(found[0]["user_id"], "auth0|0123456789abcdef01234567");
    let r = env
        .api(
            Method::DELETE,
            "/users/auth0%7C0123456789abcdef01234567/authenticators",
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(r).await.1["message"],
        "Insufficient scope, expected any of: delete:guardian_enrollments"
    );

    let mut bad = Tenant::demo();
    bad.clients[3].client_grants[0].audience = "api/v2".into();
    assert!(bad.validate().is_err());
}
