//! Log reads (§S4.1): `GET /api/v2/logs` (search by `q` or `search`, or
//! checkpoint paging with `from`/`take`), `GET /api/v2/logs/{id}` and
//! `GET /api/v2/users/{id}/logs`. Scopes `read:logs` or `read:logs_users`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::boom::Boom;
use super::call;
use super::query::{self, select_fields, Paging, Query};
use crate::errors::json_response;
use crate::state::{Shared, State};
use crate::tenant_log::search::Query as LogQuery;
use crate::tenant_log::LogEvent;

type App = AxState<Arc<Shared>>;

const SCOPES: &[&str] = &["read:logs", "read:logs_users"];

/// At most this many results by search (§S4.1); checkpoint paging has no cap.
const SEARCH_CAP: usize = 1000;

/// `include_totals=true` (PY wiremock shape).
#[derive(Serialize)]
struct Totals<'a> {
    start: usize,
    limit: usize,
    length: usize,
    total: usize,
    logs: Vec<&'a LogEvent>,
}

/// `sort`: `date:1` oldest first, `date:-1` (the default) newest first.
/// ASSUMPTION: only `date` sorts; events are already in date order.
fn newest_first(q: &Query) -> Result<bool, Boom> {
    match q.get("sort").map(String::as_str) {
        None | Some("") | Some("date:-1") => Ok(true),
        Some("date:1") => Ok(false),
        Some(_) => Err(Boom::bad_query(
            "Only date:1 and date:-1 are supported",
            "sort",
        )),
    }
}

/// One page of `events` as a bare array or with totals, fields selected.
fn page(events: Vec<&LogEvent>, q: &Query) -> Result<Response, Boom> {
    let paging = Paging::from_query(q)?;
    let mut events = events;
    if newest_first(q)? {
        events.reverse();
    }
    events.truncate(SEARCH_CAP);
    let total = events.len();
    let start = paging.page * paging.per_page;
    let shown: Vec<&LogEvent> = events
        .into_iter()
        .skip(start)
        .take(paging.per_page)
        .collect();
    let value = serde_json::to_value(&shown).expect("logs serialize");
    let value = select_fields(value, q)?;
    let body = if paging.include_totals {
        let mut totals = serde_json::to_value(Totals {
            start,
            limit: paging.per_page,
            length: shown.len(),
            total,
            logs: Vec::new(),
        })
        .expect("totals serialize");
        totals["logs"] = value;
        totals
    } else {
        value
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// `from`/`take`: events after `from` in `log_id` order; everything else is ignored.
fn checkpoint(st: &State, q: &Query) -> Result<Response, Boom> {
    let take = match q.get("take").filter(|t| !t.is_empty()) {
        None => 50,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| Boom::bad_query("Expected an integer from 1 to 100", "take"))?,
    };
    let from = q.get("from").cloned().unwrap_or_default();
    let events: Vec<&LogEvent> = st
        .tenant_log
        .events
        .iter()
        .filter(|e| e.log_id > from)
        .take(take)
        .collect();
    Ok(json_response(StatusCode::OK, &events))
}

/// `GET /api/v2/logs`
pub async fn search(AxState(app): App, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    call(&app, &headers, SCOPES, |st| {
        let q = query::parse(raw.as_deref());
        if q.contains_key("from") || q.contains_key("take") {
            return checkpoint(st, &q);
        }
        // The Fern SDKs send `search`, go-auth0 v1 sent `q` (§S4.1): both.
        let text = q.get("q").or(q.get("search")).cloned().unwrap_or_default();
        let filter = LogQuery::parse(&text).map_err(|e| Boom::bad_query(&e, "q"))?;
        let events = st.tenant_log.events.iter().filter(|e| filter.matches(e));
        page(events.collect(), &q)
    })
}

/// `GET /api/v2/logs/{id}`
pub async fn get_one(AxState(app): App, headers: HeaderMap, Path(id): Path<String>) -> Response {
    call(&app, &headers, SCOPES, |st| {
        let event = st.tenant_log.events.iter().find(|e| e.log_id == id);
        // ASSUMPTION: the wording of an unknown log id.
        let event = event.ok_or_else(|| Boom::new(404, "log not found"))?;
        Ok(json_response(StatusCode::OK, event))
    })
}

/// `GET /api/v2/users/{id}/logs`
pub async fn of_user(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    call(&app, &headers, SCOPES, |st| {
        super::user_at(st, &id)?;
        let q = query::parse(raw.as_deref());
        let events = st
            .tenant_log
            .events
            .iter()
            .filter(|e| e.user_id.as_deref() == Some(id.as_str()));
        page(events.collect(), &q)
    })
}
