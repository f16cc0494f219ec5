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

/// The managed configuration's tenant and `helpdesk` section. Absent configuration is not an
/// error here (the flags may supply everything); a broken one is, naming where and what.
pub fn managed_helpdesk_settings() -> Result<HelpdeskSettings, Failure> {
    match mfa_core::settings::load() {
        Ok(Some(settings)) => Ok(HelpdeskSettings {
            tenant: Some(settings.domain.clone()),
            client_id: settings.helpdesk.map(|h| h.management_client_id),
        }),
        Ok(None) => Ok(HelpdeskSettings::default()),
        Err(error) => Err(Failure::new(
            Exit::Usage,
            ErrorCode::HelpdeskNotConfigured,
            format!("The managed configuration has a problem ({error}); nothing was sent."),
        )),
    }
}

/// The tenant and client id, from the flags (or their environment variables), else the
/// managed configuration. Checked before anything is sent.
pub fn tenant_config(cli: &Cli) -> Result<TenantConfig, Failure> {
    // The managed configuration is read only when a flag leaves something out.
    let managed = match (&cli.tenant, &cli.client_id) {
        (Some(_), Some(_)) => HelpdeskSettings::default(),
        _ => managed_helpdesk_settings()?,
    };
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
