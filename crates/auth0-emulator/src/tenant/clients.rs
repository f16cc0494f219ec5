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
    /// Allowed `/authorize` redirect URIs. A loopback one
    /// (`http://127.0.0.1/…`, `http://localhost/…`, `http://[::1]/…`) matches
    /// any port, as RFC 8252 §7.3 asks for native apps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_callbacks_match_any_port() {
        let c = ClientConfig {
            client_id: "app".into(),
            client_secret: None,
            token_endpoint_auth_method: AuthMethod::None,
            grant_types: vec![],
            client_grants: vec![],
            callbacks: vec![
                "http://127.0.0.1/callback".into(),
                "https://app.example/cb".into(),
            ],
        };
        assert!(c.allows_callback("http://127.0.0.1:49152/callback"));
        assert!(c.allows_callback("http://127.0.0.1/callback"));
        assert!(!c.allows_callback("http://127.0.0.1:49152/other"));
        assert!(!c.allows_callback("http://127.0.0.2:49152/callback"));
        assert!(c.allows_callback("https://app.example/cb"));
        assert!(!c.allows_callback("https://app.example:8443/cb"));
        assert!(!c.allows_callback("not a url"));
    }
}

/// Whom a client grant is for: the client itself (`client_credentials`) or the users who
/// sign in to it (an API whose user access policy is `require_client_grant`, §S5.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    #[default]
    Client,
    User,
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
    #[serde(default)]
    pub subject_type: SubjectType,
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

/// The URL without its port when its host is a loopback address.
fn without_loopback_port(uri: &str) -> Option<String> {
    let mut url = url::Url::parse(uri).ok()?;
    let loopback = matches!(
        url.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    if loopback {
        url.set_port(None).ok()?;
    }
    Some(url.to_string())
}

impl ClientConfig {
    /// True when `/authorize` may redirect to `uri`.
    pub fn allows_callback(&self, uri: &str) -> bool {
        let Some(wanted) = without_loopback_port(uri) else {
            return false;
        };
        self.callbacks
            .iter()
            .any(|c| without_loopback_port(c).as_deref() == Some(wanted.as_str()))
    }

    /// The `client_credentials` grant for `audience` (as tokens carry it), if any.
    pub fn grant_for(&self, audience: &str, base_url: &str) -> Option<&ClientGrant> {
        self.client_grants.iter().find(|g| {
            g.subject_type == SubjectType::Client && g.resolved_audience(base_url) == audience
        })
    }

    /// The grant for users signing in to this client, for `audience`, if any (§S5.1).
    pub fn user_grant_for(&self, audience: &str, base_url: &str) -> Option<&ClientGrant> {
        self.client_grants.iter().find(|g| {
            g.subject_type == SubjectType::User && g.resolved_audience(base_url) == audience
        })
    }
}
