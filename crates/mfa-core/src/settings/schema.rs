//! The keys and what each accepts: one serde struct per section, with `deny_unknown_fields`,
//! and one type per kind of value whose error message says what is expected. Every source
//! (JSON file, registry policy, managed profile) is turned into JSON values first, so all of
//! them are held to these rules to the letter. `packaging/config.schema.json` and the Windows
//! policy template describe the same keys; tests compare them with these structs.

use std::fmt;

use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::{Agent, ClientSecretSource, SignInMethod, LANGUAGES};
use crate::input::IdentifierKind;
use crate::model::FactorKind;

/// Longest text accepted in any setting.
pub(super) const MAX_TEXT: usize = 2048;

/// The keys whose values are lists: the registry writes a list as a subkey of numbered values,
/// so its reader needs to know them.
pub(super) const LIST_KEYS: [&str; 2] = ["factors", "helpdesk.agents"];

/// One layer's settings. Every key is optional: a layer may set only some of them.
#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a set of settings such as { \"domain\": …, \"client_id\": … }"
)]
pub(super) struct Partial {
    pub organization: Option<Text>,
    pub domain: Option<Domain>,
    pub client_id: Option<Text>,
    pub client_secret: Option<ClientSecretSource>,
    pub realm: Option<Text>,
    pub audience: Option<Text>,
    pub scope: Option<Text>,
    pub sign_in: Option<SignInMethod>,
    pub connection: Option<Text>,
    pub redirect_port: Option<RedirectPort>,
    pub username: Option<IdentifierKind>,
    pub factors: Option<Factors>,
    pub language: Option<Language>,
    pub helpdesk_text: Option<Text>,
    pub helpdesk_url: Option<ContactUrl>,
    pub helpdesk: Option<HelpdeskSection>,
}

/// The `helpdesk` section, which turns helpdesk mode on.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a section { \"management_client_id\": …, \"agents\": [ … ] }"
)]
pub(super) struct HelpdeskSection {
    pub management_client_id: Option<Text>,
    pub agents: Option<Agents>,
    /// Where the helpdesk service (`mfa-desk-helpdesk`) answers.
    pub service_url: Option<ServiceUrl>,
    /// The helpdesk API's identifier on the tenant: the audience of agents' tokens.
    pub api_identifier: Option<Text>,
    pub max_session_minutes: Option<SessionMinutes>,
}

/// Checks one layer's values. On failure: the dotted key and the problem.
pub(super) fn parse(values: Map<String, Value>) -> Result<Partial, (String, String)> {
    serde_path_to_error::deserialize(Value::Object(values)).map_err(|error| {
        let segments: Vec<&str> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                Segment::Map { key } => Some(key.as_str()),
                _ => None,
            })
            .collect();
        let key = segments.join(".");
        let (last, section) = segments.split_last().unwrap_or((&"", &[]));
        let known = known_keys(section);
        let problem = match known {
            Some(known) if !last.is_empty() && !known.contains(last) => {
                format!("unknown setting; known settings: {}", known.join(", "))
            }
            _ => error.into_inner().to_string(),
        };
        (key, problem)
    })
}

/// The keys of the section at `path` (the top level when empty).
pub(super) fn known_keys(path: &[&str]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(field_names::<Partial>()),
        ["helpdesk"] => Some(field_names::<HelpdeskSection>()),
        _ => None,
    }
}

/// Every setting, dotted inside sections, in the order of the structs.
pub(super) fn all_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for key in field_names::<Partial>() {
        match known_keys(&[key]) {
            Some(inner) => keys.extend(inner.iter().map(|k| format!("{key}.{k}"))),
            None => keys.push((*key).to_owned()),
        }
    }
    keys
}

/// A value checked by `check`, with the message people read when it is wrong.
fn checked<'de, D, T>(
    deserializer: D,
    check: impl FnOnce(&Value) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    check(&value).map_err(D::Error::custom)
}

fn text(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= MAX_TEXT)
        .map(str::to_owned)
        .ok_or_else(|| format!("must be a non-empty text of at most {MAX_TEXT} characters"))
}

/// One of a few words.
fn word<T: Copy>(value: &Value, choices: &[(&str, T)], problem: &str) -> Result<T, String> {
    let given = value.as_str().map(str::trim);
    choices
        .iter()
        .find(|(name, _)| Some(*name) == given)
        .map(|(_, choice)| *choice)
        .ok_or_else(|| problem.to_owned())
}

/// A non-empty text, trimmed.
#[derive(Debug, Clone)]
pub(super) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| text(v).map(Self))
    }
}

/// The tenant: a host name, or a URL that is HTTPS (plain HTTP only on loopback).
#[derive(Debug, Clone)]
pub(super) struct Domain(pub String);

impl<'de> Deserialize<'de> for Domain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            let domain = text(v)?;
            crate::config::parse_tenant_url(&domain).map_err(|e| e.to_string())?;
            Ok(Self(domain))
        })
    }
}

impl<'de> Deserialize<'de> for ClientSecretSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            word(
                v,
                &[("none", Self::None), ("keyring", Self::Keyring)],
                "must be \"none\" or \"keyring\" (a secret never goes in the configuration)",
            )
        })
    }
}

impl<'de> Deserialize<'de> for SignInMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            word(
                v,
                &[("password", Self::Password), ("browser", Self::Browser)],
                "must be \"password\" or \"browser\"",
            )
        })
    }
}

impl<'de> Deserialize<'de> for IdentifierKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            word(
                v,
                &[("email", Self::Email), ("username", Self::Username)],
                "must be \"email\" or \"username\"",
            )
        })
    }
}

/// The loopback redirect's port: unprivileged, so the app can listen on it.
#[derive(Debug, Clone, Copy)]
pub(super) struct RedirectPort(pub u16);

/// How long a helpdesk session may last, in minutes: IT may shorten the built-in eight hours,
/// not lengthen them.
#[derive(Debug, Clone, Copy)]
pub(super) struct SessionMinutes(pub u64);

impl<'de> Deserialize<'de> for SessionMinutes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let most = crate::helpdesk::MAX_SESSION.as_secs() / 60;
        checked(d, |v| {
            v.as_u64()
                .filter(|minutes| (5..=most).contains(minutes))
                .map(Self)
                .ok_or_else(|| format!("must be a whole number of minutes from 5 to {most}"))
        })
    }
}

impl<'de> Deserialize<'de> for RedirectPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            v.as_u64()
                .filter(|port| (1024..=65535).contains(port))
                .and_then(|port| u16::try_from(port).ok())
                .map(Self)
                .ok_or_else(|| "must be a whole number from 1024 to 65535".to_owned())
        })
    }
}

#[derive(Debug, Clone)]
pub(super) struct Factors(pub Vec<FactorKind>);

impl<'de> Deserialize<'de> for Factors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            let names = v
                .as_array()
                .ok_or("must be a list such as [\"otp\", \"sms\"]")?;
            let mut factors = Vec::new();
            for name in names {
                let kind = match name.as_str().map(str::trim) {
                    Some("otp") => FactorKind::Otp,
                    Some("sms") => FactorKind::Sms,
                    Some("voice") => FactorKind::Voice,
                    Some("email") => FactorKind::Email,
                    Some("push") => FactorKind::Push,
                    _ => return Err(format!("{name} is not one of otp, sms, voice, email, push")),
                };
                if !factors.contains(&kind) {
                    factors.push(kind);
                }
            }
            if factors.is_empty() {
                return Err("must allow at least one factor".into());
            }
            Ok(Self(factors))
        })
    }
}

#[derive(Debug, Clone)]
pub(super) struct Language(pub String);

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            v.as_str()
                .map(str::trim)
                .filter(|l| LANGUAGES.contains(l))
                .map(|l| Self(l.to_owned()))
                .ok_or_else(|| format!("must be one of {}", LANGUAGES.join(", ")))
        })
    }
}

/// The helpdesk service's address: HTTPS (plain HTTP only on this computer), no query.
#[derive(Debug, Clone)]
pub(super) struct ServiceUrl(pub String);

impl<'de> Deserialize<'de> for ServiceUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            let raw = text(v)?;
            if !raw.contains("://") {
                return Err("must be an address such as https://helpdesk.acme.example".into());
            }
            let url = crate::config::parse_tenant_url(&raw).map_err(|e| match e {
                crate::ConfigError::InsecureUrl(_) => {
                    "must use https:// (plain http only on this computer)".to_owned()
                }
                _ => "is not a valid address".to_owned(),
            })?;
            if url.query().is_some() || url.fragment().is_some() {
                return Err("must not carry a query or a fragment".into());
            }
            Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
        })
    }
}

/// The helpdesk contact link: a web page, an email or a phone number, never a script.
#[derive(Debug, Clone)]
pub(super) struct ContactUrl(pub String);

impl<'de> Deserialize<'de> for ContactUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            let url = text(v)?;
            if ["https://", "mailto:", "tel:"]
                .iter()
                .any(|p| url.starts_with(p))
            {
                Ok(Self(url))
            } else {
                Err("must start with https://, mailto: or tel:".into())
            }
        })
    }
}

#[derive(Debug, Clone)]
pub(super) struct Agents(pub Vec<Agent>);

impl<'de> Deserialize<'de> for Agents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, |v| {
            let entries = v
                .as_array()
                .ok_or("must be a list such as [\"alice@acme.example\", \"@it.acme.example\"]")?;
            let mut agents = Vec::new();
            for entry in entries {
                let agent = entry.as_str().and_then(Agent::parse).ok_or_else(|| {
                    format!("{entry} is neither an email address nor @ followed by a domain")
                })?;
                if !agents.contains(&agent) {
                    agents.push(agent);
                }
            }
            if agents.is_empty() {
                return Err("must list at least one agent email or @domain".into());
            }
            Ok(Self(agents))
        })
    }
}

/// The field names a derived `Deserialize` asks for: serde hands them to
/// `deserialize_struct`, so the structs above stay the one list of keys.
pub(super) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

struct FieldNames<'a>(&'a mut &'static [&'static str]);

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field names read")
    }
}

impl std::error::Error for Stop {}

impl serde::de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Stop;

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = fields;
        Err(Stop)
    }

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}
