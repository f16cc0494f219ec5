//! Incident response through the Management API (spec §S4): a user's recent log events,
//! ending their sessions and refresh tokens, and lifting blocks. Reads and deletions are
//! repeated once after a 429 like every other idempotent call; the unblocking `PATCH` is
//! sent once.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::client::{user_path, Call, ManagementClient};
use super::decode::Target;
use super::error::ManagementError;
use super::{CorrelationId, UserId};

/// One tenant log event as `GET /api/v2/users/{id}/logs` returns it (§S4.1); the fields a
/// helpdesk shows, unknown ones ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEvent {
    #[serde(default)]
    pub log_id: Option<String>,
    /// ISO 8601 with milliseconds.
    #[serde(default)]
    pub date: Option<String>,
    /// The event code (`gd_auth_failed`, `s`, `limit_wc`…).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub client_name: Option<String>,
    #[serde(default)]
    pub connection: Option<String>,
}

impl ManagementClient {
    /// `GET /api/v2/users/{id}/logs`: the newest `per_page` events (at most 100).
    pub async fn user_logs(
        &self,
        user: &UserId,
        per_page: u8,
    ) -> Result<Vec<LogEvent>, ManagementError> {
        let mut call = Call::read(user_path(user, "/logs"), Target::User);
        call.query = vec![
            ("page", "0".into()),
            ("per_page", per_page.min(100).to_string()),
            ("sort", "date:-1".into()),
        ];
        self.json(&call).await
    }

    /// `DELETE /api/v2/users/{id}/sessions` (202; §S4.2).
    pub async fn delete_sessions(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "/sessions");
        let call = Call::change(Method::DELETE, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }

    /// `DELETE /api/v2/users/{id}/refresh-tokens` (202; §S4.2: sessions going does not
    /// revoke refresh tokens, so both are ended).
    pub async fn delete_refresh_tokens(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "/refresh-tokens");
        let call = Call::change(Method::DELETE, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }

    /// `PATCH /api/v2/users/{id}` `{"blocked":false}`: lifts an admin block (§S4.3).
    pub async fn unblock_user(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = user_path(user, "");
        let mut call = Call::change(Method::PATCH, path, Target::User, correlation);
        call.json = Some(serde_json::json!({ "blocked": false }));
        self.execute(&call).await.map(drop)
    }

    /// `DELETE /api/v2/user-blocks/{id}`: lifts brute-force blocks (204; §S4.3), which an
    /// admin unblock leaves in place.
    pub async fn delete_user_blocks(
        &self,
        user: &UserId,
        correlation: &CorrelationId,
    ) -> Result<(), ManagementError> {
        let path = format!(
            "api/v2/user-blocks/{}",
            percent_encoding::utf8_percent_encode(user.as_str(), crate::transport::PATH_SEGMENT)
        );
        let call = Call::change(Method::DELETE, path, Target::User, correlation);
        self.execute(&call).await.map(drop)
    }
}
