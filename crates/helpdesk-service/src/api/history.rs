//! The audit history, filtered, as JSON or CSV (`format=csv`). An intent without its outcome
//! row shows as `outcome unknown`, never as nothing.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mfa_core::ErrorCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{AgentRequest, ApiError, AppState};
use crate::auth::Permission;
use crate::store::audit::{self, AuditRecord, Filter, INTENT};

#[derive(Deserialize, IntoParams)]
pub struct HistoryQuery {
    caller_id: Option<String>,
    agent_sub: Option<String>,
    action: Option<String>,
    /// `intent`, `outcome`, `lookup`, `refusal` or `approval`.
    kind: Option<String>,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    /// At most 5000; 500 by default.
    limit: Option<i64>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/v1/audit", params(HistoryQuery),
    responses((status = 200, body = Vec<AuditRecord>, description = "newest first; CSV with format=csv")),
    security(("agent" = ["helpdesk:read"])))]
pub async fn audit(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Query(query): Query<HistoryQuery>,
) -> Result<Response, ApiError> {
    request
        .require(&state, Permission::Read, "audit_history", None)
        .await?;
    let filter = Filter {
        caller_id: query.caller_id,
        agent_sub: query.agent_sub,
        action: query.action,
        kind: query.kind,
        since_ms: query.since_ms,
        until_ms: query.until_ms,
        limit: query.limit.unwrap_or(500).clamp(1, 5000),
    };
    let mut rows = audit::query(&state.store, &filter).await?;
    let unanswered: HashSet<i64> = audit::unanswered_intents(&state.store)
        .await?
        .into_iter()
        .collect();
    for row in &mut rows {
        if row.kind == INTENT && unanswered.contains(&row.seq) {
            row.outcome = Some("outcome unknown".into());
        }
    }
    match query.format.as_deref() {
        None | Some("json") => Ok(Json(rows).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"helpdesk-audit.csv\"",
                ),
            ],
            csv(&rows).map_err(|_| ApiError::internal())?,
        )
            .into_response()),
        Some(_) => Err(ApiError::bad_request(ErrorCode::InvalidRequest)),
    }
}

fn csv(rows: &[AuditRecord]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "seq",
        "time",
        "kind",
        "agent_sub",
        "agent_email",
        "caller_id",
        "caller_email",
        "action",
        "method_id",
        "reason",
        "ticket",
        "verified_by",
        "approval",
        "outcome",
        "error_code",
        "correlation_id",
        "client_addr",
        "intent_seq",
        "hash",
    ])?;
    for r in rows {
        let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(r.at_ms) * 1_000_000)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        writer.write_record([
            r.seq.to_string(),
            time,
            r.kind.clone(),
            r.agent_sub.clone(),
            text(&r.agent_email),
            text(&r.caller_id),
            text(&r.caller_email),
            r.action.clone(),
            text(&r.method_id),
            // A spreadsheet must not run what an agent typed: a leading = + - @ is quoted.
            defuse(&text(&r.reason)),
            defuse(&text(&r.ticket)),
            defuse(&text(&r.verified_by)),
            text(&r.approval),
            text(&r.outcome),
            text(&r.error_code),
            text(&r.correlation_id),
            text(&r.client_addr),
            r.intent_seq.map(|s| s.to_string()).unwrap_or_default(),
            r.hash.clone(),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
