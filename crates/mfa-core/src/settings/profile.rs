//! macOS managed preferences: what a configuration profile (`.mobileconfig`) whose payload
//! type is the app's bundle identifier installs under `/Library/Managed Preferences/`, as a
//! property list (binary or XML) of the same keys as the JSON file. Parsing it is a pure
//! function over its bytes, tested on every OS; only the paths are macOS's.

use std::io::Cursor;

use serde_json::{Map, Number, Value};

use super::layer::problem;
use super::{Layer, SettingsError, Source};

impl Layer {
    /// The settings of one managed-preferences property list. Keys starting with `Payload`
    /// describe the profile itself (identifier, UUID, version) and are skipped.
    pub fn from_plist(source: Source, bytes: &[u8]) -> Result<Self, SettingsError> {
        let root = plist::Value::from_reader(Cursor::new(bytes))
            .map_err(|e| problem(&source, "", format!("is not a valid property list: {e}")))?;
        let plist::Value::Dictionary(entries) = root else {
            return Err(problem(&source, "", "must be a dictionary of settings"));
        };
        let mut values = Map::new();
        for (key, entry) in entries {
            if key.starts_with("Payload") {
                continue;
            }
            let value = json(entry, &key).map_err(|(k, what)| problem(&source, &k, what))?;
            values.insert(key, value);
        }
        Self::new(source, values)
    }
}

/// A property-list value as JSON; dates, data and UIDs have no place in the settings.
fn json(value: plist::Value, key: &str) -> Result<Value, (String, String)> {
    Ok(match value {
        plist::Value::String(text) => Value::String(text),
        plist::Value::Boolean(b) => Value::Bool(b),
        plist::Value::Integer(n) => match (n.as_signed(), n.as_unsigned()) {
            (Some(n), _) => Value::Number(Number::from(n)),
            (None, Some(n)) => Value::Number(Number::from(n)),
            (None, None) => unreachable!("a plist integer is signed or unsigned"),
        },
        plist::Value::Real(x) => Value::Number(
            Number::from_f64(x).ok_or_else(|| (key.to_owned(), "is not a number".to_owned()))?,
        ),
        plist::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| json(item, key))
                .collect::<Result<_, _>>()?,
        ),
        plist::Value::Dictionary(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let inner = format!("{key}.{k}");
                    json(v, &inner).map(|v| (k, v))
                })
                .collect::<Result<_, _>>()?,
        ),
        other => {
            let kind = match other {
                plist::Value::Data(_) => "data",
                plist::Value::Date(_) => "a date",
                _ => "a value of an unsupported type",
            };
            return Err((
                key.to_owned(),
                format!("is {kind}; use a string, an integer or an array of strings"),
            ));
        }
    })
}
