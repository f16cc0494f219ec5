//! The configuration IT ships with the app: which tenant, which application, which factors,
//! which language, whom to call. Read from a system-wide file (managed, wins), then a per-user
//! file, then built-in defaults. A mistake is reported with the file, the key and what is
//! wrong, so the app can show it instead of starting half-configured.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::model::FactorKind;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {key}: {problem}")]
pub struct SettingsError {
    pub file: String,
    pub key: String,
    pub problem: String,
}

/// Where a confidential client's secret comes from. Never from the file itself: files are
/// readable by every user of the machine, the keyring entry is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientSecretSource {
    /// A public (native) client: no secret, the usual case for a desktop app.
    None,
    /// The OS keyring, service `mfa-desk`, entry `<domain>/client-secret`, put there by IT.
    Keyring,
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
    pub factors: Vec<FactorKind>,
    pub language: Option<String>,
    /// True when the language comes from the system-wide file: people cannot change it.
    pub language_managed: bool,
    pub helpdesk_text: Option<String>,
    pub helpdesk_url: Option<String>,
    /// Display name of the organisation; the domain when absent.
    pub organization: Option<String>,
}

pub const LANGUAGES: [&str; 3] = ["en", "ja", "fr"];
const KEYS: [&str; 11] = [
    "domain",
    "client_id",
    "client_secret",
    "realm",
    "audience",
    "scope",
    "factors",
    "language",
    "helpdesk_text",
    "helpdesk_url",
    "organization",
];

/// A configuration file that was found and parsed.
pub struct Layer {
    path: String,
    values: Map<String, Value>,
    managed: bool,
}

impl Layer {
    /// Reads `path`; a missing file is no layer at all.
    pub fn read(path: &Path, managed: bool) -> Result<Option<Self>, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(problem(path, "", format!("cannot be read: {e}"))),
        };
        Self::parse(&path.display().to_string(), &text, managed).map(Some)
    }

    pub fn parse(path: &str, text: &str, managed: bool) -> Result<Self, SettingsError> {
        let error = |key: &str, what: String| SettingsError {
            file: path.into(),
            key: key.into(),
            problem: what,
        };
        let values = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(values)) => values,
            Ok(_) => return Err(error("", "must be a JSON object { … }".into())),
            Err(e) => {
                return Err(error(
                    "",
                    format!(
                        "is not valid JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                ))
            }
        };
        if let Some(unknown) = values
            .keys()
            .find(|k| !KEYS.contains(&k.as_str()) && *k != "$schema")
        {
            return Err(error(
                unknown,
                format!("unknown setting; known settings: {}", KEYS.join(", ")),
            ));
        }
        Ok(Self {
            path: path.into(),
            values,
            managed,
        })
    }
}

fn problem(path: &Path, key: &str, what: String) -> SettingsError {
    SettingsError {
        file: path.display().to_string(),
        key: key.into(),
        problem: what,
    }
}

/// The standard places: the managed system-wide file first, then the person's own.
/// `MFA_DESK_SYSTEM_CONFIG` and `MFA_DESK_USER_CONFIG` override them (tests, trials).
pub fn default_paths() -> (PathBuf, Option<PathBuf>) {
    let env = |name: &str| std::env::var_os(name).map(PathBuf::from);
    let system = env("MFA_DESK_SYSTEM_CONFIG").unwrap_or_else(system_path);
    let user = env("MFA_DESK_USER_CONFIG").or_else(user_path);
    (system, user)
}

fn system_path() -> PathBuf {
    if cfg!(windows) {
        let data = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(data).join("MFA Desk").join("config.json")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/MFA Desk/config.json")
    } else {
        PathBuf::from("/etc/mfa-desk/config.json")
    }
}

fn user_path() -> Option<PathBuf> {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(windows) {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("MFA Desk").join("config.json"))
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support/MFA Desk/config.json"))
    } else {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".config")));
        config.map(|c| c.join("mfa-desk").join("config.json"))
    }
}

/// Loads the standard files. `Ok(None)` means no file exists at all.
pub fn load() -> Result<Option<Settings>, SettingsError> {
    let (system, user) = default_paths();
    let mut layers = Vec::new();
    layers.extend(Layer::read(&system, true)?);
    if let Some(user) = user {
        layers.extend(Layer::read(&user, false)?);
    }
    if layers.is_empty() {
        return Ok(None);
    }
    Settings::from_layers(&layers).map(Some)
}

impl Settings {
    /// Merges layers, the first (managed) winning, and validates each value where it came from.
    pub fn from_layers(layers: &[Layer]) -> Result<Self, SettingsError> {
        let find = |key: &str| {
            layers
                .iter()
                .find_map(|l| l.values.get(key).map(|v| (l, v)))
        };
        let text = |key: &str| -> Result<Option<(String, &Layer)>, SettingsError> {
            match find(key) {
                None | Some((_, Value::Null)) => Ok(None),
                Some((layer, Value::String(s))) if !s.trim().is_empty() && s.len() <= 2048 => {
                    Ok(Some((s.trim().to_owned(), layer)))
                }
                Some((layer, _)) => Err(SettingsError {
                    file: layer.path.clone(),
                    key: key.into(),
                    problem: "must be a non-empty text of at most 2048 characters".into(),
                }),
            }
        };
        let required = |key: &str| {
            text(key)?.ok_or_else(|| SettingsError {
                file: layers
                    .iter()
                    .map(|l| l.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                key: key.into(),
                problem: "is required".into(),
            })
        };

        let (domain, domain_layer) = required("domain")?;
        crate::config::parse_tenant_url(&domain).map_err(|e| SettingsError {
            file: domain_layer.path.clone(),
            key: "domain".into(),
            problem: e.to_string(),
        })?;
        let (client_id, _) = required("client_id")?;
        let client_secret = match text("client_secret")? {
            None => ClientSecretSource::None,
            Some((value, _)) if value == "none" => ClientSecretSource::None,
            Some((value, _)) if value == "keyring" => ClientSecretSource::Keyring,
            Some((_, layer)) => {
                return Err(SettingsError {
                    file: layer.path.clone(),
                    key: "client_secret".into(),
                    problem: "must be \"none\" or \"keyring\" (a secret never goes in this file)"
                        .into(),
                })
            }
        };
        let factors = match find("factors") {
            None => vec![
                FactorKind::Otp,
                FactorKind::Sms,
                FactorKind::Voice,
                FactorKind::Email,
                FactorKind::Push,
            ],
            Some((layer, value)) => parse_factors(value).map_err(|what| SettingsError {
                file: layer.path.clone(),
                key: "factors".into(),
                problem: what,
            })?,
        };
        let language = match text("language")? {
            None => None,
            Some((value, layer)) if !LANGUAGES.contains(&value.as_str()) => {
                return Err(SettingsError {
                    file: layer.path.clone(),
                    key: "language".into(),
                    problem: format!("must be one of {}", LANGUAGES.join(", ")),
                })
            }
            Some((value, layer)) => Some((value, layer.managed)),
        };
        let helpdesk_url = match text("helpdesk_url")? {
            Some((url, layer))
                if !["https://", "mailto:", "tel:"]
                    .iter()
                    .any(|p| url.starts_with(p)) =>
            {
                return Err(SettingsError {
                    file: layer.path.clone(),
                    key: "helpdesk_url".into(),
                    problem: "must start with https://, mailto: or tel:".into(),
                })
            }
            other => other.map(|(url, _)| url),
        };
        Ok(Self {
            domain,
            client_id,
            client_secret,
            realm: text("realm")?.map(|(v, _)| v),
            audience: text("audience")?.map(|(v, _)| v),
            scope: text("scope")?.map_or_else(
                || "openid profile email offline_access".to_owned(),
                |(v, _)| v,
            ),
            factors,
            language_managed: language.as_ref().is_some_and(|(_, managed)| *managed),
            language: language.map(|(l, _)| l),
            helpdesk_text: text("helpdesk_text")?.map(|(v, _)| v),
            helpdesk_url,
            organization: text("organization")?.map(|(v, _)| v),
        })
    }
}

fn parse_factors(value: &Value) -> Result<Vec<FactorKind>, String> {
    let names = value
        .as_array()
        .ok_or("must be a list such as [\"otp\", \"sms\"]")?;
    let mut factors = Vec::new();
    for name in names {
        let kind = match name.as_str() {
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
    Ok(factors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(path: &str, json: &str, managed: bool) -> Layer {
        Layer::parse(path, json, managed).unwrap()
    }

    #[test]
    fn the_managed_file_wins_and_the_user_file_fills_in() {
        let system = layer(
            "/etc/mfa-desk/config.json",
            r#"{"domain":"acme.eu.auth0.com","client_id":"abc","language":"ja"}"#,
            true,
        );
        let user = layer(
            "~/.config/mfa-desk/config.json",
            r#"{"domain":"evil.example.com","helpdesk_text":"Call 1234","language":"fr"}"#,
            false,
        );
        let settings = Settings::from_layers(&[system, user]).unwrap();
        assert_eq!(settings.domain, "acme.eu.auth0.com");
        assert_eq!(settings.language.as_deref(), Some("ja"));
        assert!(settings.language_managed);
        assert_eq!(settings.helpdesk_text.as_deref(), Some("Call 1234"));
        assert_eq!(settings.factors.len(), 5);
        assert_eq!(settings.client_secret, ClientSecretSource::None);
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let error =
            |json: &str| Settings::from_layers(&[layer("/etc/c.json", json, true)]).unwrap_err();
        let e = error(r#"{"domain":"http://acme.eu.auth0.com","client_id":"a"}"#);
        assert_eq!((e.file.as_str(), e.key.as_str()), ("/etc/c.json", "domain"));
        assert!(e.problem.contains("HTTPS"));
        assert_eq!(error(r#"{"domain":"a.auth0.com"}"#).key, "client_id");
        assert_eq!(
            error(r#"{"domain":"a.auth0.com","client_id":"a","factors":["otp","fax"]}"#).key,
            "factors"
        );
        assert_eq!(
            error(r#"{"domain":"a.auth0.com","client_id":"a","language":"de"}"#).key,
            "language"
        );
        assert_eq!(
            error(r#"{"domain":"a.auth0.com","client_id":"a","client_secret":"s3cret"}"#).key,
            "client_secret"
        );
        assert_eq!(
            error(r#"{"domain":"a.auth0.com","client_id":"a","helpdesk_url":"javascript:x"}"#).key,
            "helpdesk_url"
        );
        let unknown = Layer::parse("/etc/c.json", r#"{"domian":"x"}"#, true)
            .err()
            .unwrap();
        assert_eq!(unknown.key, "domian");
        let broken = Layer::parse("/etc/c.json", "{\n\"domain\": }", true)
            .err()
            .unwrap();
        assert!(broken.problem.contains("line 2"), "{}", broken.problem);
    }

    #[test]
    fn the_example_file_in_the_repository_is_valid() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../packaging/config.example.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let settings = Settings::from_layers(&[Layer::parse(path, &text, true).unwrap()]).unwrap();
        assert_eq!(settings.client_id, "YOUR_NATIVE_APP_CLIENT_ID");
    }
}
