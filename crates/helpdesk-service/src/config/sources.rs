//! Merging the file and the environment into one TOML document, remembering where each value
//! came from, then reading it with unknown keys refused.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use toml::{Table, Value};

use super::{Config, ConfigError, ENV_PREFIX};
use crate::config::SECRET_ENV;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(String),
    Environment(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::File(path) => write!(f, "file {path}"),
            Self::Environment(name) => write!(f, "environment {name}"),
        }
    }
}

/// The configuration with each value's source, keyed `section.key`.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub sources: BTreeMap<String, Source>,
}

impl Loaded {
    /// Every value and its source, one `section.key = value  # source` line each, in the
    /// order of the file's sections.
    pub fn report(&self) -> String {
        let value = Value::try_from(&self.config).expect("the configuration serializes");
        let mut lines = Vec::new();
        flatten("", &value, &mut |path, value| {
            let source = self.sources.get(path).cloned().unwrap_or(Source::Default);
            lines.push(format!("{path} = {value}  # {source}"));
        });
        lines.join("\n")
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Table(table) => {
            for (key, value) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, out);
            }
        }
        leaf => out(prefix, leaf),
    }
}

pub(super) fn load(
    file: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Loaded, ConfigError> {
    let mut document = Table::new();
    let mut sources = BTreeMap::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_owned(),
            error,
        })?;
        document = text.parse::<Table>().map_err(|e| ConfigError::Invalid {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        let origin = Source::File(path.display().to_string());
        flatten("", &Value::Table(document.clone()), &mut |key, _| {
            sources.insert(key.to_owned(), origin.clone());
        });
    }
    let mut overrides: Vec<(String, String)> = env
        .into_iter()
        .filter(|(name, _)| name.starts_with(ENV_PREFIX) && name != SECRET_ENV)
        .collect();
    overrides.sort();
    for (name, raw) in overrides {
        let invalid = |message: String| ConfigError::Invalid {
            origin: format!("environment {name}"),
            message,
        };
        let rest = &name[ENV_PREFIX.len()..];
        let Some((section, key)) = rest.split_once("__") else {
            return Err(invalid(format!(
                "expected {ENV_PREFIX}<SECTION>__<KEY> (for example {ENV_PREFIX}STORAGE__URL)"
            )));
        };
        let (section, key) = (section.to_lowercase(), key.to_lowercase());
        let table = document
            .entry(section.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        let Value::Table(table) = table else {
            return Err(invalid(format!("{section} is not a section")));
        };
        table.insert(key.clone(), env_value(&raw));
        sources.insert(
            format!("{section}.{key}"),
            Source::Environment(name.clone()),
        );
    }
    let config: Config = serde_path_to_error::deserialize(Value::Table(document)).map_err(|e| {
        let path = e.path().to_string();
        // An unknown key is reported at its section: find the key itself among the sources.
        let message = e.inner().to_string();
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| format!("{path}.{name}"));
        let origin = unknown
            .and_then(|key| sources.get(&key))
            .or_else(|| sources.get(&path))
            .map(ToString::to_string)
            .unwrap_or_else(|| "configuration".into());
        ConfigError::Invalid {
            origin,
            message: format!("{}: {}", e.path(), e.inner()),
        }
    })?;
    Ok(Loaded { config, sources })
}

/// An environment value is read as TOML when it is one (`30`, `true`, `["reset"]`), else as
/// a plain string (`postgres://…`).
fn env_value(raw: &str) -> Value {
    format!("v = {raw}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| Value::String(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_environment_overrides_the_file_and_sources_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("helpdesk.toml");
        std::fs::write(
            &path,
            "[auth0]\ntenant_url = \"http://127.0.0.1:9\"\n[rules]\nverification_ttl_secs = 300\n",
        )
        .unwrap();
        let loaded = load(
            Some(&path),
            env(&[
                ("MFA_DESK_HELPDESK_RULES__VERIFICATION_TTL_SECS", "120"),
                ("MFA_DESK_HELPDESK_STORAGE__URL", "postgres://h/db"),
                (
                    "MFA_DESK_HELPDESK_RULES__FOUR_EYES",
                    "[\"reset\", \"unblock\"]",
                ),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(loaded.config.rules.verification_ttl_secs, 120);
        assert_eq!(loaded.config.storage.url, "postgres://h/db");
        assert_eq!(loaded.config.rules.four_eyes.len(), 2);
        let report = loaded.report();
        assert!(report.contains(
            "rules.verification_ttl_secs = 120  # environment MFA_DESK_HELPDESK_RULES__VERIFICATION_TTL_SECS"
        ));
        assert!(report.contains(&format!(
            "auth0.tenant_url = \"http://127.0.0.1:9\"  # file {}",
            path.display()
        )));
        assert!(report.contains("agents.max_sign_in_age_secs = 28800  # default"));
    }

    #[test]
    fn unknown_keys_are_refused_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("helpdesk.toml");
        std::fs::write(&path, "[rules]\nverfication_ttl_secs = 300\n").unwrap();
        let error = load(Some(&path), env(&[])).unwrap_err().to_string();
        assert!(error.contains("verfication_ttl_secs"), "{error}");
        let error = load(None, env(&[("MFA_DESK_HELPDESK_STORAGE__URI", "x")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("MFA_DESK_HELPDESK_STORAGE__URI"), "{error}");
        let error = load(
            None,
            env(&[("MFA_DESK_HELPDESK_AUTH0__CLIENT_SECRET", "s")]),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("client_secret"), "{error}");
    }

    #[test]
    fn a_recovery_code_cannot_be_put_under_four_eyes() {
        let mut config = super::super::Config::default();
        config.auth0.tenant_url = "http://127.0.0.1:9".into();
        config.check().unwrap();
        config
            .rules
            .four_eyes
            .push(crate::actions::Action::IssueRecoveryCode);
        let error = config.check().unwrap_err().to_string();
        assert!(error.contains("issue_recovery_code"), "{error}");
    }
}
