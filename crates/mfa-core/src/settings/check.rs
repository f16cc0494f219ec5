//! Reading every source and reporting on it: what `load` uses, and what
//! `mfa-desk --check-config` prints (in the spirit of `git config --show-origin`), so IT can
//! check a deployment from a script.

use std::fmt;

use super::layer::problem;
use super::{files, Hive, Layer, Locations, Settings, SettingsError, SignInMethod, Source};

/// One place that was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consulted {
    pub source: Source,
    /// False when nothing is there (no file, no policy key).
    pub found: bool,
}

/// The outcome of reading every source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Every place looked at, highest precedence first.
    pub consulted: Vec<Consulted>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Valid(Box<Settings>),
    /// No source sets anything.
    Unconfigured,
    /// Every problem found, highest precedence first.
    Invalid(Vec<SettingsError>),
}

/// Reads every source in `locations` and merges what is valid.
pub fn check(locations: &Locations) -> Check {
    let mut consulted = Vec::new();
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    let mut take = |source: Source, read: Result<Option<Layer>, SettingsError>| {
        consulted.push(Consulted {
            source,
            found: !matches!(read, Ok(None)),
        });
        match read {
            Ok(layer) => layers.extend(layer),
            Err(e) => problems.push(e),
        }
    };

    if locations.registry {
        for hive in [Hive::LocalMachine, Hive::CurrentUser] {
            take(Source::Registry(hive), read_registry(hive));
        }
    }
    for path in &locations.profiles {
        take(Source::Profile(path.clone()), files::plist(path));
    }
    match files::drop_ins(&locations.drop_in_dir) {
        Ok(paths) if paths.is_empty() => take(
            Source::DropIn(locations.drop_in_dir.join("*.json")),
            Ok(None),
        ),
        // The last in name order wins, so it comes first.
        Ok(paths) => {
            for path in paths.into_iter().rev() {
                let source = Source::DropIn(path.clone());
                take(source.clone(), files::json(&path, source));
            }
        }
        Err(e) => take(Source::DropIn(locations.drop_in_dir.clone()), Err(e)),
    }
    let system = Source::SystemFile(locations.system_file.clone());
    take(system.clone(), files::json(&locations.system_file, system));
    if let Some(path) = &locations.user_file {
        let user = Source::UserFile(path.clone());
        take(user.clone(), files::json(path, user));
    }

    let outcome = if !problems.is_empty() {
        Outcome::Invalid(problems)
    } else if layers.is_empty() {
        Outcome::Unconfigured
    } else {
        match Settings::from_layers(&layers) {
            Ok(settings) => Outcome::Valid(Box::new(settings)),
            Err(e) => Outcome::Invalid(vec![e]),
        }
    };
    Check { consulted, outcome }
}

#[cfg(windows)]
fn read_registry(hive: Hive) -> Result<Option<Layer>, SettingsError> {
    let source = Source::Registry(hive);
    match super::registry::read(hive)? {
        Some(key) => Layer::from_registry(source, &key).map(Some),
        None => Ok(None),
    }
}

#[cfg(not(windows))]
fn read_registry(_hive: Hive) -> Result<Option<Layer>, SettingsError> {
    Ok(None)
}

impl Check {
    pub fn is_valid(&self) -> bool {
        matches!(self.outcome, Outcome::Valid(_))
    }

    /// What is wrong, each naming its source, key and problem; empty when valid.
    pub fn problems(&self) -> Vec<SettingsError> {
        match &self.outcome {
            Outcome::Valid(_) => Vec::new(),
            Outcome::Invalid(problems) => problems.clone(),
            Outcome::Unconfigured => {
                let system = self
                    .consulted
                    .iter()
                    .find(|c| matches!(c.source, Source::SystemFile(_)))
                    .map_or(Source::Default, |c| c.source.clone());
                vec![problem(
                    &system,
                    "",
                    "no configuration: no policy, drop-in or file sets the tenant \
                     (IT deploys it with the app)",
                )]
            }
        }
    }
}

/// The report: the places read, then each setting's effective value and where it came from.
impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.is_valid() {
            "valid"
        } else {
            "NOT valid"
        };
        writeln!(f, "MFA Desk configuration: {verdict}")?;
        writeln!(f)?;
        writeln!(f, "Sources, highest precedence first:")?;
        let kinds: Vec<_> = self.consulted.iter().map(|c| c.source.kind()).collect();
        let width = kinds.iter().map(|k| k.len()).max().unwrap_or(0);
        for consulted in &self.consulted {
            let state = if consulted.found {
                "read"
            } else {
                "not present"
            };
            writeln!(
                f,
                "  {:width$}  {}  ({state})",
                consulted.source.kind(),
                consulted.source.location()
            )?;
        }
        match &self.outcome {
            Outcome::Valid(settings) => {
                writeln!(f)?;
                writeln!(f, "Effective configuration:")?;
                let rows = entries(settings);
                let key_width = rows
                    .iter()
                    .map(|(k, ..)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                let value_width = rows
                    .iter()
                    .map(|(_, v, _)| v.chars().count())
                    .max()
                    .unwrap_or(0);
                for (key, value, origin) in rows {
                    let line = format!("  {key:key_width$}  {value:value_width$}  {origin}");
                    writeln!(f, "{}", line.trim_end())?;
                }
            }
            _ => {
                writeln!(f)?;
                writeln!(f, "Problems:")?;
                for problem in self.problems() {
                    writeln!(f, "  {problem}")?;
                }
            }
        }
        Ok(())
    }
}

/// Every setting as (key, value, origin), values written as JSON, in the schema's order.
fn entries(settings: &Settings) -> Vec<(String, String, String)> {
    let text = |value: &Option<String>| {
        value
            .as_ref()
            .map_or_else(|| "(not set)".to_owned(), |v| quoted(v))
    };
    let list = |items: Vec<String>| {
        let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
        format!("[{}]", items.join(", "))
    };
    let word = |w: &str| quoted(w);
    let s = settings;
    let mut rows: Vec<(String, String)> = vec![
        ("organization".into(), text(&s.organization)),
        ("domain".into(), quoted(&s.domain)),
        ("client_id".into(), quoted(&s.client_id)),
        (
            "client_secret".into(),
            word(match s.client_secret {
                super::ClientSecretSource::None => "none",
                super::ClientSecretSource::Keyring => "keyring",
            }),
        ),
        ("realm".into(), text(&s.realm)),
        ("audience".into(), text(&s.audience)),
        ("scope".into(), quoted(&s.scope)),
        (
            "sign_in".into(),
            word(match s.sign_in.method {
                SignInMethod::Password => "password",
                SignInMethod::Browser => "browser",
            }),
        ),
        ("connection".into(), text(&s.sign_in.connection)),
        (
            "redirect_port".into(),
            s.sign_in
                .redirect_port
                .map_or_else(|| "(random free port)".to_owned(), |p| p.to_string()),
        ),
        (
            "username".into(),
            word(match s.username {
                super::UsernameKind::Email => "email",
                super::UsernameKind::Username => "username",
            }),
        ),
        (
            "factors".into(),
            list(s.factors.iter().map(|f| f.as_str().to_owned()).collect()),
        ),
        (
            "language".into(),
            s.language
                .as_ref()
                .map_or_else(|| "(the system's)".to_owned(), |l| quoted(l)),
        ),
        ("helpdesk_text".into(), text(&s.helpdesk_text)),
        ("helpdesk_url".into(), text(&s.helpdesk_url)),
    ];
    match &s.helpdesk {
        None => rows.push(("helpdesk".into(), "(off)".into())),
        Some(helpdesk) => {
            rows.push((
                "helpdesk.management_client_id".into(),
                quoted(&helpdesk.management_client_id),
            ));
            rows.push((
                "helpdesk.agents".into(),
                list(helpdesk.agents.iter().map(|a| a.as_text()).collect()),
            ));
        }
    }
    rows.into_iter()
        .map(|(key, value)| {
            let origin = settings.origin(&key).to_string();
            (key, value, origin)
        })
        .collect()
}

/// A JSON string: the quotes show where a value starts and ends.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
