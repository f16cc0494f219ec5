//! Custom APIs (resource servers), roles and the post-login Action rule of a
//! tenant (§S1.3, §S1.6, §S7.1).

use serde::{Deserialize, Serialize};

/// `token_dialect` of an API (§S1.3): whether access tokens carry
/// `permissions`, and which profile they follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenDialect {
    /// Auth0 profile, no `permissions`.
    #[default]
    AccessToken,
    /// Auth0 profile with `permissions` ("Add Permissions in the Access Token").
    AccessTokenAuthz,
    /// RFC 9068: `typ: at+jwt`, `client_id` instead of `azp`, a `jti`.
    Rfc9068Profile,
    Rfc9068ProfileAuthz,
}

impl TokenDialect {
    pub fn adds_permissions(self) -> bool {
        matches!(
            self,
            TokenDialect::AccessTokenAuthz | TokenDialect::Rfc9068ProfileAuthz
        )
    }

    pub fn is_rfc9068(self) -> bool {
        matches!(
            self,
            TokenDialect::Rfc9068Profile | TokenDialect::Rfc9068ProfileAuthz
        )
    }
}

/// A custom API. Tokens for it are RS256 JWTs (the only algorithm the
/// emulator signs with).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceServer {
    /// The `audience` clients ask for, e.g. `https://helpdesk.example.com/`.
    pub identifier: String,
    #[serde(default)]
    pub name: String,
    /// Access-token lifetime, seconds (Auth0's default 86400, §S1.1).
    #[serde(default = "default_lifetime")]
    pub token_lifetime: u64,
    /// "Enable RBAC": the scope is cut to what the user's roles allow.
    #[serde(default)]
    pub enforce_policies: bool,
    #[serde(default)]
    pub token_dialect: TokenDialect,
    /// Refresh tokens for this API ("Allow Offline Access").
    #[serde(default)]
    pub allow_offline_access: bool,
    /// The permissions (scopes) the API defines.
    #[serde(default)]
    pub scopes: Vec<String>,
}

fn default_lifetime() -> u64 {
    86_400
}

/// One permission: a scope of one API (§S1.3 pair shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub resource_server_identifier: String,
    pub permission_name: String,
}

impl Permission {
    pub fn new(api: &str, name: &str) -> Self {
        Permission {
            resource_server_identifier: api.into(),
            permission_name: name.into(),
        }
    }
}

/// A role: a name and permissions, possibly over several APIs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

/// What the post-login Action in `packaging/auth0/` does on the real
/// tenant, mirrored (§S1.6): access tokens for `audience` from a sign-in
/// that passed MFA in that very transaction carry `claim: ["mfa"]`. Auth0
/// has no native `amr` in access tokens, and Actions cannot set restricted
/// claims, hence a namespaced one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaClaimAction {
    pub audience: String,
    pub claim: String,
}

/// Claims no Action may set (§S1.6, DOCS create-custom-claims "General restrictions").
pub const RESTRICTED_CLAIMS: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "auth_time",
    "azp",
    "cnf",
    "exp",
    "gty",
    "iat",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "permissions",
    "scope",
    "sid",
    "sub",
];
