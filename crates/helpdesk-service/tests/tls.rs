//! TLS terminated by the service itself (rustls): a client that trusts the certificate talks
//! to it over HTTPS, plain HTTP on the same port gets nothing, and the stop is graceful.

mod support;

use reqwest::StatusCode;
use support::db;
use support::service::{config, Auth0, Service};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_serves_https_with_its_own_certificate() {
    let auth0 = Auth0::demo().await;
    let db = db::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let mut config = config(&auth0, &db.url);
    config.listen.tls_certificate = Some(cert_path);
    config.listen.tls_key = Some(key_path);
    let service = Service::start_tls(config).await;

    let https = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", service.addr)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}", service.addr.port());
    let ready = https.get(format!("{url}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let token = auth0.agent().await;
    let found = https
        .get(format!("{url}/v1/callers?email=enrolled@example.com"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    // Plain HTTP on the TLS port: no answer.
    assert!(reqwest::get(format!("http://{}/healthz", service.addr))
        .await
        .is_err());
    service.stop().await;
}
