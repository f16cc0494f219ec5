//! Caller verifications, shared by every instance through the database: one agent, one
//! caller, a short life. A push verification starts `pending` with its CIBA request and
//! becomes `verified`, `denied` or `expired` when the tenant answers.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{changed, Store, StoreError};

pub const VERIFIED: &str = "verified";
pub const PENDING: &str = "pending";
pub const DENIED: &str = "denied";
pub const EXPIRED: &str = "expired";

/// The method name a push approval is recorded under: the strongest, the caller's own
/// enrolled phone answering (§S3.4).
pub const PUSH_METHOD: &str = "push_approved_on_enrolled_phone";

#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub id: String,
    pub agent_sub: String,
    pub caller_id: String,
    pub method: String,
    pub detail: Option<String>,
    pub reason: String,
    pub ticket: Option<String>,
    pub status: String,
    /// The CIBA request being polled; not a credential (it needs the service's secret).
    pub auth_req_id: Option<String>,
    pub binding_message: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
}

impl Verification {
    /// How the audit words it: `callback_directory_number`, `other: badge seen`.
    pub fn verified_by(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{}: {detail}", self.method),
            None => self.method.clone(),
        }
    }
}

fn from_row(row: &AnyRow) -> Result<Verification, sqlx::Error> {
    Ok(Verification {
        id: row.try_get("id")?,
        agent_sub: row.try_get("agent_sub")?,
        caller_id: row.try_get("caller_id")?,
        method: row.try_get("method")?,
        detail: row.try_get("detail")?,
        reason: row.try_get("reason")?,
        ticket: row.try_get("ticket")?,
        status: row.try_get("status")?,
        auth_req_id: row.try_get("auth_req_id")?,
        binding_message: row.try_get("binding_message")?,
        created_ms: row.try_get("created_ms")?,
        expires_ms: row.try_get("expires_ms")?,
    })
}

pub async fn insert(store: &Store, v: &Verification) -> Result<(), StoreError> {
    let _turn = store.write_turn().await;
    sqlx::query(
        "INSERT INTO verifications (id, agent_sub, caller_id, method, detail, reason, ticket, \
         status, auth_req_id, binding_message, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&v.id)
    .bind(&v.agent_sub)
    .bind(&v.caller_id)
    .bind(&v.method)
    .bind(&v.detail)
    .bind(&v.reason)
    .bind(&v.ticket)
    .bind(&v.status)
    .bind(&v.auth_req_id)
    .bind(&v.binding_message)
    .bind(v.created_ms)
    .bind(v.expires_ms)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Verification>, StoreError> {
    let row = sqlx::query(
        "SELECT id, agent_sub, caller_id, method, detail, reason, ticket, status, auth_req_id, \
         binding_message, created_ms, expires_ms FROM verifications WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Moves a pending push to its answer; false when another instance got there first.
/// An approval starts the verification's life afresh (`expires_ms`).
pub async fn settle(
    store: &Store,
    id: &str,
    status: &str,
    expires_ms: i64,
) -> Result<bool, StoreError> {
    let _turn = store.write_turn().await;
    let result = sqlx::query(
        "UPDATE verifications SET status = $1, expires_ms = $2 WHERE id = $3 AND status = 'pending'",
    )
    .bind(status)
    .bind(expires_ms)
    .bind(id)
    .execute(store.pool())
    .await?;
    Ok(changed(&result))
}
