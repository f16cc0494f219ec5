//! The local Auth0 for mfa-core's integration tests: the demo tenant on a loopback port, its
//! control client, and Management API clients for the demo applications. Each test binary
//! adds the helpers only it needs in its own `impl Auth0` block.
#![allow(dead_code)] // each test binary uses part of it

use auth0_emulator::client::ControlClient;
use auth0_emulator::demo::{HELPDESK_CLIENT_ID, HELPDESK_CLIENT_SECRET};
use auth0_emulator::{RunningEmulator, Tenant};
use mfa_core::client::Timeouts;
use mfa_core::management::ManagementClient;
use mfa_core::secret::ClientSecret;
use mfa_core::TenantConfig;

pub struct Auth0 {
    pub emulator: RunningEmulator,
    pub control: ControlClient,
}

impl Auth0 {
    pub async fn start() -> Self {
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), Tenant::demo())
            .await
            .expect("emulator starts");
        let control = ControlClient::new(&emulator.base_url());
        Self { emulator, control }
    }

    pub fn tenant(&self, client_id: &str) -> TenantConfig {
        TenantConfig::new(&self.emulator.base_url(), client_id).unwrap()
    }

    pub fn management(&self, client_id: &str, client_secret: &str) -> ManagementClient {
        self.management_with(client_id, client_secret, Timeouts::default())
    }

    pub fn management_with(
        &self,
        client_id: &str,
        client_secret: &str,
        timeouts: Timeouts,
    ) -> ManagementClient {
        let secret = ClientSecret::from(client_secret.to_owned());
        ManagementClient::new(&self.tenant(client_id), secret, timeouts).unwrap()
    }

    /// The demo helpdesk application, with every scope the helpdesk uses.
    pub fn helpdesk(&self) -> ManagementClient {
        self.management(HELPDESK_CLIENT_ID, HELPDESK_CLIENT_SECRET)
    }
}
