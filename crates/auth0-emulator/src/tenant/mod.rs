//! Tenant configuration: clients, connections, users and the knobs for every
//! behaviour the spec marks UNCONFIRMED.
//!
//! A tenant file is JSON mirroring [`Tenant`] (custom APIs, roles and the
//! Action rule: `SERVER_SIDE.md`). Every field has a default, so a
//! file only needs what it changes; see `tenant.example.json` next to
//! `Cargo.toml`:
//!
//! ```json
//! {
//!   "friendly_name": "Acme",
//!   "settings": { "mfa_policy": "if_enrolled", "push_min_poll_interval_secs": 0 },
//!   "clients": [
//!     { "client_id": "app", "token_endpoint_auth_method": "none",
//!       "grant_types": ["password", "http://auth0.com/oauth/grant-type/mfa-otp"] },
//!     { "client_id": "helpdesk", "client_secret": "s3cret",
//!       "token_endpoint_auth_method": "client_secret_post",
//!       "grant_types": ["client_credentials"],
//!       "client_grants": [ { "audience": "/api/v2/", "scope": ["read:users"] } ] }
//!   ],
//!   "users": [
//!     { "email": "a@example.com", "password": "pw",
//!       "authenticators": [ { "type": "totp", "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" },
//!                           { "type": "phone", "phone_number": "+15555550100" } ],
//!       "recovery_code": "7KQ9XW2MFDEMQ4RECV8YCDEZ" }
//!   ]
//! }
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

mod action_rules;
mod apis;
mod clients;
mod settings;
mod users;
mod validate;

pub use action_rules::{ActionFactorRules, FactorRuleType};
pub use apis::{MfaClaimAction, Permission, ResourceServer, Role, TokenDialect, RESTRICTED_CLAIMS};
pub use clients::{AuthMethod, ClientConfig, ClientGrant, SubjectType, MANAGEMENT_API};
pub use settings::{BucketSpec, MfaPolicy, Settings};
pub use users::{AuthenticatorSeed, UserSeed};

pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
pub const GRANT_REFRESH: &str = "refresh_token";
pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";
pub const GRANT_CLIENT_CREDENTIALS: &str = "client_credentials";
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const GRANT_CIBA: &str = "urn:openid:params:grant-type:ciba";

/// The connection plain `password` grants log in against ("Default Directory").
pub const DEFAULT_CONNECTION: &str = "Username-Password-Authentication";

#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    #[error("cannot read tenant file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid tenant file {path}: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("invalid tenant: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tenant {
    /// Tenant friendly name: TOTP issuer and the name in SMS/email texts.
    pub friendly_name: String,
    /// Database connections that exist (valid `realm` values).
    pub connections: Vec<String>,
    /// The connection plain `password` grants use.
    pub default_directory: String,
    pub factors: Factors,
    pub settings: Settings,
    pub clients: Vec<ClientConfig>,
    pub users: Vec<UserSeed>,
    /// Custom APIs whose access tokens are RS256 JWTs (§S1).
    pub apis: Vec<ResourceServer>,
    /// Roles users are assigned by name in `users[].roles`.
    pub roles: Vec<Role>,
    /// The post-login Action's MFA claim, mirrored (§S1.6).
    pub mfa_claim_action: Option<MfaClaimAction>,
}

/// Which MFA factors are enabled on the tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Factors {
    pub otp: bool,
    pub sms: bool,
    /// With voice on, a phone enrollment creates both `sms|X` and `voice|X`.
    pub voice: bool,
    pub email: bool,
    pub push: bool,
    pub recovery_codes: bool,
}

impl Default for Factors {
    fn default() -> Self {
        Factors {
            otp: true,
            sms: true,
            voice: true,
            email: true,
            push: true,
            recovery_codes: true,
        }
    }
}

impl Default for Tenant {
    /// An empty tenant (no clients, no users) with default factors and settings.
    fn default() -> Self {
        Tenant {
            friendly_name: "Emulated Tenant".into(),
            connections: vec![DEFAULT_CONNECTION.into()],
            default_directory: DEFAULT_CONNECTION.into(),
            factors: Factors::default(),
            settings: Settings::default(),
            clients: Vec::new(),
            users: Vec::new(),
            apis: Vec::new(),
            roles: Vec::new(),
            mfa_claim_action: None,
        }
    }
}

impl Tenant {
    /// Loads a tenant from a JSON file (see the module docs for the format).
    pub fn from_file(path: &Path) -> Result<Tenant, TenantError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TenantError::Io {
            path: shown.clone(),
            source,
        })?;
        let tenant: Tenant = serde_json::from_str(&text).map_err(|source| TenantError::Parse {
            path: shown,
            source,
        })?;
        tenant.validate()?;
        Ok(tenant)
    }

    pub fn client(&self, client_id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// The custom API `identifier` names.
    pub fn api(&self, identifier: &str) -> Option<&ResourceServer> {
        self.apis.iter().find(|a| a.identifier == identifier)
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tenant.example.json");
        let t = Tenant::from_file(&path).unwrap();
        assert_eq!(t.users.len(), 2);
        assert_eq!(t.users[0].roles, ["Support agent"]);
        assert_eq!(t.apis[0].token_lifetime, 86_400);
        assert!(t.apis[0].token_dialect.adds_permissions());
        assert_eq!(t.settings.mfa_policy, MfaPolicy::IfEnrolled);
        // Unlisted settings keep their defaults.
        assert_eq!(t.settings.failed_code_bucket.capacity, 10);
    }
}
