//! Idempotency keys: the first request with a key claims it, and its answer is kept; a retry
//! with the same key gets that answer back and changes nothing. A key reused for a different
//! request is refused, and so is a retry while the first is still running.
//!
//! A kept answer never holds a recovery code: a replayed issue says the code was already
//! shown (see `api::actions`), so the database holds no secret.

use sqlx::Row;

use super::{now_ms, Store, StoreError};

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is new: carry the request out, then [`finish`] it.
    New,
    /// The first request's answer.
    Done { status: u16, body: String },
    /// The first request with this key is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

pub async fn claim(
    store: &Store,
    agent_sub: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Claim, StoreError> {
    {
        let _turn = store.write_turn().await;
        // ON CONFLICT DO NOTHING: both databases spell it the same way.
        let inserted = sqlx::query(
            "INSERT INTO idempotency (agent_sub, idem_key, fingerprint, status, body, created_ms) \
             VALUES ($1, $2, $3, NULL, NULL, $4) ON CONFLICT DO NOTHING",
        )
        .bind(agent_sub)
        .bind(key)
        .bind(fingerprint)
        .bind(now_ms())
        .execute(store.pool())
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::New);
        }
    }
    let row = sqlx::query(
        "SELECT fingerprint, status, body FROM idempotency WHERE agent_sub = $1 AND idem_key = $2",
    )
    .bind(agent_sub)
    .bind(key)
    .fetch_one(store.pool())
    .await?;
    let stored: String = row.try_get("fingerprint")?;
    if stored != fingerprint {
        return Ok(Claim::Mismatch);
    }
    let status: Option<i64> = row.try_get("status")?;
    let body: Option<String> = row.try_get("body")?;
    Ok(match (status, body) {
        (Some(status), Some(body)) => Claim::Done {
            status: status as u16,
            body,
        },
        _ => Claim::InProgress,
    })
}

/// Keeps the answer to a claimed key.
pub async fn finish(
    store: &Store,
    agent_sub: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    let _turn = store.write_turn().await;
    sqlx::query(
        "UPDATE idempotency SET status = $1, body = $2 WHERE agent_sub = $3 AND idem_key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(agent_sub)
    .bind(key)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Releases a claimed key whose request was refused before it changed anything (so the
/// agent can correct it and retry with the same key).
pub async fn release(store: &Store, agent_sub: &str, key: &str) -> Result<(), StoreError> {
    let _turn = store.write_turn().await;
    sqlx::query(
        "DELETE FROM idempotency WHERE agent_sub = $1 AND idem_key = $2 AND status IS NULL",
    )
    .bind(agent_sub)
    .bind(key)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Forgets answers older than `ttl_ms`.
pub async fn expire(store: &Store, ttl_ms: i64) -> Result<u64, StoreError> {
    let _turn = store.write_turn().await;
    let result = sqlx::query("DELETE FROM idempotency WHERE created_ms < $1")
        .bind(now_ms() - ttl_ms)
        .execute(store.pool())
        .await?;
    Ok(result.rows_affected())
}
