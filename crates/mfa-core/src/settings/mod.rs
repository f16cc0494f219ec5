//! The configuration IT ships with the app: which tenant, which application, how people sign
//! in, which factors, which language, whom to call, and who may use helpdesk mode.
//!
//! It comes in layers. Each key is taken from the first layer that sets it, in this order:
//!
//! 1. OS policies: the Windows registry (`HKLM\SOFTWARE\Policies\MFA Desk`, then the same key
//!    under `HKCU`), or macOS managed preferences (a configuration profile for the app's bundle
//!    identifier, the computer's before the person's);
//! 2. drop-ins: `config.d/*.json` next to the system file, the last in name order first, so a
//!    site package can add to (or override) a base configuration;
//! 3. the system file (`/etc/mfa-desk/config.json` and its equivalents);
//! 4. the person's own file;
//! 5. built-in defaults.
//!
//! Every source is first turned into JSON values and then checked by the same serde structs
//! (see `schema`), so a mistake reads the same wherever it is made: the source (file,
//! registry key or profile), the key and what is wrong. Each layer is checked on its own, so
//! a mistake is found even where a higher layer overrides it.

mod check;
mod files;
mod layer;
mod merge;
mod owner;
mod profile;
mod registry;
mod report;
mod schema;
mod source;

use std::collections::BTreeMap;

pub use check::{check, Check, Consulted, Outcome};
pub use layer::Layer;
pub use registry::{RegistryData, RegistryKey};
pub use source::{
    EnvTrust, Hive, Locations, OwnerCheck, Source, BUNDLE_ID, POLICY_KEY, SYSTEM_CONFIG_ENV,
    USER_CONFIG_ENV,
};

use crate::input::{Email, IdentifierKind};
use crate::model::FactorKind;

/// One problem in one source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {key}: {problem}")]
pub struct SettingsError {
    /// Where the value was read: a file or profile path, or a registry key
    /// (`HKLM\SOFTWARE\Policies\MFA Desk`, whose value is named by `key`).
    pub origin: String,
    /// The setting, dotted inside a section (`helpdesk.agents`); empty for the source as a whole.
    pub key: String,
    pub problem: String,
}

/// Where a confidential client's secret comes from. Never from the configuration itself:
/// files and policies are readable by every user of the machine, the keyring entry is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSecretSource {
    /// A public (native) client: no secret, the usual case for a desktop app.
    None,
    /// The OS keyring, service `mfa-desk`, entry `<domain>/client-secret`, put there by IT.
    Keyring,
}

/// How people sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// Email (or username) and password in the app (the `password` / `password-realm` grant).
    Password,
    /// The system browser, Authorization Code with PKCE and a loopback redirect (RFC 8252):
    /// for single sign-on, passwordless and passkeys.
    Browser,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub method: SignInMethod,
    /// Identity-provider hint sent as `connection` to `/authorize` (browser sign-in only).
    pub connection: Option<String>,
    /// A fixed port for the loopback redirect, for tenants whose allowed callback URLs need
    /// one (browser sign-in only); a random free port otherwise.
    pub redirect_port: Option<u16>,
}

/// Helpdesk mode: agents act on other people's MFA through a machine-to-machine client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpdeskMode {
    /// Client id of the machine-to-machine application authorised for the Management API;
    /// its secret lives in the OS keyring, never in the configuration.
    pub management_client_id: String,
    /// Who may use helpdesk mode.
    pub agents: Vec<Agent>,
    /// How long an agent's session may last, however active: eight hours unless IT's
    /// `max_session_minutes` shortens it.
    pub max_session: std::time::Duration,
}

/// The helpdesk service agents sign in to (`helpdesk.service_url`, `helpdesk.api_identifier`):
/// the app's helpdesk mode and `mfa-desk-admin` go through it instead of holding the
/// Management API's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpdeskService {
    /// `https://helpdesk.acme.example` (no trailing slash; plain HTTP only on loopback).
    pub url: String,
    /// The helpdesk API's identifier on the tenant: the `audience` agents sign in for.
    pub api_identifier: String,
    /// How long an agent's session in the app may last, however active: eight hours unless
    /// IT's `max_session_minutes` shortens it.
    pub max_session: std::time::Duration,
}

/// One entry of the helpdesk agents list, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agent {
    /// `alice@acme.example`: this person.
    Email(String),
    /// `@acme.example`: everyone whose email is at this domain (not its subdomains).
    Domain(String),
}

impl HelpdeskMode {
    /// Whether the signed-in person (by the email their tenant gives) may use helpdesk mode.
    pub fn admits(&self, email: &str) -> bool {
        let email = email.trim().to_lowercase();
        let domain = email.rsplit_once('@').map(|(_, d)| d);
        self.agents.iter().any(|agent| match agent {
            Agent::Email(agent) => *agent == email,
            Agent::Domain(agent) => Some(agent.as_str()) == domain,
        })
    }
}

impl Agent {
    /// `name@domain` or `@domain`; the text shown in configuration reports.
    pub fn as_text(&self) -> String {
        match self {
            Self::Email(email) => email.clone(),
            Self::Domain(domain) => format!("@{domain}"),
        }
    }

    pub(crate) fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if let Some(domain) = raw.strip_prefix('@') {
            // A domain is valid when an address at it would be.
            let email = Email::parse(&format!("x@{domain}")).ok()?;
            let (_, domain) = email.as_str().split_once('@')?;
            return Some(Self::Domain(domain.to_owned()));
        }
        Email::parse(raw)
            .ok()
            .map(|email| Self::Email(email.as_str().to_lowercase()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `acme.eu.auth0.com`, a custom domain, or `http://127.0.0.1:PORT` for a local emulator.
    pub domain: String,
    pub client_id: String,
    pub client_secret: ClientSecretSource,
    pub realm: Option<String>,
    /// The MFA API audience, when it differs from `https://<domain>/mfa/` (custom domains).
    pub audience: Option<String>,
    pub scope: String,
    pub sign_in: SignIn,
    pub username: IdentifierKind,
    pub factors: Vec<FactorKind>,
    pub language: Option<String>,
    /// True when the language comes from IT (a policy, drop-in or the system file): people
    /// cannot change it.
    pub language_managed: bool,
    pub helpdesk_text: Option<String>,
    pub helpdesk_url: Option<String>,
    /// Present when IT turned helpdesk mode on.
    pub helpdesk: Option<HelpdeskMode>,
    /// Present when IT named the helpdesk service (in the `helpdesk` section).
    pub helpdesk_service: Option<HelpdeskService>,
    /// Display name of the organisation; the domain when absent.
    pub organization: Option<String>,
    /// Where each key set by a layer came from; keys absent here are built-in defaults.
    origins: BTreeMap<String, Source>,
}

pub const LANGUAGES: [&str; 3] = ["en", "ja", "fr"];

pub const DEFAULT_SCOPE: &str = "openid profile email";

pub const DEFAULT_FACTORS: [FactorKind; 5] = [
    FactorKind::Otp,
    FactorKind::Sms,
    FactorKind::Voice,
    FactorKind::Email,
    FactorKind::Push,
];

impl Settings {
    /// Where a key's value came from (a section's keys share the section's origin).
    pub fn origin(&self, key: &str) -> &Source {
        let top = key.split('.').next().unwrap_or(key);
        self.origins.get(top).unwrap_or(&Source::Default)
    }
}

/// Every setting, dotted inside sections (`helpdesk.agents`), in the schema's order: the
/// one list the JSON schema, the policy templates and the example are checked against.
pub fn keys() -> Vec<String> {
    schema::all_keys()
}

/// The settings whose values are lists of texts.
pub const LIST_KEYS: [&str; 2] = schema::LIST_KEYS;

/// Reads `locations` (`Locations::standard()` for this OS). `Ok(None)` means nothing
/// configures the app at all; otherwise the first problem found, in precedence order.
pub fn load(locations: &Locations) -> Result<Option<Settings>, SettingsError> {
    let check = check(locations);
    match check.outcome {
        Outcome::Valid(settings) => Ok(Some(*settings)),
        Outcome::Unconfigured => Ok(None),
        Outcome::Invalid(mut problems) => Err(problems.remove(0)),
    }
}

#[cfg(test)]
mod tests;
