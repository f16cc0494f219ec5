//! The part of Auth0's log search syntax a helpdesk uses (§S4.1, DOCS
//! `log-search-query-syntax.mdx`): `field:value` terms joined by `AND`,
//! values quoted for an exact match or ending in `*` for a prefix, and
//! `date:[FROM TO TO]` ranges with `*` for an open end.

use serde_json::Value;

use super::LogEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Exact {
        field: String,
        value: String,
    },
    Prefix {
        field: String,
        prefix: String,
    },
    Range {
        field: String,
        from: Option<String>,
        to: Option<String>,
    },
}

/// A parsed query: every term must hold.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<Term>);

/// Splits on ` AND ` outside quotes and brackets.
fn clauses(q: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut bracket) = (Vec::new(), String::new(), false, false);
    let words: Vec<&str> = q.split(' ').collect();
    for w in words {
        let separator = !quoted && !bracket && w == "AND";
        if separator {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        for c in w.chars() {
            match c {
                '"' => quoted = !quoted,
                '[' if !quoted => bracket = true,
                ']' if !quoted => bracket = false,
                _ => {}
            }
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    out.push(cur);
    out.into_iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

impl Query {
    /// `Err` carries a description for a 400.
    pub fn parse(q: &str) -> Result<Query, String> {
        let mut terms = Vec::new();
        for clause in clauses(q) {
            let (field, value) = clause
                .split_once(':')
                .ok_or_else(|| format!("'{clause}' is not field:value"))?;
            let field = field.trim().to_owned();
            let value = value.trim();
            let term = if let Some(range) =
                value.strip_prefix('[').and_then(|v| v.strip_suffix(']'))
            {
                let (from, to) = range
                    .split_once(" TO ")
                    .ok_or_else(|| format!("'{value}' is not a [FROM TO TO] range"))?;
                let open = |s: &str| Some(s.trim().to_owned()).filter(|s| s != "*");
                Term::Range {
                    field,
                    from: open(from),
                    to: open(to),
                }
            } else if let Some(exact) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Term::Exact {
                    field,
                    value: exact.to_owned(),
                }
            } else if let Some(prefix) = value.strip_suffix('*') {
                Term::Prefix {
                    field,
                    prefix: prefix.to_owned(),
                }
            } else {
                Term::Exact {
                    field,
                    value: value.to_owned(),
                }
            };
            terms.push(term);
        }
        Ok(Query(terms))
    }

    pub fn matches(&self, event: &LogEvent) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let json = serde_json::to_value(event).expect("log events serialize");
        let text = |field: &str| -> Option<String> {
            match json.get(field)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            }
        };
        self.0.iter().all(|t| match t {
            Term::Exact { field, value } => text(field).as_deref() == Some(value.as_str()),
            Term::Prefix { field, prefix } => text(field).is_some_and(|v| v.starts_with(prefix)),
            // ISO dates compare as text; a bare `2026-01-01` starts that day.
            Term::Range { field, from, to } => text(field).is_some_and(|v| {
                !matches!(from, Some(f) if v.as_str() < f.as_str())
                    && !matches!(to, Some(t) if v.as_str() > t.as_str())
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_of_the_docs_examples() {
        let q = Query::parse(r#"type:"gd_auth_failed" AND user_id:"auth0|1 2""#).unwrap();
        assert_eq!(
            q.0,
            vec![
                Term::Exact {
                    field: "type".into(),
                    value: "gd_auth_failed".into()
                },
                Term::Exact {
                    field: "user_id".into(),
                    value: "auth0|1 2".into()
                },
            ]
        );
        let q = Query::parse("date:[2026-01-01 TO *] AND type:gd_*").unwrap();
        assert_eq!(
            q.0,
            vec![
                Term::Range {
                    field: "date".into(),
                    from: Some("2026-01-01".into()),
                    to: None
                },
                Term::Prefix {
                    field: "type".into(),
                    prefix: "gd_".into()
                },
            ]
        );
        assert!(Query::parse("nonsense").is_err());
    }
}
