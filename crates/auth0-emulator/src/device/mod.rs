//! Device sign-in for a command line (§S2): `POST /oauth/device/code`
//! issues a device code and a user code; the user enters the code on the
//! hosted `/activate` page (`activate`), signs in there with the same pages
//! as `/authorize`, confirms the device; the device polls `/oauth/token`
//! (`token::device_code`).

pub mod activate;

use rand::Rng;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::{AuthMethod, GRANT_DEVICE_CODE};
use crate::tenant_log::Entry;
use crate::token::TokenRequest;
use crate::tokens::{DeviceCode, DeviceState};

/// §S2.2: both codes live 900 s; poll every 5 s.
pub const DEVICE_CODE_TTL_SECS: u64 = 900;
pub const POLL_INTERVAL_SECS: u64 = 5;

/// RFC 8628's base20 alphabet (§S2.2 UNCONFIRMED for Auth0, which shows
/// only consonants in real codes).
const BASE20: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// `POST /oauth/device/code` 200 (§S2.2).
#[derive(Debug, Serialize)]
pub struct DeviceAuthorization {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// `XXXX-XXXX` in base20 (the default `device_flow` mask and charset).
fn user_code() -> String {
    let mut rng = rand::rng();
    let mut pick = || BASE20[rng.random_range(0..BASE20.len())] as char;
    let half = |pick: &mut dyn FnMut() -> char| (0..4).map(|_| pick()).collect::<String>();
    format!("{}-{}", half(&mut pick), half(&mut pick))
}

/// A user code as typed: upper case, without separators or spaces.
pub fn normalize_user_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl State {
    /// `POST /oauth/device/code`, logging `fdeaz` when refused (§S2.4).
    pub fn device_authorization(&mut self, req: &TokenRequest) -> ApiResult<DeviceAuthorization> {
        let result = self.start_device_authorization(req);
        if let Err(e) = &result {
            let entry = Entry {
                client_id: req.get("client_id").map(str::to_owned),
                description: Some(e.body.error_description.clone()),
                ..Entry::default()
            };
            self.log("fdeaz", entry);
        }
        result
    }

    fn start_device_authorization(&mut self, req: &TokenRequest) -> ApiResult<DeviceAuthorization> {
        let client_id = req.require("client_id")?;
        let client = self
            .tenant
            .client(client_id)
            .cloned()
            .ok_or_else(ApiError::invalid_client)?;
        // §S2.1: public (Native) clients with the grant only. The wording is
        // recorded for other grants (MFA §7.2), UNCONFIRMED here.
        let public = client.token_endpoint_auth_method == AuthMethod::None;
        if !public || !client.grant_types.iter().any(|g| g == GRANT_DEVICE_CODE) {
            return Err(ApiError::new(
                403,
                "unauthorized_client",
                format!("Grant type '{GRANT_DEVICE_CODE}' not allowed for the client."),
            )
            .with_error_uri("https://auth0.com/docs/clients/client-grant-types"));
        }
        let audience = req
            .get("audience")
            .or(req.get("resource"))
            .map(str::to_string)
            .unwrap_or_else(|| self.userinfo_audience());
        self.check_audience(&audience)?;
        let user_code = loop {
            let code = user_code();
            let taken = self
                .tokens
                .device_codes
                .values()
                .any(|d| d.user_code == code);
            if !taken {
                break code;
            }
        };
        let device_code = crate::ids::alnum(40);
        self.tokens.device_codes.insert(
            device_code.clone(),
            DeviceCode {
                client_id: client.client_id.clone(),
                user_code: user_code.clone(),
                audience,
                scope: req.get("scope").unwrap_or_default().to_owned(),
                expires_ms: self.clock.now_ms() + DEVICE_CODE_TTL_SECS * 1000,
                last_poll_ms: None,
                state: DeviceState::Pending,
                expiry_reported: false,
            },
        );
        let verification_uri = format!("{}/activate", self.base_url);
        Ok(DeviceAuthorization {
            device_code,
            verification_uri_complete: format!("{verification_uri}?user_code={user_code}"),
            user_code,
            verification_uri,
            expires_in: DEVICE_CODE_TTL_SECS,
            interval: POLL_INTERVAL_SECS,
        })
    }

    /// The pending, unexpired device code a user code names.
    pub fn pending_device_code(&self, typed: &str) -> Option<String> {
        let wanted = normalize_user_code(typed);
        let now = self.clock.now_ms();
        self.tokens
            .device_codes
            .iter()
            .find(|(_, d)| {
                normalize_user_code(&d.user_code) == wanted
                    && d.expires_ms > now
                    && matches!(d.state, DeviceState::Pending)
            })
            .map(|(code, _)| code.clone())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_codes_are_two_groups_of_four_consonants() {
        let code = super::user_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(code
            .replace('-', "")
            .bytes()
            .all(|b| super::BASE20.contains(&b)));
    }
}
