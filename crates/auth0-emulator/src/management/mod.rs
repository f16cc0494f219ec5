//! The Management API endpoints a helpdesk uses (spec §12), over the same
//! user store as the MFA API. Every call goes through [`call`]: the
//! tenant-wide rate limit, the bearer token, the endpoint's scopes.

mod auth;
mod blocks;
pub mod boom;
mod enrollments;
mod incident;
mod keys;
mod logs;
mod methods;
mod query;
mod tickets;
mod users;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::limits;
use crate::state::{Shared, State};
use boom::Boom;

/// Management API payloads above 1 MB are refused (spec §12.1).
const MAX_PAYLOAD: usize = 1024 * 1024;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/users-by-email", get(users::by_email))
        .route(
            "/api/v2/users/{id}",
            get(users::get_user).patch(blocks::patch_user),
        )
        .route("/api/v2/users/{id}/logs", get(logs::of_user))
        .route("/api/v2/logs", get(logs::search))
        .route("/api/v2/logs/{id}", get(logs::get_one))
        .route(
            "/api/v2/users/{id}/sessions",
            get(incident::list_sessions).delete(incident::delete_sessions),
        )
        .route(
            "/api/v2/users/{id}/refresh-tokens",
            get(incident::list_refresh_tokens).delete(incident::delete_refresh_tokens),
        )
        .route("/api/v2/users/{id}/enrollments", get(enrollments::list))
        .route(
            "/api/v2/user-blocks",
            get(blocks::list_by_identifier).delete(blocks::clear_by_identifier),
        )
        .route(
            "/api/v2/user-blocks/{id}",
            get(blocks::list_for_user).delete(blocks::clear_for_user),
        )
        .route(
            "/api/v2/users/{id}/authentication-methods",
            get(methods::list).delete(methods::delete_all),
        )
        .route(
            "/api/v2/users/{id}/authentication-methods/{method_id}",
            get(methods::get_one).delete(methods::delete_one),
        )
        .route(
            "/api/v2/users/{id}/authenticators",
            delete(methods::delete_authenticators),
        )
        .route(
            "/api/v2/users/{id}/recovery-code-regeneration",
            post(users::regenerate_recovery_code),
        )
        .route(
            "/api/v2/users/{id}/multifactor/actions/invalidate-remember-browser",
            post(users::invalidate_remember_browser),
        )
        .route("/api/v2/guardian/enrollments/ticket", post(tickets::create))
        .route("/api/v2/keys/signing", get(keys::list))
        .route("/api/v2/keys/signing/rotate", post(keys::rotate))
        .route("/api/v2/keys/signing/{kid}/revoke", put(keys::revoke))
}

/// Unknown paths and methods under `/api/v2/` (hapi answers 404 for both).
pub fn not_found() -> Response {
    Boom::new(404, "Not Found").into_response()
}

/// Runs one Management API call for a token carrying any of `scopes`.
pub fn call(
    app: &Shared,
    headers: &HeaderMap,
    scopes: &[&str],
    handler: impl FnOnce(&mut State) -> Result<Response, Boom>,
) -> Response {
    let mut st = app.lock();
    let now = st.clock.now_secs();
    if let Err(e) = st.limits.management.take(now) {
        let headers = limits::headers_for(e, now, &st.tenant.settings);
        return Boom::too_many_requests(headers).into_response();
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let result = st
        .management_bearer(authorization)
        .and_then(|token| auth::require_scope(&token, scopes))
        .and_then(|()| handler(&mut st));
    let mut resp = match result {
        Ok(r) => r,
        Err(b) => b.into_response(),
    };
    // Auth0 reports the tenant's rate-limit state on every answer.
    let bucket = &mut st.limits.management;
    let (remaining, reset) = bucket.remaining(now);
    let h = resp.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(bucket.capacity()));
    h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    h.insert("x-ratelimit-reset", HeaderValue::from(reset));
    resp
}

/// A request body up to 1 MB.
pub async fn read_payload(body: Body) -> Result<axum::body::Bytes, Boom> {
    axum::body::to_bytes(body, MAX_PAYLOAD).await.map_err(|_| {
        Boom::new(
            413,
            format!("Payload content length greater than maximum allowed: {MAX_PAYLOAD}"),
        )
    })
}

/// The user behind a path id (axum has percent-decoded `auth0%7C…`).
fn user_at(st: &State, id: &str) -> Result<usize, Boom> {
    st.user_index(id).ok_or_else(Boom::no_user)
}
