//! Four eyes: an action IT listed is stored here as `pending` and carried out once another
//! agent approves it. Deciding is one conditional update (`WHERE status = 'pending'`), so
//! when two instances see the same approval only one of them wins and carries it out.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use super::{changed, Store, StoreError};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REFUSED: &str = "refused";
pub const EXPIRED: &str = "expired";

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Approval {
    pub id: String,
    pub action: String,
    pub caller_id: String,
    /// The action's arguments as JSON (`{"method_id":…}`); never a secret.
    pub params: String,
    pub requested_sub: String,
    pub requested_email: Option<String>,
    pub verification_id: String,
    /// `pending`, `approved`, `refused` or `expired`.
    pub status: String,
    pub decided_sub: Option<String>,
    pub decided_email: Option<String>,
    pub decision_reason: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
}

const COLUMNS: &str = "id, action, caller_id, params, requested_sub, requested_email, \
    verification_id, status, decided_sub, decided_email, decision_reason, created_ms, expires_ms";

fn from_row(row: &AnyRow) -> Result<Approval, sqlx::Error> {
    Ok(Approval {
        id: row.try_get("id")?,
        action: row.try_get("action")?,
        caller_id: row.try_get("caller_id")?,
        params: row.try_get("params")?,
        requested_sub: row.try_get("requested_sub")?,
        requested_email: row.try_get("requested_email")?,
        verification_id: row.try_get("verification_id")?,
        status: row.try_get("status")?,
        decided_sub: row.try_get("decided_sub")?,
        decided_email: row.try_get("decided_email")?,
        decision_reason: row.try_get("decision_reason")?,
        created_ms: row.try_get("created_ms")?,
        expires_ms: row.try_get("expires_ms")?,
    })
}

pub async fn insert(store: &Store, a: &Approval) -> Result<(), StoreError> {
    let _turn = store.write_turn().await;
    let sql = format!(
        "INSERT INTO approvals ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    sqlx::query(&sql)
        .bind(&a.id)
        .bind(&a.action)
        .bind(&a.caller_id)
        .bind(&a.params)
        .bind(&a.requested_sub)
        .bind(&a.requested_email)
        .bind(&a.verification_id)
        .bind(&a.status)
        .bind(&a.decided_sub)
        .bind(&a.decided_email)
        .bind(&a.decision_reason)
        .bind(a.created_ms)
        .bind(a.expires_ms)
        .execute(store.pool())
        .await?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Approval>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM approvals WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The requests still waiting, oldest first.
pub async fn pending(store: &Store, now_ms: i64) -> Result<Vec<Approval>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM approvals WHERE status = 'pending' AND expires_ms > $1 ORDER BY created_ms"
    );
    let rows = sqlx::query(&sql)
        .bind(now_ms)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Decides a pending, unexpired request. True for the one decision that won; false when it
/// was decided already, expired, or is the decider's own request.
pub async fn decide(
    store: &Store,
    id: &str,
    status: &str,
    decider_sub: &str,
    decider_email: Option<&str>,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let _turn = store.write_turn().await;
    let result = sqlx::query(
        "UPDATE approvals SET status = $1, decided_sub = $2, decided_email = $3, \
         decision_reason = $4 WHERE id = $5 AND status = 'pending' AND expires_ms > $6 \
         AND requested_sub <> $2",
    )
    .bind(status)
    .bind(decider_sub)
    .bind(decider_email)
    .bind(reason)
    .bind(id)
    .bind(now_ms)
    .execute(store.pool())
    .await?;
    Ok(changed(&result))
}

/// Marks requests past their time as expired; returns how many.
pub async fn expire(store: &Store, now_ms: i64) -> Result<u64, StoreError> {
    let _turn = store.write_turn().await;
    let result = sqlx::query(
        "UPDATE approvals SET status = 'expired' WHERE status = 'pending' AND expires_ms <= $1",
    )
    .bind(now_ms)
    .execute(store.pool())
    .await?;
    Ok(result.rows_affected())
}
