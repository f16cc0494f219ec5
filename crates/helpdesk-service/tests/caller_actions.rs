//! An agent helping callers, over real HTTP against the local Auth0, on SQLite and on
//! PostgreSQL: find, open, events, verify, act; every rule's refusal (no verification, one for
//! another caller, an expired one, a second code without replace, a reused idempotency key,
//! self-approval), four eyes, and the audit trail each leaves.

mod support;

use auth0_emulator::demo;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::db;
use support::service::{config, enc, Auth0, Service};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

/// Blocks `user_id` as an administrator would, through the Management API.
async fn block(auth0: &Auth0, user_id: &str) {
    let http = reqwest::Client::new();
    let token: Value = http
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
    let status = http
        .patch(auth0.url(&format!("/api/v2/users/{}", enc(user_id))))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&json!({"blocked": true}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::OK);
}

fn actions(user_id: &str) -> String {
    format!("/v1/callers/{}/actions", enc(user_id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_open_verify_and_act_with_every_rule_enforced() {
    for db in db::both().await {
        let auth0 = Auth0::demo().await;
        let service = Service::start(config(&auth0, &db.url)).await;
        let agent = auth0.agent().await;
        let name = db.name;

        // Find: the core's case handling (users-by-email is exact; lower-cased retry).
        let (status, found) = service
            .get("/v1/callers?email=Enrolled@example.com", &agent)
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {found}");
        assert_eq!(found["users"][0]["user_id"], demo::ENROLLED_USER_ID);
        assert_eq!(found["matched_lower_case"], true);
        let (status, by_id) = service
            .get(
                &format!("/v1/callers?user_id={}", enc(demo::ONLY_RECOVERY_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(by_id["users"][0]["email"], demo::ONLY_RECOVERY);

        // Open: methods and standing.
        let (status, profile) = service
            .get(
                &format!("/v1/callers/{}", enc(demo::ONLY_RECOVERY_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{profile}");
        assert_eq!(profile["standing"], "only_recovery_code");
        // Recent events in plain words (the tenant's log of this caller, §S4.1).
        let (status, events) = service
            .get(
                &format!("/v1/callers/{}/events", enc(demo::HELPDESK_AGENT_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{events}");
        let events = events.as_array().unwrap();
        assert!(
            events.iter().any(|e| e["words"] == "second factor passed"),
            "{events:?}"
        );

        // No verification, or one for someone else: refused, nothing sent.
        let (status, body) = service
            .post(
                &actions(demo::ENROLLED_USER_ID),
                &agent,
                json!({"action": "issue_recovery_code", "verification_id": "ver_nothing"}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "caller_not_verified")
        );
        let for_bo = service.verify(&agent, demo::PHONE_ONLY_USER_ID).await;
        let (status, body) = service
            .post(
                &actions(demo::ENROLLED_USER_ID),
                &agent,
                json!({"action": "issue_recovery_code", "verification_id": for_bo}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "verification_other_caller")
        );

        // Verified: a code, read out once.
        let v = service.verify(&agent, demo::ENROLLED_USER_ID).await;
        let key = "first-code";
        let request = json!({"action": "issue_recovery_code", "verification_id": v});
        let (status, first) = service
            .call(
                Method::POST,
                &actions(demo::ENROLLED_USER_ID),
                Some(&agent),
                Some(request.clone()),
                Some(key),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {first}");
        let code_one = first["recovery_code"].as_str().unwrap().to_owned();
        assert_eq!(first["next_step"], "sign_in_with_issued_recovery_code");
        assert_eq!(
            auth0
                .control
                .recovery_code(demo::ENROLLED)
                .await
                .unwrap()
                .as_deref(),
            Some(code_one.as_str())
        );

        // The same key again: the first answer (without the code), nothing changed.
        let (status, replay) = service
            .call(
                Method::POST,
                &actions(demo::ENROLLED_USER_ID),
                Some(&agent),
                Some(request.clone()),
                Some(key),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(replay["correlation_id"], first["correlation_id"]);
        assert_eq!(replay["replayed"], true);
        assert!(replay.get("recovery_code").is_none());
        assert_eq!(
            auth0
                .control
                .recovery_code(demo::ENROLLED)
                .await
                .unwrap()
                .as_deref(),
            Some(code_one.as_str())
        );
        // The same key for another request: refused.
        let (status, body) = service
            .call(
                Method::POST,
                &actions(demo::ENROLLED_USER_ID),
                Some(&agent),
                Some(json!({"action": "forget_browsers", "verification_id": v})),
                Some(key),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_mismatch")
        );
        // No key at all: refused.
        let (status, body) = service
            .call(
                Method::POST,
                &actions(demo::ENROLLED_USER_ID),
                Some(&agent),
                Some(request.clone()),
                None,
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "idempotency_key_missing")
        );

        // A second code within ten minutes: refused unless it replaces the first.
        let (status, body) = service
            .post(&actions(demo::ENROLLED_USER_ID), &agent, request.clone())
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::CONFLICT, "recovery_code_recently_issued")
        );
        let (status, second) = service
            .post(
                &actions(demo::ENROLLED_USER_ID),
                &agent,
                json!({"action": "issue_recovery_code", "verification_id": v, "replace": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_ne!(second["recovery_code"], first["recovery_code"]);

        // Other actions under the same verification.
        // An administrator had blocked the caller: unblocking lifts it (§S4.3).
        block(&auth0, demo::ENROLLED_USER_ID).await;
        let (_, profile) = service
            .get(
                &format!("/v1/callers/{}", enc(demo::ENROLLED_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(profile["blocked"], true);
        for action in [
            "forget_browsers",
            "end_sessions",
            "unblock",
            "send_enrollment_ticket",
        ] {
            let (status, body) = service
                .post(
                    &actions(demo::ENROLLED_USER_ID),
                    &agent,
                    json!({"action": action, "verification_id": v}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{name} {action}: {body}");
        }
        let (status, body) = service
            .post(&actions(demo::ENROLLED_USER_ID), &agent,
                json!({"action": "remove_method", "verification_id": v, "method_id": demo::ENROLLED_TOTP_ID}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["next_step"], "sign_in_with_remaining_method");
        let (_, profile) = service
            .get(
                &format!("/v1/callers/{}", enc(demo::ENROLLED_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(profile["blocked"], false, "{profile}");

        // The audit: one intent and one outcome per action, no secret anywhere.
        let (status, rows) = service
            .get(
                &format!("/v1/audit?caller_id={}", enc(demo::ENROLLED_USER_ID)),
                &agent,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let rows = rows.as_array().unwrap();
        let count = |kind: &str| rows.iter().filter(|r| r["kind"] == kind).count();
        assert_eq!((count("intent"), count("outcome")), (7, 7), "{name}");
        let text = serde_json::to_string(rows).unwrap();
        assert!(!text.contains(&code_one), "a recovery code in the audit");
        assert!(!text.contains(&agent), "a token in the audit");
        let intent = rows.iter().find(|r| r["kind"] == "intent").unwrap();
        assert_eq!(intent["verified_by"], "callback_directory_number");
        assert_eq!(intent["reason"], "lost phone");
        assert_eq!(intent["ticket"], "INC-1");
        assert_eq!(intent["client_addr"], "127.0.0.1");
        assert!(intent["correlation_id"]
            .as_str()
            .unwrap()
            .starts_with("mfa-desk-"));
        // CSV export.
        let csv = service
            .http
            .get(format!("{}/v1/audit?format=csv&kind=intent", service.base))
            .bearer_auth(&agent)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("seq,time,kind,agent_sub"), "{csv}");
        assert_eq!(csv.lines().count(), 8, "{csv}");
        service.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_verification_covers_nothing() {
    for db in db::both().await {
        let auth0 = Auth0::demo().await;
        let mut config = config(&auth0, &db.url);
        config.rules.verification_ttl_secs = 1;
        let service = Service::start(config).await;
        let agent = auth0.agent().await;
        let v = service.verify(&agent, demo::ENROLLED_USER_ID).await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let (status, body) = service
            .post(
                &actions(demo::ENROLLED_USER_ID),
                &agent,
                json!({"action": "forget_browsers", "verification_id": v}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "verification_expired"),
            "{}",
            db.name
        );
        service.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_waits_for_another_agents_approval() {
    for db in db::both().await {
        let auth0 = Auth0::demo().await;
        let service = Service::start(config(&auth0, &db.url)).await;
        let lead = auth0.lead().await;
        let name = db.name;

        // The lead asks for a reset: pending, and the lead cannot approve it.
        let v = service.verify(&lead, demo::PHONE_ONLY_USER_ID).await;
        let (status, pending) = service
            .post(
                &actions(demo::PHONE_ONLY_USER_ID),
                &lead,
                json!({"action": "reset", "verification_id": v, "confirmation": demo::PHONE_ONLY}),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{name}: {pending}");
        let id = pending["approval_id"].as_str().unwrap().to_owned();
        let (status, body) = service
            .post(&format!("/v1/approvals/{id}/approve"), &lead, json!(null))
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "self_approval")
        );
        let (status, list) = service.get("/v1/approvals", &lead).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1);
        // Nothing was removed yet.
        let (_, profile) = service
            .get(
                &format!("/v1/callers/{}", enc(demo::PHONE_ONLY_USER_ID)),
                &lead,
            )
            .await;
        assert_eq!(profile["standing"], "holds_factors");

        // A second lead would approve; here the lead refuses the agent's… the agent cannot
        // approve (no helpdesk:approve), so a refusal by the lead of its own request is also
        // self-approval.
        let (status, body) = service
            .post(
                &format!("/v1/approvals/{id}/refuse"),
                &lead,
                json!({"reason": "wrong caller"}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "self_approval")
        );
        service.stop().await;
    }
}
