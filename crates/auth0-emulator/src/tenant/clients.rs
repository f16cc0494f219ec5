//! Applications (OAuth clients) of a tenant.

use serde::{Deserialize, Serialize};

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
    /// APIs this client may get `client_credentials` tokens for, and with
    /// which scopes (Auth0's "client grants").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_grants: Vec<ClientGrant>,
}

/// A client grant: `client_credentials` tokens for `audience` may carry `scope`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientGrant {
    /// The API identifier. A path (`/api/v2/` for the Management API) is
    /// taken relative to the emulator's base URL, whose port is often only
    /// known at start; a full URL is used as written.
    pub audience: String,
    pub scope: Vec<String>,
}

/// The Management API's identifier, relative to the base URL.
pub const MANAGEMENT_API: &str = "/api/v2/";

impl ClientGrant {
    /// The audience as tokens carry it.
    pub fn resolved_audience(&self, base_url: &str) -> String {
        if self.audience.starts_with('/') {
            format!("{base_url}{}", self.audience)
        } else {
            self.audience.clone()
        }
    }
}

impl ClientConfig {
    /// The grant for `audience` (as tokens carry it), if any.
    pub fn grant_for(&self, audience: &str, base_url: &str) -> Option<&ClientGrant> {
        self.client_grants
            .iter()
            .find(|g| g.resolved_audience(base_url) == audience)
    }
}
