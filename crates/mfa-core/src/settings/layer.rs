//! One source's settings, as JSON values, checked on their own.

use serde_json::{Map, Value};

use super::{schema, SettingsError, Source};

/// The settings one source gives. Built by [`Layer::from_json`], [`Layer::from_registry`] or
/// [`Layer::from_plist`], each of which checks every value it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub(super) source: Source,
    pub(super) values: Map<String, Value>,
}

impl Layer {
    /// A JSON file's text. `$schema` (for editors) is allowed and ignored.
    pub fn from_json(source: Source, text: &str) -> Result<Self, SettingsError> {
        let mut values = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(values)) => values,
            Ok(_) => return Err(problem(&source, "", "must be a JSON object { … }")),
            Err(e) => {
                return Err(problem(
                    &source,
                    "",
                    format!(
                        "is not valid JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                ))
            }
        };
        values.remove("$schema");
        Self::new(source, values)
    }

    /// Checks `values` (already turned into JSON by the source's reader). A key set to null
    /// is as good as absent.
    pub(super) fn new(
        source: Source,
        mut values: Map<String, Value>,
    ) -> Result<Self, SettingsError> {
        values.retain(|_, value| !value.is_null());
        schema::parse(values.clone()).map_err(|(key, what)| problem(&source, &key, what))?;
        if values.contains_key("helpdesk") && !source.is_managed() {
            return Err(problem(
                &source,
                "helpdesk",
                "helpdesk mode is turned on by IT only (a policy, a drop-in or the system file), \
                 not in a person's own file",
            ));
        }
        Ok(Self { source, values })
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The keys this layer sets.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

pub(super) fn problem(source: &Source, key: &str, what: impl Into<String>) -> SettingsError {
    SettingsError {
        origin: source.location(),
        key: key.into(),
        problem: what.into(),
    }
}
