//! The demo service (what the app's practice mode and scripts/helpdesk-service-demo start):
//! in-process beside the local Auth0, SQLite in a temporary folder, ready to serve an agent.

mod support;

use auth0_emulator::demo;
use mfa_core::secret::secret;
use reqwest::StatusCode;
use support::service::Auth0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_service_starts_beside_the_local_auth0_and_serves_an_agent() {
    let auth0 = Auth0::demo().await;
    let service = helpdesk_service::demo::start(
        &auth0.emulator.base_url(),
        demo::HELPDESK_SERVICE_CLIENT_ID,
        secret(demo::HELPDESK_SERVICE_CLIENT_SECRET),
    )
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        let answer = http
            .get(format!("{}/readyz", service.base_url()))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status() == StatusCode::OK) {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready);
    let found = http
        .get(format!(
            "{}/v1/callers?email={}",
            service.base_url(),
            demo::ENROLLED
        ))
        .bearer_auth(auth0.agent().await)
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    service.stop().await.unwrap();
}
