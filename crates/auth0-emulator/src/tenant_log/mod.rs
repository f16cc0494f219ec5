//! The tenant log (§S4.1): one event for everything the emulator does that
//! Auth0 logs (sign-ins, failures, MFA, token exchanges, Management API
//! writes), with Auth0's type codes and the recorded field set, read back
//! through `GET /api/v2/logs` and `GET /api/v2/users/{id}/logs`.

pub mod search;
mod writer;

use std::collections::VecDeque;

use serde::Serialize;
use serde_json::Value;

/// One event, field for field as recorded (GO-MREC `TestLogManager*.yaml`).
#[derive(Debug, Clone, Serialize)]
pub struct LogEvent {
    #[serde(rename = "_id")]
    pub id: String,
    /// 56 decimal digits; ordered as the events happened.
    pub log_id: String,
    pub date: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: Option<String>,
    pub connection: Option<String>,
    pub connection_id: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub client_id: Option<String>,
    pub client_name: String,
    pub ip: &'static str,
    pub hostname: Option<String>,
    pub details: Value,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub user_agent: &'static str,
    pub audience: Option<String>,
    /// Exchange events only (§S4.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub strategy: Option<&'static str>,
    pub strategy_type: Option<&'static str>,
    #[serde(rename = "isMobile")]
    pub is_mobile: bool,
    pub location_info: Option<Value>,
}

/// What a caller knows about an event; the rest is filled in.
#[derive(Debug, Default)]
pub struct Entry {
    pub description: Option<String>,
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    pub audience: Option<String>,
    pub scope: Option<String>,
    pub details: Option<Value>,
}

impl Entry {
    pub fn user(user_id: &str, client_id: Option<&str>) -> Entry {
        Entry {
            user_id: Some(user_id.to_owned()),
            client_id: client_id.map(str::to_owned),
            ..Entry::default()
        }
    }

    pub fn description(mut self, text: impl Into<String>) -> Entry {
        self.description = Some(text.into());
        self
    }

    pub fn exchange(mut self, audience: &str, scope: &str) -> Entry {
        self.audience = Some(audience.to_owned());
        self.scope = Some(scope.to_owned());
        self
    }
}

#[derive(Debug, Default)]
pub struct TenantLog {
    pub events: VecDeque<LogEvent>,
    /// Numbers `log_id`s.
    seq: u64,
}
