//! What a command prints: one JSON document (`--json`), or text for people.

use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;

/// A command's result. `late_failure` is set when the change was made but something after it
/// failed (writing the audit line): the result is still shown (a recovery code exists only
/// here), and the command still fails.
pub struct Report {
    json: Value,
    pub text: String,
    pub late_failure: Option<Failure>,
    /// Not done yet: waiting for another agent's approval (exit 8, this sentence on stderr).
    pub pending: Option<String>,
}

impl Report {
    /// `body` is the command's own report type; it becomes the `--json` document.
    pub fn new(body: &impl Serialize, text: String) -> Self {
        Self {
            json: to_value(body),
            text,
            late_failure: None,
            pending: None,
        }
    }

    /// Marks a break-glass result: `"direct": true`, and a first line saying so.
    pub fn direct(mut self) -> Self {
        if let Some(object) = self.json.as_object_mut() {
            object.insert("direct".into(), Value::Bool(true));
        }
        self.text = format!(
            "[direct: the Management API with the helpdesk application's secret, not the helpdesk service]\n{}",
            self.text
        );
        self
    }

    /// The `--json` document: the command's report, with the late failure's `error` beside it.
    pub fn json(&self) -> Value {
        let mut json = self.json.clone();
        if let (Some(failure), Some(object)) = (&self.late_failure, json.as_object_mut()) {
            object.insert("error".into(), to_value(&failure.report()));
        }
        json
    }
}

/// Report types hold strings, numbers and lists only: serializing them cannot fail.
pub fn to_value(body: &impl Serialize) -> Value {
    serde_json::to_value(body).unwrap_or(Value::Null)
}
