//! The report `mfa-desk --check-config` prints, in the spirit of `git config --show-origin`:
//! the places read, then each setting's effective value and where it came from, or every
//! problem, so IT can check a deployment from a script.

use std::fmt;

use super::check::{Check, Outcome};
use super::{ClientSecretSource, Settings, SignInMethod};
use crate::input::IdentifierKind;

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
                ClientSecretSource::None => "none",
                ClientSecretSource::Keyring => "keyring",
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
                IdentifierKind::Email => "email",
                IdentifierKind::Username => "username",
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
    if let Some(service) = &s.helpdesk_service {
        rows.push(("helpdesk.service_url".into(), quoted(&service.url)));
        rows.push((
            "helpdesk.api_identifier".into(),
            quoted(&service.api_identifier),
        ));
    }
    match &s.helpdesk {
        None if s.helpdesk_service.is_some() => {}
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
            rows.push((
                "helpdesk.max_session_minutes".into(),
                (helpdesk.max_session.as_secs() / 60).to_string(),
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
