//! Tenant configuration: clients, connections, users and the knobs for every
//! behaviour the spec marks UNCONFIRMED.
//!
//! A tenant file is JSON mirroring [`Tenant`]. Every field has a default, so a
//! file only needs what it changes; see `tenant.example.json` next to
//! `Cargo.toml`:
//!
//! ```json
//! {
//!   "friendly_name": "Acme",
//!   "settings": { "mfa_policy": "if_enrolled", "push_min_poll_interval_secs": 0 },
//!   "clients": [
//!     { "client_id": "app", "token_endpoint_auth_method": "none",
//!       "grant_types": ["password", "http://auth0.com/oauth/grant-type/mfa-otp"] }
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

pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
pub const GRANT_REFRESH: &str = "refresh_token";
pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// The connection plain `password` grants log in against ("Default Directory").
pub const DEFAULT_CONNECTION: &str = "Username-Password-Authentication";

/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "correct horse battery staple";
/// Fixed TOTP secret of `enrolled@example.com`, so the demo is reproducible.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// Fixed recovery code of `enrolled@example.com` (alphabet of spec §10).
pub const DEMO_RECOVERY_CODE: &str = "7KQ9XW2MFDEMQ4RECV8YCDEZ";
/// Phone of `enrolled@example.com`.
pub const DEMO_PHONE: &str = "+15555550123";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaPolicy {
    /// Every password login answers `mfa_required`, even for users with no
    /// factor (they must enroll first).
    Always,
    /// Only users with an active factor get `mfa_required`.
    IfEnrolled,
}

/// A token bucket: `capacity` tokens, one token back every `refill_every_secs`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    pub capacity: u32,
    pub refill_every_secs: u64,
}

/// Behaviour knobs. Defaults are the spec's "most likely" values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub mfa_policy: MfaPolicy,
    /// mfa_token lifetime (spec §9: 5 vs 10 minutes is UNCONFIRMED).
    pub mfa_token_ttl_secs: u64,
    /// oob_code lifetime (spec §9: 5 minutes).
    pub oob_code_ttl_secs: u64,
    /// Lifetime of access tokens for the MFA audience (fixed at 600 by Auth0).
    pub mfa_access_token_ttl_secs: u64,
    /// Lifetime of access tokens for any other audience.
    pub access_token_ttl_secs: u64,
    /// Polling one push oob_code faster than this answers `slow_down`; 0 disables.
    pub push_min_poll_interval_secs: u64,
    /// Error code for a rejected push: "access_denied" (recorded) or "invalid_grant" (docs).
    pub push_rejection_error: String,
    /// Add `mfa_requirements` to `mfa_required` bodies (Actions-customised tenants).
    pub include_mfa_requirements: bool,
    /// Add the feature-flagged `type` field to listed authenticators.
    pub include_type_field: bool,
    /// Uppercase and strip spaces/dashes from recovery codes before comparing.
    pub lenient_recovery_codes: bool,
    /// /mfa/challenge error for a user with no active factor:
    /// "association_required" or "unsupported_challenge_type".
    pub not_enrolled_error: String,
    /// Send `Retry-After` on 429s (UNCONFIRMED on Auth0).
    pub send_retry_after: bool,
    /// Status of "User is already enrolled." on /mfa/associate.
    pub already_enrolled_status: u16,
    /// Status of wrong otp / binding / recovery codes on /oauth/token.
    pub wrong_code_status: u16,
    /// Status of `expired_token` on /oauth/token and /mfa/challenge
    /// (/mfa/authenticators and /mfa/associate always use 401).
    pub expired_token_status: u16,
    /// Status of "Malformed mfa_token" / "The mfa_token provided is invalid."
    /// on /oauth/token and /mfa/challenge.
    pub invalid_mfa_token_status: u16,
    /// Consecutive password failures that block a user.
    pub brute_force_threshold: u32,
    /// How long a brute-force block lasts (virtual clock).
    pub brute_force_block_secs: u64,
    /// Wrong OTP / binding / recovery codes per user.
    pub failed_code_bucket: BucketSpec,
    /// SMS and voice sends per user.
    pub sms_bucket: BucketSpec,
    /// Email code sends per user.
    pub email_bucket: BucketSpec,
    /// Push notifications per user.
    pub push_bucket: BucketSpec,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mfa_policy: MfaPolicy::Always,
            mfa_token_ttl_secs: 600,
            oob_code_ttl_secs: 300,
            mfa_access_token_ttl_secs: 600,
            access_token_ttl_secs: 86_400,
            push_min_poll_interval_secs: 5,
            push_rejection_error: "access_denied".into(),
            include_mfa_requirements: false,
            include_type_field: false,
            lenient_recovery_codes: false,
            not_enrolled_error: "association_required".into(),
            send_retry_after: true,
            already_enrolled_status: 403,
            wrong_code_status: 403,
            expired_token_status: 403,
            invalid_mfa_token_status: 403,
            brute_force_threshold: 10,
            brute_force_block_secs: 15 * 60,
            failed_code_bucket: BucketSpec {
                capacity: 10,
                refill_every_secs: 360,
            },
            sms_bucket: BucketSpec {
                capacity: 10,
                refill_every_secs: 3600,
            },
            email_bucket: BucketSpec {
                capacity: 20,
                refill_every_secs: 60,
            },
            push_bucket: BucketSpec {
                capacity: 5,
                refill_every_secs: 12,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// Public client: `client_id` only.
    None,
    /// Secret in the body; HTTP Basic is accepted too.
    ClientSecretPost,
    /// Secret in HTTP Basic; the body is accepted too.
    ClientSecretBasic,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    pub token_endpoint_auth_method: AuthMethod,
    pub grant_types: Vec<String>,
}

/// A user as configured; turned into live state when the emulator starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub email: String,
    pub password: String,
    /// `auth0|<24 hex>`; generated when absent.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Defaults to the tenant's default directory.
    #[serde(default)]
    pub connection: Option<String>,
    /// Profile `name`; defaults to the email.
    #[serde(default)]
    pub name: Option<String>,
    /// Profile `nickname`; defaults to the email's local part.
    #[serde(default)]
    pub nickname: Option<String>,
    /// Defaults to true.
    #[serde(default = "yes")]
    pub email_verified: bool,
    #[serde(default)]
    pub authenticators: Vec<AuthenticatorSeed>,
    /// An active recovery code (24 chars). Ignored when recovery codes are off.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

/// A pre-enrolled factor. `id` is the `dev_<16 alnum>` suffix or a full id
/// (`totp|dev_…`); generated when absent. `active` defaults to true.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthenticatorSeed {
    Totp {
        secret: String,
        #[serde(default)]
        id: Option<String>,
        #[serde(default = "yes")]
        active: bool,
    },
    /// Creates `sms|X`, plus `voice|X` when voice is enabled.
    Phone {
        phone_number: String,
        #[serde(default)]
        id: Option<String>,
        #[serde(default = "yes")]
        active: bool,
    },
    Email {
        email: String,
        #[serde(default)]
        id: Option<String>,
        #[serde(default = "yes")]
        active: bool,
    },
    /// Creates `push|X` plus its `totp|Y` sibling.
    Push {
        #[serde(default)]
        id: Option<String>,
        #[serde(default = "yes")]
        active: bool,
    },
}

fn yes() -> bool {
    true
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
        }
    }
}

impl Tenant {
    /// The built-in demo tenant used when no `--tenant` file is given.
    pub fn demo() -> Tenant {
        let all_grants: Vec<String> = [
            GRANT_PASSWORD,
            GRANT_PASSWORD_REALM,
            GRANT_REFRESH,
            GRANT_MFA_OTP,
            GRANT_MFA_OOB,
            GRANT_MFA_RECOVERY,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        Tenant {
            friendly_name: "MFA Desk Demo".into(),
            connections: vec![DEFAULT_CONNECTION.into()],
            default_directory: DEFAULT_CONNECTION.into(),
            factors: Factors::default(),
            settings: Settings::default(),
            clients: vec![
                ClientConfig {
                    client_id: "mfa-desk-demo".into(),
                    client_secret: None,
                    token_endpoint_auth_method: AuthMethod::None,
                    grant_types: all_grants.clone(),
                },
                ClientConfig {
                    client_id: "mfa-desk-confidential".into(),
                    client_secret: Some("demo-client-secret".into()),
                    token_endpoint_auth_method: AuthMethod::ClientSecretPost,
                    grant_types: all_grants,
                },
                ClientConfig {
                    client_id: "limited-client".into(),
                    client_secret: None,
                    token_endpoint_auth_method: AuthMethod::None,
                    grant_types: vec![GRANT_PASSWORD.into()],
                },
            ],
            users: vec![
                UserSeed {
                    email: "new.hire@example.com".into(),
                    password: DEMO_PASSWORD.into(),
                    user_id: Some("auth0|64d0c0ffee0000000000a001".into()),
                    connection: None,
                    name: None,
                    nickname: None,
                    email_verified: true,
                    authenticators: Vec::new(),
                    recovery_code: None,
                },
                UserSeed {
                    email: "enrolled@example.com".into(),
                    password: DEMO_PASSWORD.into(),
                    user_id: Some("auth0|64d0c0ffee0000000000a002".into()),
                    connection: None,
                    name: None,
                    nickname: None,
                    email_verified: true,
                    authenticators: vec![
                        AuthenticatorSeed::Totp {
                            secret: DEMO_TOTP_SECRET.into(),
                            id: Some("dev_DemoTotpEnrolled".into()),
                            active: true,
                        },
                        AuthenticatorSeed::Phone {
                            phone_number: DEMO_PHONE.into(),
                            id: Some("dev_DemoPhoneEnrolld".into()),
                            active: true,
                        },
                    ],
                    recovery_code: Some(DEMO_RECOVERY_CODE.into()),
                },
            ],
        }
    }

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

    /// Catches configuration mistakes that serde cannot.
    pub fn validate(&self) -> Result<(), TenantError> {
        if !self.connections.contains(&self.default_directory) {
            return Err(TenantError::Invalid(format!(
                "default_directory {:?} is not in connections",
                self.default_directory
            )));
        }
        for c in &self.clients {
            if c.token_endpoint_auth_method != AuthMethod::None && c.client_secret.is_none() {
                return Err(TenantError::Invalid(format!(
                    "client {:?} is confidential but has no client_secret",
                    c.client_id
                )));
            }
        }
        for u in &self.users {
            if let Some(conn) = &u.connection {
                if !self.connections.contains(conn) {
                    return Err(TenantError::Invalid(format!(
                        "user {:?} uses unknown connection {conn:?}",
                        u.email
                    )));
                }
            }
            for a in &u.authenticators {
                if let AuthenticatorSeed::Totp { secret, .. } = a {
                    if data_encoding::BASE32_NOPAD
                        .decode(secret.trim_end_matches('=').as_bytes())
                        .is_err()
                    {
                        return Err(TenantError::Invalid(format!(
                            "user {:?} has a TOTP secret that is not base32",
                            u.email
                        )));
                    }
                }
            }
        }
        for (name, v) in [
            ("push_rejection_error", &self.settings.push_rejection_error),
            ("not_enrolled_error", &self.settings.not_enrolled_error),
        ] {
            let ok = match name {
                "push_rejection_error" => ["access_denied", "invalid_grant"].contains(&v.as_str()),
                _ => ["association_required", "unsupported_challenge_type"].contains(&v.as_str()),
            };
            if !ok {
                return Err(TenantError::Invalid(format!("settings.{name} = {v:?}")));
            }
        }
        Ok(())
    }

    pub fn client(&self, client_id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.client_id == client_id)
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
        assert_eq!(t.settings.mfa_policy, MfaPolicy::IfEnrolled);
        // Unlisted settings keep their defaults.
        assert_eq!(t.settings.failed_code_bucket.capacity, 10);
    }

    #[test]
    fn demo_is_valid() {
        Tenant::demo().validate().unwrap();
    }
}
