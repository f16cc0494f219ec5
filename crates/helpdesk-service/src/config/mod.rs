//! The service's configuration: a TOML file, then environment overrides
//! (`MFA_DESK_HELPDESK_<SECTION>__<KEY>`), then defaults. Unknown keys are refused wherever
//! they come from, so a misspelt setting never silently falls back to its default, and
//! `--check-config` prints every value with where it came from.

mod secret;
mod sources;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::actions::Action;

pub use secret::{client_secret, SecretOrigin, SECRET_ENV};
pub use sources::{Loaded, Source};

/// The prefix of every environment override.
pub const ENV_PREFIX: &str = "MFA_DESK_HELPDESK_";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: Listen,
    pub auth0: Auth0,
    pub agents: Agents,
    pub rules: Rules,
    pub storage: Storage,
    pub log: Log,
}

/// Where the service listens, and how its traffic is protected.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Listen {
    pub address: SocketAddr,
    /// PEM certificate chain and key: the service terminates TLS itself (rustls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_certificate: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// The reverse proxy that terminates TLS in front of the service. Plain HTTP on a
    /// non-loopback address is accepted only when IT names it; the client address recorded in
    /// the audit then comes from its `X-Forwarded-For`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How long a graceful stop waits for requests in flight.
    pub shutdown_grace_secs: u64,
}

impl Default for Listen {
    fn default() -> Self {
        Self {
            address: "127.0.0.1:8710".parse().expect("a valid address"),
            tls_certificate: None,
            tls_key: None,
            trusted_proxy: None,
            shutdown_grace_secs: 30,
        }
    }
}

/// The tenant, the helpdesk API the agents' tokens are for, and the service's own client.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Auth0 {
    /// `https://acme.eu.auth0.com` (plain HTTP only on loopback, for the local Auth0).
    pub tenant_url: String,
    /// The `iss` of agents' tokens; `<tenant_url>/` when empty (§S1.2: with a trailing slash).
    pub issuer: String,
    /// The helpdesk API's identifier: the `aud` agents' tokens must carry.
    pub audience: String,
    /// The service's confidential client: client credentials for the Management API, and CIBA.
    pub client_id: String,
    /// A file holding the client secret (else the environment or systemd credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_file: Option<PathBuf>,
    /// How long the JWKS is trusted before it is fetched again (§S1.4: 5–10 minutes).
    pub jwks_cache_secs: u64,
}

impl Default for Auth0 {
    fn default() -> Self {
        Self {
            tenant_url: String::new(),
            issuer: String::new(),
            audience: "https://helpdesk.mfa-desk.example/".into(),
            client_id: "mfa-desk-helpdesk-service".into(),
            client_secret_file: None,
            jwks_cache_secs: 600,
        }
    }
}

impl Auth0 {
    pub fn issuer(&self) -> String {
        if self.issuer.is_empty() {
            format!("{}/", self.tenant_url.trim_end_matches('/'))
        } else {
            self.issuer.clone()
        }
    }
}

/// What an agent's token must show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Agents {
    /// The namespaced claim IT's post-login Action sets after MFA (§S1.6: `amr` itself is
    /// restricted in access tokens); it must contain `"mfa"`.
    pub mfa_claim: String,
    /// The namespaced claim with the sign-in time (epoch seconds) the Action copies from
    /// `event.authentication`; when a token lacks it, `iat` stands in.
    pub auth_time_claim: String,
    /// The namespaced claim with the agent's email, when IT's Action adds one; otherwise the
    /// service reads the email from Auth0 once per agent.
    pub email_claim: String,
    /// The oldest sign-in accepted.
    pub max_sign_in_age_secs: u64,
    /// Requests per agent per minute (a burst of the same size).
    pub requests_per_minute: u32,
}

impl Default for Agents {
    fn default() -> Self {
        Self {
            mfa_claim: "https://helpdesk.mfa-desk.example/amr".into(),
            auth_time_claim: "https://helpdesk.mfa-desk.example/auth_time".into(),
            email_claim: "https://helpdesk.mfa-desk.example/email".into(),
            max_sign_in_age_secs: 8 * 3600,
            requests_per_minute: 300,
        }
    }
}

/// The helpdesk's rules that IT tunes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// How long a caller verification covers actions.
    pub verification_ttl_secs: u64,
    /// The actions that need a second agent's approval.
    pub four_eyes: Vec<Action>,
    /// How long a request waits for its approval.
    pub approval_ttl_secs: u64,
    /// A second recovery code within this window needs `replace: true`.
    pub recovery_code_window_secs: u64,
    /// How long an idempotency key's first answer is kept.
    pub idempotency_ttl_secs: u64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            verification_ttl_secs: 600,
            four_eyes: vec![Action::Reset],
            approval_ttl_secs: 3600,
            recovery_code_window_secs: 600,
            idempotency_ttl_secs: 24 * 3600,
        }
    }
}

impl Rules {
    pub fn verification_ttl(&self) -> Duration {
        Duration::from_secs(self.verification_ttl_secs)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Storage {
    /// `sqlite:///var/lib/mfa-desk-helpdesk/helpdesk.db` or `postgres://…`.
    pub url: String,
    pub max_connections: u32,
}

impl Default for Storage {
    fn default() -> Self {
        Self {
            url: "sqlite://helpdesk.db".into(),
            max_connections: 8,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Json,
    Text,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Log {
    pub format: LogFormat,
    /// `error`, `warn`, `info` or `debug`.
    pub level: String,
}

impl Default for Log {
    fn default() -> Self {
        Self {
            format: LogFormat::Json,
            level: "info".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("{0}")]
    Rule(String),
}

impl Config {
    /// Reads `file` (when given) and the environment; [`Config::check`] before serving.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Loaded, ConfigError> {
        sources::load(file, env)
    }

    /// The rules no type can say: plain HTTP only on loopback or behind a named proxy, TLS as
    /// a pair, an address for the tenant.
    pub fn check(&self) -> Result<(), ConfigError> {
        let rule = |text: &str| Err(ConfigError::Rule(text.to_owned()));
        if self.auth0.tenant_url.trim().is_empty() {
            return rule("auth0.tenant_url is required");
        }
        mfa_core::config::parse_tenant_url(&self.auth0.tenant_url)
            .map_err(|e| ConfigError::Rule(format!("auth0.tenant_url: {e}")))?;
        let tls = (&self.listen.tls_certificate, &self.listen.tls_key);
        match tls {
            (Some(_), None) | (None, Some(_)) => {
                return rule("listen.tls_certificate and listen.tls_key go together")
            }
            (None, None)
                if !self.listen.address.ip().is_loopback()
                    && self.listen.trusted_proxy.is_none() =>
            {
                return rule(
                    "plain HTTP is refused except on loopback: set listen.tls_certificate and \
                     listen.tls_key, or name the TLS-terminating proxy in listen.trusted_proxy",
                )
            }
            _ => {}
        }
        if self.storage.max_connections == 0 || self.agents.requests_per_minute == 0 {
            return rule("storage.max_connections and agents.requests_per_minute must be above 0");
        }
        if !(self.storage.url.starts_with("sqlite:") || self.storage.url.starts_with("postgres")) {
            return rule("storage.url is a sqlite:// or postgres:// address");
        }
        // An approved action is carried out for the approver: a new recovery code would reach
        // them, not the agent on the call with the caller.
        if self.rules.four_eyes.contains(&Action::IssueRecoveryCode) {
            return rule(
                "rules.four_eyes cannot hold issue_recovery_code: once approved, the code would                  be shown to the approver, not to the agent on the call",
            );
        }
        Ok(())
    }

    pub fn tls(&self) -> Option<(&Path, &Path)> {
        match (&self.listen.tls_certificate, &self.listen.tls_key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            _ => None,
        }
    }
}
