//! The push to the caller's phone (CIBA: approved, denied, expired, no push enrolled), the
//! local Auth0's faults (a 429 on a read retried once, a 5xx, a regeneration's lost answer:
//! outcome unknown, audited, never retried), and operations (health, readiness, metrics,
//! the OpenAPI document, the per-agent rate limit, a graceful stop).

mod support;

use std::time::Duration;

use auth0_emulator::{demo, Fault};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::db;
use support::service::{config, enc, Auth0, Service};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

fn push_path(user_id: &str) -> String {
    format!("/v1/callers/{}/verifications/push", enc(user_id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_to_the_callers_phone_is_answered_clearly() {
    for db in db::both().await {
        let auth0 = Auth0::demo().await;
        let service = Service::start(config(&auth0, &db.url)).await;
        let agent = auth0.agent().await;
        let body = json!({"reason": "locked out", "ticket": "INC-9"});

        // Approved on the phone, which shows the words the agent reads out.
        let key = Some("push-once");
        let path = push_path(demo::PUSH_USER_USER_ID);
        let (status, started) = service
            .call(Method::POST, &path, Some(&agent), Some(body.clone()), key)
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{}: {started}", db.name);
        // A retried request sends no second push.
        let (status, again) = service
            .call(Method::POST, &path, Some(&agent), Some(body.clone()), key)
            .await;
        assert_eq!(
            (status, &again["id"]),
            (StatusCode::ACCEPTED, &started["id"])
        );
        let pushes = auth0
            .control
            .requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.path == "/bc-authorize")
            .count();
        assert_eq!(pushes, 1);
        assert_eq!(started["status"], "pending");
        let id = started["id"].as_str().unwrap().to_owned();
        let push = auth0
            .control
            .wait_for_push(Duration::from_secs(5))
            .await
            .unwrap()
            .expect("a push");
        assert_eq!(
            push.binding_message.as_deref(),
            started["binding_message"].as_str()
        );
        let (_, still) = service
            .get(&format!("/v1/verifications/{id}"), &agent)
            .await;
        assert_eq!(still["status"], "pending");
        auth0
            .control
            .approve_push(Some(&push.oob_code))
            .await
            .unwrap();
        auth0.control.advance_clock(6).await.unwrap(); // CIBA's polling interval (§S3.3)
        let (_, approved) = service
            .get(&format!("/v1/verifications/{id}"), &agent)
            .await;
        assert_eq!(approved["status"], "verified", "{approved}");
        assert_eq!(approved["method"], "push_approved_on_enrolled_phone");
        let (status, done) = service
            .post(
                &format!("/v1/callers/{}/actions", enc(demo::PUSH_USER_USER_ID)),
                &agent,
                json!({"action": "forget_browsers", "verification_id": id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");

        // Denied.
        auth0.control.advance_clock(10).await.unwrap();
        let (_, started) = service
            .post(&push_path(demo::PUSH_USER_USER_ID), &agent, body.clone())
            .await;
        let id = started["id"].as_str().unwrap().to_owned();
        let push = auth0
            .control
            .wait_for_push(Duration::from_secs(5))
            .await
            .unwrap()
            .expect("a push");
        auth0.control.deny_push(Some(&push.oob_code)).await.unwrap();
        auth0.control.advance_clock(6).await.unwrap();
        let (_, denied) = service
            .get(&format!("/v1/verifications/{id}"), &agent)
            .await;
        assert_eq!(denied["status"], "denied", "{denied}");
        let (status, body_denied) = service
            .post(
                &format!("/v1/callers/{}/actions", enc(demo::PUSH_USER_USER_ID)),
                &agent,
                json!({"action": "forget_browsers", "verification_id": id}),
            )
            .await;
        assert_eq!(
            (status, code(&body_denied)),
            (StatusCode::FORBIDDEN, "caller_not_verified")
        );

        // No push enrolled.
        let (status, refused) = service
            .post(&push_path(demo::ENROLLED_USER_ID), &agent, body.clone())
            .await;
        assert_eq!(
            (status, code(&refused)),
            (StatusCode::CONFLICT, "push_not_enrolled")
        );
        service.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_push_expires() {
    // §S3.3: Auth0 may answer an expired request with expired_token (a tenant setting of the
    // local Auth0; with access_denied the service tells expiry from denial by its own clock).
    let mut tenant = auth0_emulator::Tenant::demo();
    tenant.settings.ciba_expired_error = "expired_token".into();
    let auth0 = Auth0::start(tenant).await;
    let db = db::sqlite();
    let service = Service::start(config(&auth0, &db.url)).await;
    let agent = auth0.agent().await;
    let (status, started) = service
        .post(
            &push_path(demo::PUSH_USER_USER_ID),
            &agent,
            json!({"reason": "locked out"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    auth0.control.advance_clock(301).await.unwrap();
    let id = started["id"].as_str().unwrap();
    let (_, expired) = service
        .get(&format!("/v1/verifications/{id}"), &agent)
        .await;
    assert_eq!(expired["status"], "expired", "{expired}");
    let (status, body) = service
        .post(
            &format!("/v1/callers/{}/actions", enc(demo::PUSH_USER_USER_ID)),
            &agent,
            json!({"action": "forget_browsers", "verification_id": id}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "verification_expired")
    );
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_of_the_local_auth0_are_retried_reported_or_recorded_as_unknown() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let service = Service::start(config(&auth0, &db.url)).await;
    let agent = auth0.agent().await;
    let user = enc(demo::ENROLLED_USER_ID);
    // Warm the Management token so the faults hit the calls under test.
    let (status, _) = service.get(&format!("/v1/callers/{user}"), &agent).await;
    assert_eq!(status, StatusCode::OK);

    // A 429 on a read: retried once after the wait (1 s when Auth0 names none).
    auth0
        .control
        .add_fault(&Fault::status(&format!("/api/v2/users/{user}"), 429).method("GET"))
        .await
        .unwrap();
    let (status, body) = service.get(&format!("/v1/callers/{user}"), &agent).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let v = service.verify(&agent, demo::ENROLLED_USER_ID).await;
    let act = format!("/v1/callers/{user}/actions");
    // A 5xx: reported, audited as an error.
    auth0
        .control
        .add_fault(&Fault::status("/api/v2/users", 503).method("POST"))
        .await
        .unwrap();
    let (status, body) = service
        .post(
            &act,
            &agent,
            json!({"action": "forget_browsers", "verification_id": v}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_GATEWAY, "server_error")
    );

    // The answer to a regeneration is lost after Auth0 carried it out: outcome unknown,
    // audited, never sent twice.
    auth0.control.clear_requests().await.unwrap();
    auth0
        .control
        .add_fault(
            &Fault::drop_connection(&format!("/api/v2/users/{user}/recovery-code-regeneration"))
                .after_handling(),
        )
        .await
        .unwrap();
    let (status, body) = service
        .post(
            &act,
            &agent,
            json!({"action": "issue_recovery_code", "verification_id": v}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_GATEWAY, "recovery_code_answer_lost")
    );
    let sent = auth0
        .control
        .requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.path.contains("recovery-code-regeneration"))
        .count();
    assert_eq!(sent, 1, "a regeneration is never retried");
    let (_, rows) = service
        .get(&format!("/v1/audit?caller_id={user}&kind=outcome"), &agent)
        .await;
    let outcomes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["unknown", "error"]);
    // The code may already have been read out by Auth0: a new one now needs `replace`.
    let (status, body) = service
        .post(
            &act,
            &agent,
            json!({"action": "issue_recovery_code", "verification_id": v}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "recovery_code_recently_issued")
    );
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_openapi_rate_limits_and_a_graceful_stop() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let mut config = config(&auth0, &db.url);
    config.agents.requests_per_minute = 5;
    let service = Service::start(config).await;
    let http = &service.http;
    assert_eq!(
        http.get(format!("{}/healthz", service.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    let ready: Value = http
        .get(format!("{}/readyz", service.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready, json!({"database": true, "jwks": true}));
    let openapi: Value = http
        .get(format!("{}/v1/openapi.json", service.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        openapi["paths"]["/v1/callers/{user_id}/actions"]["post"].is_object(),
        "{openapi}"
    );
    assert!(openapi["components"]["securitySchemes"]["agent"].is_object());

    let agent = auth0.agent().await;
    let path = format!("/v1/callers?email={}", demo::ENROLLED);
    for _ in 0..5 {
        assert_eq!(service.get(&path, &agent).await.0, StatusCode::OK);
    }
    let response = http
        .get(format!("{}{path}", service.base))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "rate_limited");
    // The lead has their own bucket.
    assert_eq!(
        service.get(&path, &auth0.lead().await).await.0,
        StatusCode::OK
    );

    let metrics = http
        .get(format!("{}/metrics", service.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("helpdesk_http_requests_total{route=\"/v1/callers\",status=\"200\"} 6"),
        "{metrics}"
    );
    assert!(
        metrics.contains("helpdesk_audit_rows_total{kind=\"lookup\"} 6"),
        "{metrics}"
    );

    // A request in flight when the stop comes still gets its answer.
    auth0
        .control
        .add_fault(&Fault::delay("/api/v2/users-by-email", 700))
        .await
        .unwrap();
    let lead = auth0.lead().await;
    let slow = tokio::spawn({
        let http = http.clone();
        let url = format!("{}{path}", service.base);
        async move {
            http.get(url)
                .bearer_auth(lead)
                .send()
                .await
                .map(|r| r.status())
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let addr = service.addr;
    service.stop().await;
    assert_eq!(slow.await.unwrap().unwrap(), StatusCode::OK);
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}
