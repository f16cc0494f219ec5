//! Where the tenant is and who we are to it.

use std::net::IpAddr;

use url::Url;

use crate::secret::ClientSecret;

/// Everything needed to talk to one Auth0 tenant as one application.
#[derive(Debug, Clone)]
pub struct TenantConfig {
    /// `https://tenant.eu.auth0.com` (or `http://127.0.0.1:PORT` for the local emulator).
    pub base_url: Url,
    pub client_id: String,
    /// Only for confidential clients; native apps are public clients and have none.
    pub client_secret: Option<ClientSecret>,
    /// Database connection; `None` uses the tenant's default directory (`password` grant).
    pub realm: Option<String>,
    /// The MFA API audience when it is not `<base_url>/mfa/` (a custom domain still uses the
    /// canonical tenant domain's audience).
    pub audience: Option<String>,
    /// Scopes asked for at sign-in. The MFA scopes are always added: the app needs them to list,
    /// add and remove authenticators after the person has verified a factor.
    pub scope: String,
}

/// Scopes the MFA API needs on its access token (`https://{domain}/mfa/` audience).
pub const MFA_SCOPES: &str = "enroll read:authenticators remove:authenticators";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("the tenant address is not a valid URL: {0}")]
    InvalidUrl(String),
    #[error(
        "the tenant must be reached over HTTPS (plain HTTP is only allowed on this computer): {0}"
    )]
    InsecureUrl(String),
    #[error("the client id is empty")]
    MissingClientId,
    #[error("could not set up the HTTP client: {0}")]
    HttpClient(String),
}

impl TenantConfig {
    /// Builds a configuration, refusing plain HTTP for anything but loopback: tokens and codes
    /// must never cross a network in the clear.
    pub fn new(base_url: &str, client_id: impl Into<String>) -> Result<Self, ConfigError> {
        let base_url = parse_tenant_url(base_url)?;
        let client_id = client_id.into();
        if client_id.trim().is_empty() {
            return Err(ConfigError::MissingClientId);
        }
        Ok(Self {
            base_url,
            client_id,
            client_secret: None,
            realm: None,
            audience: None,
            // No `offline_access`: a refresh token for the MFA API would let whoever sits at an
            // unlocked desktop remove authenticators without MFA, and nothing needs one.
            scope: "openid profile email".to_owned(),
        })
    }

    /// The My Account API's audience, `https://{domain}/me/` (§S5.1: the same domain for
    /// the token, the audience and the calls).
    pub fn my_account_audience(&self) -> String {
        format!("{}/me/", self.base_url.as_str().trim_end_matches('/'))
    }

    /// The audience whose access token lets a person manage their own authenticators.
    pub fn mfa_audience(&self) -> String {
        if let Some(audience) = &self.audience {
            return audience.clone();
        }
        format!("{}/mfa/", self.base_url.as_str().trim_end_matches('/'))
    }

    /// The scopes asked for at sign-in: the configured ones plus the MFA API's.
    pub fn sign_in_scope(&self) -> String {
        let mut scopes: Vec<&str> = self.scope.split_whitespace().collect();
        for needed in MFA_SCOPES.split_whitespace() {
            if !scopes.contains(&needed) {
                scopes.push(needed);
            }
        }
        scopes.join(" ")
    }

    /// The host name shown to people ("acme.eu.auth0.com").
    pub fn domain(&self) -> String {
        match (self.base_url.host_str(), self.base_url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => self.base_url.to_string(),
        }
    }
}

/// Accepts `acme.auth0.com`, `https://acme.auth0.com/` and `http://127.0.0.1:4000`.
pub fn parse_tenant_url(raw: &str) -> Result<Url, ConfigError> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| ConfigError::InvalidUrl(raw.to_owned()))?;
    if url.host_str().is_none() || url.cannot_be_a_base() {
        return Err(ConfigError::InvalidUrl(raw.to_owned()));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ConfigError::InsecureUrl(raw.to_owned())),
        _ => Err(ConfigError::InvalidUrl(raw.to_owned())),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_required_except_on_loopback() {
        assert!(parse_tenant_url("acme.eu.auth0.com").is_ok());
        assert!(parse_tenant_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_tenant_url("http://localhost:8080").is_ok());
        assert!(parse_tenant_url("http://[::1]:8080").is_ok());
        assert!(matches!(
            parse_tenant_url("http://acme.eu.auth0.com"),
            Err(ConfigError::InsecureUrl(_))
        ));
        assert!(matches!(
            parse_tenant_url("ftp://x"),
            Err(ConfigError::InvalidUrl(_))
        ));
    }

    #[test]
    fn sign_in_scope_adds_the_mfa_scopes_once() {
        let mut config = TenantConfig::new("acme.auth0.com", "abc").unwrap();
        config.scope = "openid enroll".into();
        assert_eq!(
            config.sign_in_scope(),
            "openid enroll read:authenticators remove:authenticators"
        );
        assert_eq!(config.mfa_audience(), "https://acme.auth0.com/mfa/");
    }
}
