//! Query strings of Management API reads: `fields`/`include_fields` and
//! `page`/`per_page`/`include_totals`.

use std::collections::HashMap;

use serde_json::Value;

use super::boom::Boom;

pub type Query = HashMap<String, String>;

pub fn parse(raw: Option<&str>) -> Query {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn boolean(q: &Query, key: &str, default: bool) -> Result<bool, Boom> {
    match q.get(key).map(String::as_str) {
        None | Some("") => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(Boom::bad_query(
            "Expected type boolean but found type string",
            key,
        )),
    }
}

fn number(q: &Query, key: &str, default: u64, min: u64, max: u64) -> Result<u64, Boom> {
    let Some(text) = q.get(key).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    let n: u64 = text
        .parse()
        .map_err(|_| Boom::bad_query("Expected type integer but found type string", key))?;
    if n < min {
        return Err(Boom::bad_query(&format!("Too small: {n} < {min}"), key));
    }
    if n > max {
        return Err(Boom::bad_query(&format!("Too large: {n} > {max}"), key));
    }
    Ok(n)
}

/// `page` (from 0), `per_page` (default 50, at most 100) and `include_totals`.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: usize,
    pub per_page: usize,
    pub include_totals: bool,
}

impl Paging {
    pub fn from_query(q: &Query) -> Result<Self, Boom> {
        Ok(Paging {
            page: number(q, "page", 0, 0, 1_000_000)? as usize,
            per_page: number(q, "per_page", 50, 1, 100)? as usize,
            include_totals: boolean(q, "include_totals", false)?,
        })
    }
}

/// Applies `fields` (comma-separated) and `include_fields` (default true) to
/// each object in `value` (an object or an array of them).
pub fn select_fields(value: Value, q: &Query) -> Result<Value, Boom> {
    let Some(fields) = q.get("fields").filter(|f| !f.is_empty()) else {
        return Ok(value);
    };
    let include = boolean(q, "include_fields", true)?;
    let names: Vec<&str> = fields.split(',').map(str::trim).collect();
    let pick = |v: Value| match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| names.contains(&k.as_str()) == include)
                .collect(),
        ),
        other => other,
    };
    Ok(match value {
        Value::Array(items) => Value::Array(items.into_iter().map(pick).collect()),
        other => pick(other),
    })
}
