//! The versioned HTTP API under `/v1`, its OpenAPI document, and the state handlers share.

mod actions;
mod approvals;
mod callers;
mod context;
pub mod error;
mod execute;
mod history;
mod idempotent;
mod me;
mod openapi;
mod verify;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::ops::{health, timing};

pub use crate::state::AppState;
pub use context::AgentRequest;
pub use error::ApiError;

pub fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .route("/me", get(me::me))
        .route("/callers", get(callers::find))
        .route("/callers/{user_id}", get(callers::profile))
        .route("/callers/{user_id}/events", get(callers::events))
        .route("/callers/{user_id}/verifications", post(verify::checklist))
        .route("/callers/{user_id}/verifications/push", post(verify::push))
        .route("/verifications/{id}", get(verify::status))
        .route("/callers/{user_id}/actions", post(actions::act))
        .route("/approvals", get(approvals::list))
        .route("/approvals/{id}", get(approvals::one))
        .route("/approvals/{id}/approve", post(approvals::approve))
        .route("/approvals/{id}/refuse", post(approvals::refuse))
        .route("/audit", get(history::audit))
        .route("/openapi.json", get(openapi::document));
    Router::new()
        .nest("/v1", v1)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .layer(middleware::from_fn_with_state(state.clone(), measure))
        .with_state(state)
}

/// Counts every request and its latency by route (the route's pattern, never its ids).
async fn measure(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let (mut response, auth0) = timing::measured(next.run(request)).await;
    let total = started.elapsed();
    state
        .metrics
        .request(&route, response.status().as_u16(), total);
    // One structured line per request: the route's pattern (never ids, tokens or bodies).
    tracing::info!(
        route = %route,
        status = response.status().as_u16(),
        ms = total.as_secs_f64() * 1000.0,
        auth0_ms = auth0.as_secs_f64() * 1000.0,
        "request"
    );
    let header = format!(
        "auth0;dur={:.3}, total;dur={:.3}",
        auth0.as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&header) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}
