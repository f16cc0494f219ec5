//! `POST /oauth/token`: password, password-realm, refresh_token and the three
//! MFA grants (spec §2, §7, §15.1-9).

mod audience;
mod authorization_code;
mod ciba;
mod client_credentials;
mod device_code;
pub mod issue;
mod mfa_grants;
mod password;

use std::collections::HashMap;

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::{
    GRANT_AUTHORIZATION_CODE, GRANT_CIBA, GRANT_CLIENT_CREDENTIALS, GRANT_DEVICE_CODE,
    GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY, GRANT_PASSWORD, GRANT_PASSWORD_REALM,
    GRANT_REFRESH,
};
use crate::tenant_log::Entry;
use crate::wire::TokenResponse;

const KNOWN_GRANTS: [&str; 10] = [
    GRANT_PASSWORD,
    GRANT_PASSWORD_REALM,
    GRANT_REFRESH,
    GRANT_MFA_OTP,
    GRANT_MFA_OOB,
    GRANT_MFA_RECOVERY,
    GRANT_CLIENT_CREDENTIALS,
    GRANT_AUTHORIZATION_CODE,
    GRANT_CIBA,
    GRANT_DEVICE_CODE,
];

/// A parsed token request: form or JSON fields, plus HTTP Basic credentials.
#[derive(Debug, Default, Clone)]
pub struct TokenRequest {
    pub params: HashMap<String, String>,
    pub basic: Option<(String, String)>,
}

impl TokenRequest {
    /// A parameter; empty strings count as absent.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn require(&self, key: &str) -> ApiResult<&str> {
        self.get(key).ok_or_else(|| ApiError::missing(key))
    }
}

impl State {
    pub fn token(&mut self, req: &TokenRequest) -> ApiResult<TokenResponse> {
        let grant = req.require("grant_type")?.to_string();
        let client = self
            .authenticate_client(
                req.get("client_id"),
                req.get("client_secret"),
                req.basic.as_ref(),
            )
            .map_err(|e| {
                // Recorded (spec §12.3): M2M credentials failures are not `invalid_client`.
                if grant == GRANT_CLIENT_CREDENTIALS && e.body.error == "invalid_client" {
                    ApiError::new(401, "access_denied", "Unauthorized")
                } else {
                    e
                }
            })?;
        if !KNOWN_GRANTS.contains(&grant.as_str()) {
            return Err(ApiError::new(
                400,
                "unsupported_grant_type",
                format!("Unsupported grant type: {grant}"),
            ));
        }
        if !client.grant_types.contains(&grant) {
            return Err(ApiError::new(
                403,
                "unauthorized_client",
                format!("Grant type '{grant}' not allowed for the client."),
            )
            .with_error_uri("https://auth0.com/docs/clients/client-grant-types"));
        }
        let result = match grant.as_str() {
            GRANT_PASSWORD => self.password_grant(&client, None, req),
            GRANT_PASSWORD_REALM => {
                let realm = req.require("realm")?.to_string();
                self.password_grant(&client, Some(realm), req)
            }
            GRANT_REFRESH => self.refresh_grant(&client, req),
            GRANT_MFA_OTP => self.mfa_otp_grant(&client, req),
            GRANT_MFA_OOB => self.mfa_oob_grant(&client, req),
            GRANT_CLIENT_CREDENTIALS => self.client_credentials_grant(&client, req),
            GRANT_AUTHORIZATION_CODE => self.authorization_code_grant(&client, req),
            GRANT_CIBA => self.ciba_grant(&client, req),
            GRANT_DEVICE_CODE => self.device_code_grant(&client, req),
            _ => self.mfa_recovery_grant(&client, req),
        };
        self.log_exchange(&grant, &client.client_id, &result);
        result
    }

    /// The exchange events of §S4.1 (`seacft`/`feacft`, `seccft`/`feccft`,
    /// `sertft`/`fertft`, `ciba_exchange_*`); password and MFA grants log
    /// their sign-in events themselves.
    fn log_exchange(&mut self, grant: &str, client_id: &str, result: &ApiResult<TokenResponse>) {
        let (ok, failed) = match grant {
            GRANT_AUTHORIZATION_CODE => ("seacft", "feacft"),
            GRANT_CLIENT_CREDENTIALS => ("seccft", "feccft"),
            GRANT_REFRESH => ("sertft", "fertft"),
            GRANT_CIBA => ("ciba_exchange_succeeded", "ciba_exchange_failed"),
            GRANT_DEVICE_CODE => ("sede", "fede"),
            _ => return,
        };
        let mut entry = Entry {
            client_id: Some(client_id.to_owned()),
            ..Entry::default()
        };
        match result {
            Ok(body) => {
                let rec = self.tokens.access_tokens.get(&body.access_token);
                let audience = rec.map(|r| r.audience.clone()).unwrap_or_default();
                entry.user_id = rec
                    .map(|r| r.user_id.clone())
                    .filter(|sub| !sub.ends_with("@clients"));
                self.log(ok, entry.exchange(&audience, &body.scope));
            }
            // Waiting is no failure.
            Err(e) if ["authorization_pending", "slow_down"].contains(&e.body.error.as_str()) => {}
            Err(e) => self.log(failed, entry.description(e.body.error_description.clone())),
        }
    }
}
