//! My Account request bodies: JSON objects whose schemas say `additionalProperties: false`
//! (§S5.3), so anything unexpected is a validation error naming the property.

use serde_json::{Map, Value};

use super::problem::{MeResult, Problem};

/// The body as an object holding only `allowed` properties.
pub fn object<'a>(body: &'a Value, allowed: &[&str]) -> MeResult<&'a Map<String, Value>> {
    let object = body
        .as_object()
        .ok_or_else(|| Problem::validation("/", "data must be object"))?;
    if let Some(extra) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Problem::validation(
            &format!("/{extra}"),
            "data must NOT have additional properties",
        ));
    }
    Ok(object)
}

/// A required, non-empty string property.
pub fn required<'a>(object: &'a Map<String, Value>, key: &str) -> MeResult<&'a str> {
    match object.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Problem::validation(
            &format!("/{key}"),
            format!("data/{key} must be a non-empty string"),
        )),
        None => Err(Problem::validation(
            "/",
            format!("data must have required property '{key}'"),
        )),
    }
}
