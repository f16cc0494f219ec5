//! `/healthz` (the process answers) and `/readyz` (the database and the tenant's JWKS answer:
//! without them no request can be served).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    let (database, jwks) = tokio::join!(state.store.ping(), state.auth.jwks().reachable());
    let status = if database && jwks {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(json!({"database": database, "jwks": jwks})))
}

pub async fn metrics(
    State(state): State<Arc<AppState>>,
) -> ([(&'static str, &'static str); 1], String) {
    (
        [(
            "content-type",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
