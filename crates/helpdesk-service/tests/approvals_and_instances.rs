//! Four eyes and several instances: an action IT listed waits for another agent's approval
//! and runs exactly once; with two instances on one PostgreSQL, a verification recorded
//! through one is honoured by the other, concurrent actions keep the chain intact, and an
//! approval both instances see runs once.

mod support;

use auth0_emulator::demo;
use helpdesk_service::actions::Action;
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::db;
use support::service::{config, enc, Auth0, Service};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

fn actions(user_id: &str) -> String {
    format!("/v1/callers/{}/actions", enc(user_id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_action_runs_once_when_another_agent_approves_it() {
    for db in db::both().await {
        let auth0 = Auth0::demo().await;
        let mut config = config(&auth0, &db.url);
        config.rules.four_eyes = vec![Action::RemoveMethod, Action::Reset];
        let service = Service::start(config).await;
        let (agent, lead) = (auth0.agent().await, auth0.lead().await);
        let v = service.verify(&agent, demo::ENROLLED_USER_ID).await;
        let request = json!({"action": "remove_method", "verification_id": v, "method_id": demo::ENROLLED_TOTP_ID});
        let (status, pending) = service
            .post(&actions(demo::ENROLLED_USER_ID), &agent, request.clone())
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{}: {pending}", db.name);
        let id = pending["approval_id"].as_str().unwrap().to_owned();
        let (status, refused) = service
            .post(&format!("/v1/approvals/{id}/approve"), &agent, json!(null))
            .await;
        assert_eq!(
            (status, code(&refused)),
            (StatusCode::FORBIDDEN, "agent_permission_missing")
        );

        let (status, done) = service
            .post(&format!("/v1/approvals/{id}/approve"), &lead, json!(null))
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done["next_step"], "sign_in_with_remaining_method");
        let (status, again) = service
            .post(&format!("/v1/approvals/{id}/approve"), &lead, json!(null))
            .await;
        assert_eq!(
            (status, code(&again)),
            (StatusCode::CONFLICT, "approval_closed")
        );

        // A second request is refused with a reason.
        let (_, pending) = service
            .post(&actions(demo::ENROLLED_USER_ID), &agent,
                json!({"action": "remove_method", "verification_id": v, "method_id": demo::ENROLLED_SMS_ID}))
            .await;
        let id = pending["approval_id"].as_str().unwrap().to_owned();
        let (status, decided) = service
            .post(
                &format!("/v1/approvals/{id}/refuse"),
                &lead,
                json!({"reason": "caller hung up"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        assert_eq!(decided["status"], "refused");

        let (_, rows) = service
            .get("/v1/audit?action=remove_method&kind=intent", &lead)
            .await;
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 1, "exactly one removal: {rows:?}");
        assert_eq!(rows[0]["agent_sub"], demo::HELPDESK_AGENT_USER_ID);
        assert!(rows[0]["approval"]
            .as_str()
            .unwrap()
            .starts_with(&format!("approved by {}", demo::LEAD)));
        service.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_request_expires() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let mut config = config(&auth0, &db.url);
    config.rules.four_eyes = vec![Action::ForgetBrowsers];
    config.rules.approval_ttl_secs = 1;
    let service = Service::start(config).await;
    let (agent, lead) = (auth0.agent().await, auth0.lead().await);
    let v = service.verify(&agent, demo::ENROLLED_USER_ID).await;
    let (status, pending) = service
        .post(
            &actions(demo::ENROLLED_USER_ID),
            &agent,
            json!({"action": "forget_browsers", "verification_id": v}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{pending}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let id = pending["approval_id"].as_str().unwrap();
    let (status, body) = service
        .post(&format!("/v1/approvals/{id}/approve"), &lead, json!(null))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "approval_closed")
    );
    let (_, list) = service.get("/v1/approvals", &lead).await;
    assert_eq!(list, json!([]));
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_share_verifications_the_chain_and_approvals() {
    let Some(db) = db::postgres().await else {
        return;
    };
    let auth0 = Auth0::demo().await;
    let mut config = config(&auth0, &db.url);
    config.rules.four_eyes = vec![Action::RemoveMethod];
    let (a, b) = (
        Service::start(config.clone()).await,
        Service::start(config).await,
    );
    let (agent, lead) = (auth0.agent().await, auth0.lead().await);

    // Verified through A, acted through B.
    let v = a.verify(&agent, demo::PUSH_USER_USER_ID).await;
    let (status, body) = b
        .post(
            &actions(demo::PUSH_USER_USER_ID),
            &agent,
            json!({"action": "forget_browsers", "verification_id": v}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Concurrent actions through both instances: one chain.
    let path = actions(demo::PUSH_USER_USER_ID);
    let mut calls = Vec::new();
    for i in 0..12 {
        let service = if i % 2 == 0 { &a } else { &b };
        calls.push(service.post(
            &path,
            &agent,
            json!({"action": "forget_browsers", "verification_id": v}),
        ));
    }
    for (status, body) in futures_util::future::join_all(calls).await {
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let store = helpdesk_service::store::Store::open(&db.url, 2)
        .await
        .unwrap();
    let rows = helpdesk_service::store::audit::verify(&store)
        .await
        .unwrap()
        .expect("intact");
    assert!(rows >= 26, "{rows}");

    // One approval, seen by both instances at once: carried out once.
    let (_, pending) = a
        .post(
            &actions(demo::PUSH_USER_USER_ID),
            &agent,
            json!({"action": "remove_method", "verification_id": v, "method_id": "totp|dev_nope"}),
        )
        .await;
    let id = pending["approval_id"].as_str().expect("pending").to_owned();
    let path = format!("/v1/approvals/{id}/approve");
    let (one, two) = tokio::join!(
        a.post(&path, &lead, json!(null)),
        b.post(&path, &lead, json!(null))
    );
    let statuses = [one.0, two.0];
    assert!(statuses.contains(&StatusCode::CONFLICT), "{one:?} {two:?}");
    let intents: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE kind = 'intent' AND action = 'remove_method'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(intents, 1);
    store.close().await;
    a.stop().await;
    b.stop().await;
}
