//! The audit trail: written ahead (an `intent` row committed before each Management API call,
//! its `outcome` row after; an intent without an outcome reads as "outcome unknown"), look-ups
//! and refusals recorded too, and every row hash-chained to the one before it, so editing,
//! deleting or inserting a row breaks the chain at that row ([`verify`]).
//!
//! A row never holds a secret, a token, a recovery code or a ticket URL: there is no column
//! for one, and the values written are ids, words and codes.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use super::{now_ms, Store, StoreError};

/// What kind of row.
pub const INTENT: &str = "intent";
pub const OUTCOME: &str = "outcome";
pub const LOOKUP: &str = "lookup";
pub const REFUSAL: &str = "refusal";

/// The genesis value the first row's `prev_hash` holds.
pub const GENESIS: &str = "genesis";

/// One row as written (the chain fields are filled in by [`append`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_ms: i64,
    /// `intent`, `outcome`, `lookup` or `refusal`.
    pub kind: String,
    pub agent_sub: String,
    pub agent_email: Option<String>,
    pub caller_id: Option<String>,
    pub caller_email: Option<String>,
    pub action: String,
    pub method_id: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub verified_by: Option<String>,
    /// `requested apr_…`, `approved by <sub> (apr_…)`, `refused by …`.
    pub approval: Option<String>,
    /// `ok`, `error`, `unknown`, `pending_approval`, `refused`.
    pub outcome: Option<String>,
    pub error_code: Option<String>,
    pub correlation_id: Option<String>,
    pub client_addr: Option<String>,
    /// For an outcome row: the intent it closes.
    pub intent_seq: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// The hash of this row chained to `prev_hash`: SHA-256 over the previous hash and the
    /// row's fields as a JSON array (a fixed order, unambiguous quoting).
    pub fn compute_hash(&self, prev_hash: &str) -> String {
        let fields = serde_json::json!([
            self.seq,
            self.at_ms,
            self.kind,
            self.agent_sub,
            self.agent_email,
            self.caller_id,
            self.caller_email,
            self.action,
            self.method_id,
            self.reason,
            self.ticket,
            self.verified_by,
            self.approval,
            self.outcome,
            self.error_code,
            self.correlation_id,
            self.client_addr,
            self.intent_seq,
        ]);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(fields.to_string().as_bytes());
        data_encoding::HEXLOWER.encode(&hasher.finalize())
    }
}

/// A check made inside the append's transaction, after the chain is locked (so two
/// instances cannot both pass it): refuse a second recovery code for the caller within the
/// window, counting intents whose outcome was not a definite failure.
#[derive(Debug, Clone)]
pub struct RecentCodeCheck {
    pub caller_id: String,
    pub since_ms: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a recovery code was issued for this caller moments ago")]
    RecentCode,
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// Appends `record` at the end of the chain and returns its sequence number. The record's
/// `at_ms` is set here when zero.
pub async fn append(
    store: &Store,
    mut record: AuditRecord,
    check: Option<&RecentCodeCheck>,
) -> Result<i64, AppendError> {
    let _turn = store.write_turn().await;
    let mut tx = store.pool().begin().await?;
    // Updating the head first takes the chain's lock before anything is read.
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    if let Some(check) = check {
        let recent: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM audit i WHERE i.kind = 'intent' \
             AND i.action = 'issue_recovery_code' AND i.caller_id = $1 AND i.at_ms > $2 \
             AND NOT EXISTS (SELECT 1 FROM audit o WHERE o.intent_seq = i.seq AND o.outcome = 'error')",
        )
        .bind(&check.caller_id)
        .bind(check.since_ms)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if recent > 0 {
            tx.rollback().await?;
            return Err(AppendError::RecentCode);
        }
    }
    record.seq = seq;
    if record.at_ms == 0 {
        record.at_ms = now_ms();
    }
    record.hash = record.compute_hash(&prev_hash);
    record.prev_hash = prev_hash;
    sqlx::query(
        "INSERT INTO audit (seq, at_ms, kind, agent_sub, agent_email, caller_id, caller_email, \
         action, method_id, reason, ticket, verified_by, approval, outcome, error_code, \
         correlation_id, client_addr, intent_seq, prev_hash, hash) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(record.seq)
    .bind(record.at_ms)
    .bind(&record.kind)
    .bind(&record.agent_sub)
    .bind(&record.agent_email)
    .bind(&record.caller_id)
    .bind(&record.caller_email)
    .bind(&record.action)
    .bind(&record.method_id)
    .bind(&record.reason)
    .bind(&record.ticket)
    .bind(&record.verified_by)
    .bind(&record.approval)
    .bind(&record.outcome)
    .bind(&record.error_code)
    .bind(&record.correlation_id)
    .bind(&record.client_addr)
    .bind(record.intent_seq)
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&record.hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(seq)
}

const COLUMNS: &str = "seq, at_ms, kind, agent_sub, agent_email, caller_id, caller_email, \
     action, method_id, reason, ticket, verified_by, approval, outcome, error_code, \
     correlation_id, client_addr, intent_seq, prev_hash, hash";

fn from_row(row: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at_ms: row.try_get("at_ms")?,
        kind: row.try_get("kind")?,
        agent_sub: row.try_get("agent_sub")?,
        agent_email: row.try_get("agent_email")?,
        caller_id: row.try_get("caller_id")?,
        caller_email: row.try_get("caller_email")?,
        action: row.try_get("action")?,
        method_id: row.try_get("method_id")?,
        reason: row.try_get("reason")?,
        ticket: row.try_get("ticket")?,
        verified_by: row.try_get("verified_by")?,
        approval: row.try_get("approval")?,
        outcome: row.try_get("outcome")?,
        error_code: row.try_get("error_code")?,
        correlation_id: row.try_get("correlation_id")?,
        client_addr: row.try_get("client_addr")?,
        intent_seq: row.try_get("intent_seq")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// What the history shows: rows matching every filter given, newest first.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub caller_id: Option<String>,
    pub agent_sub: Option<String>,
    pub action: Option<String>,
    pub kind: Option<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub limit: i64,
}

pub async fn query(store: &Store, filter: &Filter) -> Result<Vec<AuditRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit WHERE ($1 IS NULL OR caller_id = $1) \
         AND ($2 IS NULL OR agent_sub = $2) AND ($3 IS NULL OR action = $3) \
         AND ($4 IS NULL OR kind = $4) AND ($5 IS NULL OR at_ms >= $5) \
         AND ($6 IS NULL OR at_ms < $6) ORDER BY seq DESC LIMIT $7"
    );
    let rows = sqlx::query(&sql)
        .bind(&filter.caller_id)
        .bind(&filter.agent_sub)
        .bind(&filter.action)
        .bind(&filter.kind)
        .bind(filter.since_ms)
        .bind(filter.until_ms)
        .bind(filter.limit)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The intents that have no outcome row: calls interrupted before their answer was
/// recorded, whose effect is unknown.
pub async fn unanswered_intents(store: &Store) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT i.seq AS seq FROM audit i WHERE i.kind = 'intent' AND NOT EXISTS \
         (SELECT 1 FROM audit o WHERE o.intent_seq = i.seq) ORDER BY i.seq",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("seq"))
        .collect::<Result<_, _>>()?)
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// This row's stored hash is not the hash of its content and the row before it: the
    /// row (or the one before) was edited.
    Hash { seq: i64 },
    /// This row does not point at the previous row's hash.
    Link { seq: i64 },
    /// Rows are missing before this one.
    Gap { expected: i64, found: i64 },
    /// The head says the chain is longer (or ends elsewhere) than the rows show: rows were
    /// removed from the end.
    Head { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hash { seq } => write!(f, "row {seq}: its content does not match its hash (edited)"),
            Self::Link { seq } => write!(f, "row {seq}: it does not follow the row before it"),
            Self::Gap { expected, found } => {
                write!(f, "row {expected}: missing (the next row is {found})")
            }
            Self::Head { head_seq, last_seq } => write!(
                f,
                "row {}: missing at the end (the chain's head is row {head_seq}, the last row is {last_seq})",
                last_seq + 1
            ),
        }
    }
}

/// Checks the whole chain, in pages, and names the first broken row; `Ok(rows)` when intact.
pub async fn verify(store: &Store) -> Result<Result<i64, Broken>, StoreError> {
    let mut prev_hash = GENESIS.to_owned();
    let mut expected = 1;
    loop {
        let sql = format!("SELECT {COLUMNS} FROM audit WHERE seq >= $1 ORDER BY seq LIMIT 1000");
        let rows = sqlx::query(&sql)
            .bind(expected)
            .fetch_all(store.pool())
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let record = from_row(row)?;
            if record.seq != expected {
                return Ok(Err(Broken::Gap {
                    expected,
                    found: record.seq,
                }));
            }
            if record.prev_hash != prev_hash {
                return Ok(Err(Broken::Link { seq: record.seq }));
            }
            if record.compute_hash(&prev_hash) != record.hash {
                return Ok(Err(Broken::Hash { seq: record.seq }));
            }
            prev_hash = record.hash;
            expected += 1;
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(store.pool())
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;
    let last_seq = expected - 1;
    if head_seq != last_seq || head_hash != prev_hash {
        return Ok(Err(Broken::Head { head_seq, last_seq }));
    }
    Ok(Ok(last_seq))
}
