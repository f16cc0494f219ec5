//! The service for a demo: started in-process beside a local Auth0 (the app's practice mode,
//! `scripts/helpdesk-service-demo`), with SQLite in a temporary folder that goes with it, on a
//! free loopback port. The caller passes the tenant's address and the service client's secret
//! (the emulator's demo tenant: `mfa-desk-helpdesk-service` / `demo-helpdesk-service-secret`).

use std::net::SocketAddr;

use mfa_core::secret::SecretString;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, LogFormat};

/// A running demo service; dropping it stops the service (requests in flight finish).
pub struct DemoService {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), String>>,
    _data: tempfile::TempDir,
}

impl DemoService {
    /// `http://127.0.0.1:PORT`: what the app's helpdesk screens would call.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops gracefully and waits.
    pub async fn stop(self) -> Result<(), String> {
        let _ = self.stop.send(true);
        self.task.await.map_err(|e| e.to_string())?
    }
}

/// Starts the service against the tenant at `tenant_url` with `client_id` and `secret`.
pub async fn start(
    tenant_url: &str,
    client_id: &str,
    secret: SecretString,
) -> Result<DemoService, String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut config = Config::default();
    config.auth0.tenant_url = tenant_url.to_owned();
    config.auth0.client_id = client_id.to_owned();
    config.storage.url = format!("sqlite://{}", data.path().join("helpdesk.db").display());
    config.listen.address = "127.0.0.1:0".parse().expect("a loopback address");
    config.log.format = LogFormat::Text;
    config.check().map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(config.listen.address)
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(crate::server::serve(config, secret, listener, stopped));
    Ok(DemoService {
        addr,
        stop,
        task,
        _data: data,
    })
}
