//! Blocking (§S4.3): the admin block (`PATCH /api/v2/users/{id}`
//! `{"blocked":…}`), enforced at sign-in and refresh, and the brute-force
//! blocks `user-blocks` lists and clears (which never lift an admin block).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};

use super::boom::Boom;
use super::users::UserView;
use super::{call, query, read_payload, user_at};
use crate::errors::json_response;
use crate::state::{Shared, State};

type App = AxState<Arc<Shared>>;

/// `PATCH /api/v2/users/{id}` with `{"blocked": true|false}` (`update:users`):
/// 200 with the user. ASSUMPTION: the emulator updates nothing else, and
/// says so for any other property.
pub async fn patch_user(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let bytes = match read_payload(body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    call(&app, &headers, &["update:users"], |st| {
        let body: serde_json::Map<String, Value> = match serde_json::from_slice(&bytes) {
            Ok(Value::Object(m)) => m,
            _ => return Err(Boom::new(400, "Invalid request payload JSON format")),
        };
        if let Some(other) = body.keys().find(|k| *k != "blocked") {
            return Err(Boom::bad_body(
                "Additional properties not allowed",
                Some(other),
            ));
        }
        let blocked = match body.get("blocked") {
            Some(Value::Bool(b)) => Some(*b),
            None => None,
            Some(_) => {
                return Err(Boom::bad_body("Expected type boolean", Some("blocked")));
            }
        };
        let ui = user_at(st, &id)?;
        let now_ms = st.clock.now_ms();
        let user = &mut st.users[ui];
        if let Some(b) = blocked {
            user.blocked = b;
            user.profile.updated_ms = now_ms;
        }
        Ok(json_response(StatusCode::OK, &UserView::of(user)))
    })
}

/// One brute-force block (GO-MREC `{"blocked_for":[…]}` entries).
#[derive(Serialize)]
struct BlockedFor {
    identifier: String,
    ip: &'static str,
    connection: String,
}

/// Users whose brute-force block is on, as `user-blocks` lists them.
fn blocked_for(st: &State, users: &[usize]) -> Value {
    let now = st.clock.now_secs();
    let entries: Vec<BlockedFor> = users
        .iter()
        .map(|&i| &st.users[i])
        .filter(|u| u.limits.blocked_until.is_some_and(|until| now < until))
        .map(|u| BlockedFor {
            identifier: u.email.clone(),
            ip: "127.0.0.1",
            connection: u.connection.clone(),
        })
        .collect();
    json!({ "blocked_for": entries })
}

fn clear(st: &mut State, users: &[usize]) {
    for &i in users {
        st.users[i].limits.blocked_until = None;
        st.users[i].limits.failed_logins = 0;
    }
}

/// The users an `identifier` (email; usernames and phones are not modelled) names.
fn by_identifier(st: &State, raw: Option<&str>) -> Result<Vec<usize>, Boom> {
    let q = query::parse(raw);
    let identifier = q
        .get("identifier")
        .filter(|i| !i.is_empty())
        .ok_or_else(|| Boom::bad_query("Missing required property: identifier", "identifier"))?;
    Ok((0..st.users.len())
        .filter(|&i| st.users[i].email.eq_ignore_ascii_case(identifier))
        .collect())
}

/// `GET /api/v2/user-blocks?identifier=` (`read:users`)
pub async fn list_by_identifier(
    AxState(app): App,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    call(&app, &headers, &["read:users"], |st| {
        let users = by_identifier(st, raw.as_deref())?;
        Ok(json_response(StatusCode::OK, &blocked_for(st, &users)))
    })
}

/// `DELETE /api/v2/user-blocks?identifier=` (`update:users`): 204.
pub async fn clear_by_identifier(
    AxState(app): App,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    call(&app, &headers, &["update:users"], |st| {
        let users = by_identifier(st, raw.as_deref())?;
        clear(st, &users);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

/// `GET /api/v2/user-blocks/{user_id}` (`read:users`)
pub async fn list_for_user(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["read:users"], |st| {
        let ui = user_at(st, &id)?;
        Ok(json_response(StatusCode::OK, &blocked_for(st, &[ui])))
    })
}

/// `DELETE /api/v2/user-blocks/{user_id}` (`update:users`): 204, 404 for an unknown user.
pub async fn clear_for_user(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["update:users"], |st| {
        let ui = user_at(st, &id)?;
        clear(st, &[ui]);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
