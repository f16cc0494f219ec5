//! Signing in on a device without a browser of its own (the OAuth device authorization flow,
//! spec §S2): the command line asks the tenant for a code, the person opens the link on any
//! browser, signs in there (with MFA) and confirms; meanwhile the command line polls the
//! token endpoint until the tenant answers with tokens, a refusal, or the codes' expiry.
//!
//! - [`DeviceFlowClient::start`]: `POST /oauth/device/code` (§S2.2).
//! - [`DeviceFlowClient::poll`]: one `device_code` grant (§S2.3).
//! - [`DeviceFlowClient::wait`]: polls at the tenant's interval until it ends.

mod error;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;

pub use error::{DeviceCall, DeviceFlowError};

use crate::config::{parse_tenant_url, ConfigError};
use crate::secret::{secret, AccessToken, DeviceCode, ExposeSecret, IdToken};
use crate::transport::{Timeouts, Transport};

/// The device code grant's name (§S2.3).
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// RFC 8628 §3.5: after `slow_down` the interval grows by five seconds. Auth0 only says
/// "slow down" (§S2.3); following the RFC keeps the client inside any interval it meant.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What the person must do, and what the client polls with.
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    /// `QTZL-MCBW`: the person checks it against the page, or types it there.
    pub user_code: String,
    /// `https://TENANT/activate`.
    pub verification_uri: String,
    /// The same page with the code filled in, when the tenant gives it.
    pub verification_uri_complete: Option<String>,
    /// How long between polls; grows after `slow_down`.
    pub interval: Duration,
    /// When the codes stop working (the tenant's `expires_in` from the start).
    pub expires_at: Instant,
    device_code: DeviceCode,
}

/// The tokens of a confirmed device sign-in.
#[derive(Debug, Clone)]
pub struct DeviceTokens {
    pub access_token: AccessToken,
    pub id_token: Option<IdToken>,
    /// Seconds the access token lives (`expires_in`).
    pub expires_in: u64,
    pub scope: Option<String>,
}

/// One poll's answer.
#[derive(Debug)]
pub enum Poll {
    /// The person has not confirmed yet (`authorization_pending`).
    Pending,
    /// Polled too fast (`slow_down`): the interval has grown.
    SlowDown,
    Approved(DeviceTokens),
}

#[derive(Deserialize)]
struct StartAnswer {
    device_code: String,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    expires_in: u64,
    #[serde(default = "default_interval")]
    interval: u64,
}

/// RFC 8628 §3.2: five seconds when the tenant names none.
fn default_interval() -> u64 {
    5
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// A public client's device sign-in on one tenant (§S2.1: no client secret).
#[derive(Clone)]
pub struct DeviceFlowClient {
    transport: Transport,
    client_id: String,
}

impl DeviceFlowClient {
    pub fn new(
        tenant_url: &str,
        client_id: impl Into<String>,
        timeouts: Timeouts,
    ) -> Result<Self, ConfigError> {
        let client_id = client_id.into();
        if client_id.trim().is_empty() {
            return Err(ConfigError::MissingClientId);
        }
        let url = parse_tenant_url(tenant_url)?;
        Ok(Self {
            transport: Transport::new(&url, timeouts)?,
            client_id,
        })
    }

    /// Asks for a device code for `audience` with `scope` (§S2.2).
    pub async fn start(
        &self,
        audience: &str,
        scope: &str,
    ) -> Result<DeviceAuthorization, DeviceFlowError> {
        let started = Instant::now();
        let request = self
            .transport
            .request(Method::POST, "oauth/device/code")
            .form(&[
                ("client_id", self.client_id.as_str()),
                ("scope", scope),
                ("audience", audience),
            ]);
        let answer: StartAnswer = self.transport.send_json(DeviceCall::Start, request).await?;
        Ok(DeviceAuthorization {
            user_code: answer.user_code,
            verification_uri: answer.verification_uri,
            verification_uri_complete: answer.verification_uri_complete,
            interval: Duration::from_secs(answer.interval.max(1)),
            expires_at: started + Duration::from_secs(answer.expires_in),
            device_code: secret(answer.device_code),
        })
    }

    /// Asks once whether the person has confirmed (§S2.3).
    pub async fn poll(&self, device: &mut DeviceAuthorization) -> Result<Poll, DeviceFlowError> {
        let request = self.transport.request(Method::POST, "oauth/token").form(&[
            ("grant_type", GRANT_TYPE),
            ("device_code", device.device_code.expose_secret()),
            ("client_id", self.client_id.as_str()),
        ]);
        match self
            .transport
            .send_json::<TokenAnswer, DeviceFlowError>(DeviceCall::Poll, request)
            .await
        {
            Ok(tokens) => Ok(Poll::Approved(DeviceTokens {
                access_token: secret(tokens.access_token),
                id_token: tokens.id_token.map(secret),
                // §S1.1: 86400 s is the API's default lifetime.
                expires_in: tokens.expires_in.unwrap_or(86_400),
                scope: tokens.scope,
            })),
            Err(DeviceFlowError::AuthorizationPending) => Ok(Poll::Pending),
            Err(DeviceFlowError::SlowDown) => {
                device.interval += SLOW_DOWN_STEP;
                Ok(Poll::SlowDown)
            }
            Err(other) => Err(other),
        }
    }

    /// Polls every `interval` (counted from the previous answer, §S2.3) until the person
    /// confirms, refuses, or the codes expire. A lost answer or a timeout is polled again:
    /// polling changes nothing on the tenant.
    pub async fn wait(
        &self,
        device: &mut DeviceAuthorization,
    ) -> Result<DeviceTokens, DeviceFlowError> {
        loop {
            if Instant::now() + device.interval >= device.expires_at {
                return Err(DeviceFlowError::Expired);
            }
            tokio::time::sleep(device.interval).await;
            match self.poll(device).await {
                Ok(Poll::Approved(tokens)) => return Ok(tokens),
                Ok(Poll::Pending | Poll::SlowDown) => {}
                Err(DeviceFlowError::Lost(_) | DeviceFlowError::Timeout) => {}
                Err(error) => return Err(error),
            }
        }
    }
}
