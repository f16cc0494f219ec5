//! Who may call, over real HTTP against the local Auth0: every refusal of an agent's token
//! (none, garbage, wrong audience, signed by a rotated-out key, expired, no MFA claim, a
//! stale sign-in) and of a missing permission, each with its ErrorCode; and the agent is the
//! token's subject, never a name the client sends.

mod support;

use auth0_emulator::{demo, Tenant};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::db;
use support::service::{config, enc, Auth0, Service, ALL_SCOPES};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_refused_for_each_reason_with_its_code() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let mut config = config(&auth0, &db.url);
    // The JWKS is trusted for two seconds here (ten minutes by default).
    config.auth0.jwks_cache_secs = 2;
    let service = Service::start(config).await;
    let path = format!("/v1/callers?email={}", demo::ENROLLED);

    let (status, body) = service
        .call(reqwest::Method::GET, &path, None, None, None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_token_missing")
    );
    let (status, body) = service.get(&path, "not.a.jwt").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_token_invalid")
    );

    // A real token of the same tenant, for the Management API: wrong audience.
    let other: Value = reqwest::Client::new()
        .post(auth0.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
            ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
            ("audience", &auth0.url("/api/v2/")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, body) = service
        .get(&path, other["access_token"].as_str().unwrap())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_token_invalid")
    );

    // Valid, then its key rotated out (two rotations: §S1.4 keeps the previous key once);
    // the service refetches the JWKS for the unknown kid and still refuses.
    let token = auth0.agent().await;
    let (status, body) = service.get(&path, &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    auth0.control.rotate_signing_key().await.unwrap();
    let fresh = auth0
        .sign_in(
            demo::HELPDESK_AGENT,
            demo::HELPDESK_AGENT_TOTP_SECRET,
            ALL_SCOPES,
        )
        .await;
    // A token signed with the new key: its kid is unknown to the cache, so one refetch.
    let (status, body) = service.get(&path, &fresh).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = service.get(&path, &token).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the previous key is still published"
    );
    auth0.control.rotate_signing_key().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await; // the cache's life
    let (status, body) = service.get(&path, &token).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_token_invalid")
    );

    // Signed in nine hours ago (IT's limit is eight): the token itself is still valid.
    auth0.control.advance_clock(-9 * 3600).await.unwrap();
    // (Each sign-in below is another user's: the tenant accepts no TOTP code older than the
    // last one a user has used.)
    let stale = auth0
        .sign_in(demo::LEAD, demo::LEAD_TOTP_SECRET, ALL_SCOPES)
        .await;
    let (status, body) = service.get(&path, &stale).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_sign_in_too_old")
    );
    // Issued more than a day ago: expired.
    auth0.control.advance_clock(-24 * 3600).await.unwrap();
    let expired = auth0
        .sign_in(demo::ENROLLED, demo::ENROLLED_TOTP_SECRET, ALL_SCOPES)
        .await;
    let (status, body) = service.get(&path, &expired).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "agent_token_expired")
    );
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_without_the_mfa_claim_is_refused() {
    // A tenant whose post-login Action is not installed: tokens carry no MFA claim.
    let mut tenant = Tenant::demo();
    tenant.mfa_claim_action = None;
    let auth0 = Auth0::start(tenant).await;
    let db = db::sqlite();
    let service = Service::start(config(&auth0, &db.url)).await;
    let token = auth0.agent().await;
    let (status, body) = service
        .get(&format!("/v1/callers?email={}", demo::ENROLLED), &token)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "agent_mfa_missing")
    );
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_endpoint_needs_its_permission_and_the_refusal_is_audited() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let service = Service::start(config(&auth0, &db.url)).await;
    let agent = auth0.agent().await; // read and act
    let (status, body) = service.get("/v1/approvals", &agent).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "agent_permission_missing")
    );
    let verification = service.verify(&agent, demo::ENROLLED_USER_ID).await;
    let (status, body) = service
        .post(
            &format!("/v1/callers/{}/actions", enc(demo::ENROLLED_USER_ID)),
            &agent,
            json!({"action": "reset", "verification_id": verification, "confirmation": demo::ENROLLED}),
        )
        .await;
    // Without helpdesk:reset, a reset is only asked for: a lead decides.
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "pending_approval");
    let approval = body["approval_id"].as_str().unwrap();
    let (status, body) = service
        .post(
            &format!("/v1/approvals/{approval}/approve"),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "agent_permission_missing")
    );
    // The agent is the token's subject, whatever the body says.
    let (status, body) = service.get("/v1/audit?kind=refusal", &agent).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = body.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{body}");
    assert_eq!(rows[0]["agent_sub"], demo::HELPDESK_AGENT_USER_ID);
    assert_eq!(rows[0]["agent_email"], demo::HELPDESK_AGENT);
    assert_eq!(rows[0]["action"], "approve");
    assert_eq!(rows[0]["error_code"], "agent_permission_missing");
    service.stop().await;
}
