//! Where the helpdesk service is, and the agent signed in to it: the service's address and
//! the helpdesk API's identifier from IT's configuration (the same layers the app reads;
//! `--service`/`--api` in debug builds, for tests), the agent's sign-in from the system
//! keyring.

use std::time::Duration;

use mfa_core::client::Timeouts;
use mfa_core::helpdesk_service::{AgentSession, ServiceClient};
use mfa_core::secret_store::KeyringStore;
use mfa_core::ErrorCode;

use crate::cli::Cli;
use crate::connect::managed_settings;
use crate::failure::{Exit, Failure};

/// The service and the API its agents sign in for.
#[derive(Debug, Clone)]
pub struct Location {
    pub url: String,
    pub api: String,
}

/// The service from the flags (debug builds), else IT's configuration.
pub fn location(cli: &Cli) -> Result<Location, Failure> {
    #[cfg(debug_assertions)]
    if let (Some(url), Some(api)) = (&cli.service, &cli.api) {
        return checked(url, api);
    }
    let _ = cli;
    let settings = managed_settings()?;
    match settings.and_then(|s| s.helpdesk_service) {
        Some(service) => Ok(Location {
            url: service.url,
            api: service.api_identifier,
        }),
        None => Err(Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            "No helpdesk service is configured (IT sets helpdesk.service_url and helpdesk.api_identifier); the tenant's administrators can use --direct. Nothing was sent.",
        )),
    }
}

#[cfg(debug_assertions)]
fn checked(url: &str, api: &str) -> Result<Location, Failure> {
    let parsed = mfa_core::config::parse_tenant_url(url).map_err(|_| {
        Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            format!("--service: {url:?} is not an https:// address (plain http only on this computer); nothing was sent."),
        )
    })?;
    if api.trim().is_empty() {
        return Err(Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            "--api is empty; nothing was sent.",
        ));
    }
    Ok(Location {
        url: parsed.as_str().trim_end_matches('/').to_owned(),
        api: api.trim().to_owned(),
    })
}

/// The keyring the agent's sign-in lives in. Debug builds (tests) may name their own keyring
/// service with `MFA_DESK_ADMIN_KEYRING`, so they never touch a real one.
pub fn keyring() -> KeyringStore {
    #[cfg(debug_assertions)]
    if let Ok(service) = std::env::var("MFA_DESK_ADMIN_KEYRING") {
        return KeyringStore::new(service);
    }
    KeyringStore::default()
}

pub fn timeouts(secs: u64) -> Timeouts {
    let wait = Duration::from_secs(secs);
    Timeouts {
        connect: Timeouts::default().connect.min(wait),
        request: wait,
    }
}

/// Runs a keyring call off the async thread (D-Bus round trips block).
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        Failure::new(
            Exit::Other,
            ErrorCode::Unknown,
            format!("Internal error: {e}."),
        )
    })?
}

/// The signed-in agent's session, if any (an expired one is forgotten).
pub async fn session(location: &Location) -> Result<Option<AgentSession>, Failure> {
    let url = location.url.clone();
    blocking(move || AgentSession::load(&keyring(), &url).map_err(Failure::store)).await
}

/// A client of the service as the signed-in agent; "not signed in" (exit 6) otherwise.
pub async fn connect(cli: &Cli) -> Result<(ServiceClient, AgentSession), Failure> {
    let location = location(cli)?;
    let session = session(&location).await?.ok_or_else(|| {
        Failure::new(
            Exit::NotSignedIn,
            ErrorCode::AgentTokenMissing,
            "You are not signed in to the helpdesk service (or your sign-in expired): run `mfa-desk-admin login`. Nothing was sent.",
        )
    })?;
    let client = ServiceClient::new(&location.url, session.token.clone(), timeouts(cli.timeout))?;
    Ok((client, session))
}
