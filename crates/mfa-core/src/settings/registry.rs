//! Windows policies: `HKLM\SOFTWARE\Policies\MFA Desk` and the same key under `HKCU`, as
//! Group Policy and Intune write them from the ADMX template (packaging/windows/).
//!
//! Turning a registry key into settings is a pure function over [`RegistryKey`], tested on
//! every OS; only the thin reader in `registry/windows.rs` touches the registry.
//!
//! The mapping follows the template: a text is a `REG_SZ` value named after the key, a number
//! a `REG_DWORD`, a list a subkey of `REG_SZ` values named `1`, `2`, `3`… (what an ADMX
//! `list` element writes; a `REG_MULTI_SZ` value is accepted too), and a section such as
//! `helpdesk` a subkey. Names are matched without regard to case, as Windows does.

use serde_json::{Map, Number, Value};

use super::layer::problem;
use super::{schema, Layer, SettingsError, Source};

/// The reader (`windows::read`), named by its module so that this file, which the reader
/// builds on, does not depend on it in turn.
#[cfg(windows)]
pub(super) mod windows;

/// A registry key as the reader found it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryKey {
    pub values: Vec<(String, RegistryData)>,
    pub subkeys: Vec<(String, RegistryKey)>,
}

/// One registry value's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryData {
    /// `REG_SZ` (and `REG_EXPAND_SZ`, taken as written).
    String(String),
    /// `REG_MULTI_SZ`.
    MultiString(Vec<String>),
    /// `REG_DWORD`.
    Dword(u32),
    /// `REG_QWORD`.
    Qword(u64),
    /// Any other type, by its name (`REG_BINARY`…): refused with a message.
    Other(String),
}

impl Layer {
    /// The settings of one policy key.
    pub fn from_registry(source: Source, key: &RegistryKey) -> Result<Self, SettingsError> {
        let values = section(key, "").map_err(|(key, what)| problem(&source, &key, what))?;
        Self::new(source, values)
    }
}

type Problem = (String, String);

fn dotted(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A key (the policy key itself, or a section's subkey) as a JSON object.
fn section(key: &RegistryKey, path: &str) -> Result<Map<String, Value>, Problem> {
    let mut values = Map::new();
    for (name, data) in &key.values {
        // The unnamed default value of a key carries nothing here.
        if name.is_empty() {
            continue;
        }
        let name = name.to_lowercase();
        values.insert(name.clone(), value(data, &dotted(path, &name))?);
    }
    for (name, subkey) in &key.subkeys {
        let name = name.to_lowercase();
        let key_path = dotted(path, &name);
        if values.contains_key(&name) {
            return Err((
                key_path,
                "is both a value and a subkey; keep only one of them".into(),
            ));
        }
        let value = if schema::LIST_KEYS.contains(&key_path.as_str()) {
            list(subkey, &key_path)?
        } else {
            Value::Object(section(subkey, &key_path)?)
        };
        values.insert(name, value);
    }
    Ok(values)
}

fn value(data: &RegistryData, key: &str) -> Result<Value, Problem> {
    Ok(match data {
        RegistryData::String(text) => Value::String(text.clone()),
        RegistryData::MultiString(texts) => {
            Value::Array(texts.iter().cloned().map(Value::String).collect())
        }
        RegistryData::Dword(n) => Value::Number(Number::from(*n)),
        RegistryData::Qword(n) => Value::Number(Number::from(*n)),
        RegistryData::Other(kind) => {
            return Err((
                key.to_owned(),
                format!(
                    "is a {kind} value; use REG_SZ for a text, REG_DWORD for a number, \
                     and a subkey of numbered REG_SZ values for a list"
                ),
            ))
        }
    })
}

/// A list subkey: `REG_SZ` values named `1`, `2`, `3`…, in the order of their numbers.
fn list(key: &RegistryKey, path: &str) -> Result<Value, Problem> {
    if let Some((name, _)) = key.subkeys.first() {
        return Err((
            path.to_owned(),
            format!(
                "is a list: its entries are values named 1, 2, 3…, not subkeys (found {name:?})"
            ),
        ));
    }
    let mut entries = Vec::new();
    for (name, data) in &key.values {
        let number: u32 = name.trim().parse().map_err(|_| {
            (
                path.to_owned(),
                format!("is a list: its entries are values named 1, 2, 3… (found {name:?})"),
            )
        })?;
        let RegistryData::String(text) = data else {
            return Err((
                path.to_owned(),
                format!("entry {name} must be a REG_SZ text"),
            ));
        };
        entries.push((number, Value::String(text.clone())));
    }
    entries.sort_by_key(|(number, _)| *number);
    Ok(Value::Array(entries.into_iter().map(|(_, v)| v).collect()))
}
