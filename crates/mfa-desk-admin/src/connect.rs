//! Which tenant, which helpdesk application, and its secret.

use mfa_core::client::Timeouts;
use mfa_core::management::credentials;
use mfa_core::management::ManagementClient;
use mfa_core::secret_store::KeyringStore;
use mfa_core::settings::{EnvTrust, Locations, Settings};
use mfa_core::{ErrorCode, TenantConfig};

use crate::cli::Cli;
use crate::failure::{Exit, Failure};

/// The `helpdesk` section of the managed configuration: where the tool connects when neither
/// `--tenant`/`--client-id` nor their environment variables are given.
#[derive(Debug, Clone, Default)]
pub struct HelpdeskSettings {
    pub tenant: Option<String>,
    pub client_id: Option<String>,
}

/// The configuration (IT's layers and the person's file, as the app reads them). Absent
/// configuration is not an error here (the flags may supply everything); a broken one is,
/// naming where and what.
pub fn managed_settings() -> Result<Option<Settings>, Failure> {
    // Debug builds (tests) may name IT's file with MFA_DESK_SYSTEM_CONFIG; release builds
    // read only IT's own places.
    let trust = if cfg!(debug_assertions) {
        EnvTrust::TestHooks
    } else {
        EnvTrust::PersonOnly
    };
    let locations = Locations::from_env(trust, |name| std::env::var_os(name));
    mfa_core::settings::load(&locations).map_err(|error| {
        Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            format!("The managed configuration has a problem ({error}); nothing was sent."),
        )
    })
}

/// The managed configuration's tenant and `helpdesk` section.
pub fn managed_helpdesk_settings() -> Result<HelpdeskSettings, Failure> {
    Ok(match managed_settings()? {
        Some(settings) => HelpdeskSettings {
            tenant: Some(settings.domain.clone()),
            client_id: settings.helpdesk.map(|h| h.management_client_id),
        },
        None => HelpdeskSettings::default(),
    })
}

/// The tenant and the native app's client id for the agent's device sign-in: the flags,
/// else the configuration's `domain` and `client_id`.
pub fn sign_in_tenant(cli: &Cli) -> Result<(String, String), Failure> {
    let settings = match (&cli.tenant, &cli.client_id) {
        (Some(_), Some(_)) => None,
        _ => managed_settings()?,
    };
    let missing = |what: &str| {
        Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            format!("No {what}: pass --{what} (or configure the app); nothing was sent."),
        )
    };
    let tenant = cli
        .tenant
        .clone()
        .or_else(|| settings.as_ref().map(|s| s.domain.clone()));
    let client_id = cli
        .client_id
        .clone()
        .or_else(|| settings.as_ref().map(|s| s.client_id.clone()));
    Ok((
        tenant.ok_or_else(|| missing("tenant"))?,
        client_id.ok_or_else(|| missing("client-id"))?,
    ))
}

/// The tenant and client id, from the flags (or their environment variables), else the
/// managed configuration. Checked before anything is sent.
pub fn tenant_config(cli: &Cli) -> Result<TenantConfig, Failure> {
    // Read even when the flags name everything: the break-glass path acts only on the
    // tenant the configuration names, when there is one.
    let managed = managed_helpdesk_settings()?;
    let tenant = cli
        .tenant
        .clone()
        .or(managed.tenant.clone())
        .ok_or_else(|| {
            Failure::new(
                Exit::Usage,
                ErrorCode::HelpdeskNotConfigured,
                "No tenant: pass --tenant URL (or set MFA_DESK_ADMIN_TENANT); nothing was sent.",
            )
        })?;
    let client_id = cli.client_id.clone().or(managed.client_id).ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            "No helpdesk application: pass --client-id ID (or set MFA_DESK_ADMIN_CLIENT_ID); nothing was sent.",
        )
    })?;
    let config = TenantConfig::new(&tenant, client_id)?;
    if let Some(configured) = managed.tenant {
        let configured_domain = TenantConfig::new(&configured, "-").map(|c| c.domain());
        if configured_domain.as_deref() != Ok(config.domain().as_str()) {
            return Err(Failure::new(
                Exit::Usage,
                ErrorCode::HelpdeskNotConfigured,
                format!("--direct acts only on the tenant the configuration names ({configured}); nothing was sent."),
            ));
        }
    }
    Ok(config)
}

/// A Management client with the secret from `MFA_DESK_ADMIN_SECRET` or the keyring.
pub async fn management_client(
    tenant: &TenantConfig,
    timeout_secs: u64,
) -> Result<ManagementClient, Failure> {
    let domain = tenant.domain();
    // MFA_DESK_ADMIN_SECRET is the secret of IT's tenant: sent to no other (a mistyped or
    // planted --tenant would otherwise receive it). Elsewhere only the keyring's entry for
    // that very domain counts.
    let its_tenant = managed_helpdesk_settings()?
        .tenant
        .and_then(|configured| TenantConfig::new(&configured, "-").ok())
        .is_some_and(|configured| configured.domain() == domain);
    let from_env = its_tenant
        .then(|| std::env::var(credentials::SECRET_ENV).ok())
        .flatten();
    // The keyring blocks (D-Bus on Linux); keep it off the async thread.
    let (secret, _source) = tokio::task::spawn_blocking(move || {
        credentials::client_secret(&domain, from_env, &KeyringStore::default())
    })
    .await
    .map_err(|e| {
        Failure::new(
            Exit::Other,
            ErrorCode::Unknown,
            format!("Internal error: {e}."),
        )
    })??;
    let timeouts = Timeouts {
        connect: Timeouts::default()
            .connect
            .min(std::time::Duration::from_secs(timeout_secs)),
        request: std::time::Duration::from_secs(timeout_secs),
    };
    Ok(ManagementClient::new(tenant, secret, timeouts)?)
}
