//! Ending what a stolen device holds (§S4.2): a user's login sessions and
//! refresh tokens, listed and deleted. Deletion answers 202 and takes effect
//! at once: a deleted refresh token is refused (`invalid_grant`) from the
//! next request on.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::{call, user_at};
use crate::errors::json_response;
use crate::state::{Shared, State};
use crate::timefmt::iso8601;

type App = AxState<Arc<Shared>>;

/// One session (PY session object, the fields the emulator knows).
#[derive(Serialize)]
struct SessionView {
    id: String,
    user_id: String,
    created_at: String,
    updated_at: String,
    authenticated_at: String,
    last_interacted_at: String,
    clients: Vec<serde_json::Value>,
    authentication: serde_json::Value,
}

/// One refresh token (PY refresh-token object, the fields the emulator knows).
#[derive(Serialize)]
struct RefreshTokenView {
    id: String,
    user_id: String,
    created_at: String,
    client_id: String,
    session_id: Option<String>,
    rotating: bool,
    resource_servers: Vec<serde_json::Value>,
    last_exchanged_at: Option<String>,
}

/// §S4.2: 202. Whether Auth0 sends the reference's sentence as a body is
/// UNCONFIRMED; setting `deletion_202_text` decides (default: empty body).
fn accepted(st: &State, text: &str) -> Response {
    if st.tenant.settings.deletion_202_text {
        (StatusCode::ACCEPTED, text.to_owned()).into_response()
    } else {
        StatusCode::ACCEPTED.into_response()
    }
}

/// `GET /api/v2/users/{id}/sessions` (`read:sessions`)
pub async fn list_sessions(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["read:sessions"], |st| {
        user_at(st, &id)?;
        let mut sessions: Vec<(&String, &crate::tokens::Session)> = st
            .tokens
            .sessions
            .iter()
            .filter(|(_, s)| s.user_id == id)
            .collect();
        sessions.sort_by_key(|(sid, s)| (s.created_ms, sid.as_str()));
        let views: Vec<SessionView> = sessions
            .into_iter()
            .map(|(sid, s)| SessionView {
                id: sid.clone(),
                user_id: s.user_id.clone(),
                created_at: iso8601(s.created_ms),
                updated_at: iso8601(s.created_ms),
                authenticated_at: iso8601(s.authenticated_ms),
                last_interacted_at: iso8601(s.created_ms),
                clients: vec![json!({ "client_id": s.client_id })],
                authentication: json!({
                    "methods": s.methods.iter()
                        .map(|m| json!({ "name": m, "timestamp": iso8601(s.authenticated_ms) }))
                        .collect::<Vec<_>>()
                }),
            })
            .collect();
        Ok(json_response(StatusCode::OK, &json!({ "sessions": views })))
    })
}

/// `DELETE /api/v2/users/{id}/sessions` (`delete:sessions`): refresh
/// tokens survive it (§S4.2).
pub async fn delete_sessions(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["delete:sessions"], |st| {
        user_at(st, &id)?;
        st.tokens.sessions.retain(|_, s| s.user_id != id);
        Ok(accepted(st, "Session deletion request accepted."))
    })
}

/// `GET /api/v2/users/{id}/refresh-tokens` (`read:refresh_tokens`)
pub async fn list_refresh_tokens(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["read:refresh_tokens"], |st| {
        user_at(st, &id)?;
        let mut tokens: Vec<&crate::tokens::RefreshRec> = st
            .tokens
            .refresh_tokens
            .values()
            .filter(|r| r.user_id == id)
            .collect();
        tokens.sort_by_key(|r| (r.created_ms, r.id.clone()));
        let views: Vec<RefreshTokenView> = tokens
            .into_iter()
            .map(|r| RefreshTokenView {
                id: r.id.clone(),
                user_id: r.user_id.clone(),
                created_at: iso8601(r.created_ms),
                client_id: r.client_id.clone(),
                session_id: r.session_id.clone(),
                rotating: false,
                resource_servers: vec![json!({
                    "audience": r.audience,
                    "scopes": r.scope.split_whitespace().collect::<Vec<_>>(),
                })],
                last_exchanged_at: r.last_exchanged_ms.map(iso8601),
            })
            .collect();
        Ok(json_response(StatusCode::OK, &json!({ "tokens": views })))
    })
}

/// `DELETE /api/v2/users/{id}/refresh-tokens` (`delete:refresh_tokens`)
pub async fn delete_refresh_tokens(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["delete:refresh_tokens"], |st| {
        user_at(st, &id)?;
        st.tokens.refresh_tokens.retain(|_, r| r.user_id != id);
        Ok(accepted(st, "Refresh token deletion request accepted."))
    })
}
