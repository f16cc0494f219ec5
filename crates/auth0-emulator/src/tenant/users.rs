//! Users as configured in a tenant file.

use serde::{Deserialize, Serialize};

use super::apis::Permission;

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
    /// Role names (`Tenant::roles`) assigned to the user (§S1.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Permissions assigned to the user directly, beside their roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<Permission>,
    /// Blocked by an admin (`PATCH /api/v2/users/{id} {"blocked":true}`, §S4.3).
    #[serde(default)]
    pub blocked: bool,
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
