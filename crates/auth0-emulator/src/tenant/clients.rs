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
}
