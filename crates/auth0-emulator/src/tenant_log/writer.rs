//! Writing the tenant log: one event per thing the emulator does that
//! Auth0 logs, and the `sapi` events of Management API writes.

use super::{Entry, LogEvent};
use crate::state::State;
use crate::timefmt::iso8601;

/// How many events the tenant keeps (oldest dropped first), standing in for
/// Auth0's retention by plan.
const RETAINED: usize = 5000;

/// `sapi` descriptions by method and path shape (ids as `*`). ASSUMPTION:
/// Auth0's wording for these endpoints, after the recorded "Delete organization".
const MANAGEMENT_WRITES: &[(&str, &str, &str)] = &[
    ("PATCH", "users/*", "Update a User"),
    (
        "DELETE",
        "users/*/authentication-methods",
        "Delete all authentication methods",
    ),
    (
        "DELETE",
        "users/*/authentication-methods/*",
        "Delete an authentication method",
    ),
    (
        "DELETE",
        "users/*/authenticators",
        "Delete all authenticators",
    ),
    (
        "POST",
        "users/*/recovery-code-regeneration",
        "Generate new Guardian recovery code",
    ),
    (
        "POST",
        "users/*/multifactor/actions/invalidate-remember-browser",
        "Invalidate all remembered browsers",
    ),
    ("DELETE", "users/*/sessions", "Delete sessions for user"),
    (
        "DELETE",
        "users/*/refresh-tokens",
        "Delete refresh tokens for user",
    ),
    ("DELETE", "user-blocks/*", "Unblock a user"),
    ("DELETE", "user-blocks", "Unblock by identifier"),
    (
        "POST",
        "guardian/enrollments/ticket",
        "Create a Guardian enrollment ticket",
    ),
];

impl State {
    /// A successful Management API write: `sapi` (§S4.1) with the request
    /// and response in `details`. ASSUMPTION: when the path names a user the
    /// event carries its `user_id`, so it shows in that user's logs.
    pub fn log_management_write(&mut self, method: &str, path: &str, status: u16) {
        let rest = path.trim_start_matches("/api/v2/");
        let segments: Vec<&str> = rest.split('/').collect();
        let shape = |pattern: &str| {
            let p: Vec<&str> = pattern.split('/').collect();
            p.len() == segments.len() && p.iter().zip(&segments).all(|(p, s)| *p == "*" || p == s)
        };
        let description = MANAGEMENT_WRITES
            .iter()
            .find(|(m, pattern, _)| *m == method && shape(pattern))
            .map_or_else(|| format!("{method} {path}"), |(_, _, d)| d.to_string());
        let named_user = match segments.as_slice() {
            ["users", id, ..] | ["user-blocks", id] => Some(
                percent_encoding::percent_decode_str(id)
                    .decode_utf8_lossy()
                    .into_owned(),
            ),
            _ => None,
        };
        let entry = Entry {
            description: Some(description),
            user_id: named_user,
            details: Some(serde_json::json!({
                "request": {
                    "method": method.to_ascii_lowercase(),
                    "path": path,
                    "channel": "api",
                    "body": {},
                    "query": {},
                },
                "response": { "statusCode": status, "body": {} },
            })),
            ..Entry::default()
        };
        self.log("sapi", entry);
    }

    /// Writes one event of type `kind` (Auth0's code, §S4.1).
    pub fn log(&mut self, kind: &'static str, entry: Entry) {
        let now_ms = self.clock.now_ms();
        let date = iso8601(now_ms);
        self.tenant_log.seq += 1;
        let digits: String = date.chars().filter(char::is_ascii_digit).collect();
        let log_id = format!("900{digits}{:036}", self.tenant_log.seq);
        let user = entry
            .user_id
            .as_deref()
            .and_then(|id| self.user_index(id))
            .map(|i| &self.users[i]);
        let database = user.is_some();
        let event = LogEvent {
            id: log_id.clone(),
            log_id,
            date,
            kind,
            description: entry.description,
            connection: user.map(|u| u.connection.clone()),
            connection_id: None,
            organization_id: None,
            organization_name: None,
            client_id: entry.client_id,
            client_name: String::new(),
            ip: "127.0.0.1",
            hostname: None,
            details: entry
                .details
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
            user_name: user.map(|u| u.email.clone()),
            user_id: entry.user_id,
            user_agent: "Other 0.0.0 / Other 0.0.0",
            audience: entry.audience,
            scope: entry.scope,
            strategy: database.then_some("auth0"),
            strategy_type: database.then_some("database"),
            is_mobile: false,
            location_info: None,
        };
        let log = &mut self.tenant_log.events;
        if log.len() == RETAINED {
            log.pop_front();
        }
        log.push_back(event);
    }
}
