//! Starting the service: the configuration's secret, the database, the clients of the
//! tenant, the HTTP listener (plain on loopback or behind IT's proxy, else TLS with rustls),
//! and a graceful stop on SIGTERM or Ctrl-C that lets requests in flight finish.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use mfa_core::client::Timeouts;
use mfa_core::management::ManagementClient;
use mfa_core::secret::SecretString;
use mfa_core::TenantConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::api;
use crate::auth::{Authenticator, Jwks};
use crate::ciba::CibaClient;
use crate::config::{client_secret, Config, LogFormat};
use crate::ops::limits::AgentLimits;
use crate::ops::metrics::Metrics;
use crate::state::AppState;
use crate::store::{approvals, idempotency, now_ms, Store};

mod tls;

/// The process: logs, configuration, then [`serve`] until a signal.
pub async fn run(config: Config) -> ExitCode {
    init_logs(&config);
    if let Err(e) = config.check() {
        tracing::error!(error = %e, "configuration refused");
        return ExitCode::from(2);
    }
    let (secret, origin) = match client_secret(config.auth0.client_secret_file.as_deref(), |n| {
        std::env::var(n).ok()
    }) {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "no client secret");
            return ExitCode::from(2);
        }
    };
    tracing::info!(from = %origin, "client secret read");
    let listener = match TcpListener::bind(config.listen.address).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, address = %config.listen.address, "cannot listen");
            return ExitCode::from(1);
        }
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    match serve(config, secret, listener, stop_rx).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the service stopped");
            ExitCode::from(1)
        }
    }
}

fn init_logs(config: &Config) {
    let level = config
        .log
        .level
        .parse::<tracing::Level>()
        .unwrap_or(tracing::Level::INFO);
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr);
    let _ = match config.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("stopping: finishing requests in flight");
}

/// Builds the state shared by every request.
pub async fn state(config: Config, secret: SecretString) -> Result<Arc<AppState>, String> {
    let store = Store::open(&config.storage.url, config.storage.max_connections)
        .await
        .map_err(|e| e.to_string())?;
    let timeouts = Timeouts::default();
    let http = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let tenant = TenantConfig::new(&config.auth0.tenant_url, config.auth0.client_id.clone())
        .map_err(|e| e.to_string())?;
    let management = ManagementClient::with_http(http.clone(), &tenant, secret.clone());
    let jwks = Jwks::new(
        http.clone(),
        &config.auth0.tenant_url,
        Duration::from_secs(config.auth0.jwks_cache_secs),
    );
    let ciba = CibaClient::new(
        http,
        &config.auth0.tenant_url,
        config.auth0.issuer(),
        config.auth0.client_id.clone(),
        secret,
    );
    Ok(Arc::new(AppState {
        auth: Authenticator::new(&config, jwks),
        limits: AgentLimits::per_minute(config.agents.requests_per_minute),
        store,
        management,
        ciba,
        metrics: Metrics::default(),
        emails: Default::default(),
        config,
    }))
}

/// Serves on `listener` until `stop` turns true, then waits (up to the grace period) for
/// requests in flight.
pub async fn serve(
    config: Config,
    secret: SecretString,
    listener: TcpListener,
    mut stop: watch::Receiver<bool>,
) -> Result<(), String> {
    let grace = Duration::from_secs(config.listen.shutdown_grace_secs);
    let tls = config.tls().map(|(c, k)| (c.to_owned(), k.to_owned()));
    let state = state(config, secret).await?;
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let app = api::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!(address = %listener.local_addr().map_err(|e| e.to_string())?, tls = tls.is_some(), "serving");
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    let result = match tls {
        Some((cert, key)) => {
            let acceptor = tls::acceptor(&cert, &key)?;
            tls::serve(
                listener,
                acceptor,
                api::router(state.clone()),
                stopped,
                grace,
            )
            .await
        }
        None => {
            let server = axum::serve(listener, app).with_graceful_shutdown(stopped);
            server.await.map_err(|e| e.to_string())
        }
    };
    housekeeping.abort();
    state.store.close().await;
    result
}

/// Now and then: expire approvals and idempotency answers, forget idle rate-limit buckets.
async fn housekeeping(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let _ = approvals::expire(&state.store, now_ms()).await;
        let ttl = state.config.rules.idempotency_ttl_secs as i64 * 1000;
        let _ = idempotency::expire(&state.store, ttl).await;
        state.limits.shrink();
    }
}
