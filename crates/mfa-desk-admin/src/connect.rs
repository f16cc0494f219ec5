//! Which tenant, which helpdesk application, and its secret.

use mfa_core::client::Timeouts;
use mfa_core::management::credentials;
use mfa_core::management::ManagementClient;
use mfa_core::secret_store::KeyringStore;
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

/// TODO(settings integration): read the managed configuration once the settings module's
/// rewrite (branch `settings`) has landed on main. With it this becomes:
/// `mfa_core::settings::load()` → `Ok(Some(settings))` → `tenant: Some(settings.domain)`,
/// `client_id: settings.helpdesk.map(|h| h.management_client_id)`; a configuration error
/// should exit 2 naming the file and key. The secret needs nothing more: it is already read
/// from the keyring entry `<domain>/helpdesk-client-secret` (or `MFA_DESK_ADMIN_SECRET`).
/// Until then the tool needs `--tenant` and `--client-id` (or `MFA_DESK_ADMIN_TENANT` and
/// `MFA_DESK_ADMIN_CLIENT_ID`).
pub fn managed_helpdesk_settings() -> HelpdeskSettings {
    HelpdeskSettings::default()
}

/// The tenant and client id, from the flags (or their environment variables), else the
/// managed configuration. Checked before anything is sent.
pub fn tenant_config(cli: &Cli) -> Result<TenantConfig, Failure> {
    let managed = managed_helpdesk_settings();
    let tenant = cli.tenant.clone().or(managed.tenant).ok_or_else(|| {
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
    Ok(TenantConfig::new(&tenant, client_id)?)
}

/// A Management client with the secret from `MFA_DESK_ADMIN_SECRET` or the keyring.
pub async fn management_client(
    tenant: &TenantConfig,
    timeout_secs: u64,
) -> Result<ManagementClient, Failure> {
    let domain = tenant.domain();
    // The keyring blocks (D-Bus on Linux); keep it off the async thread.
    let (secret, _source) = tokio::task::spawn_blocking(move || {
        credentials::client_secret_from_env_or(&domain, &KeyringStore::default())
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
