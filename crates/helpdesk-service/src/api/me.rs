//! `GET /v1/me`: the agent the token proves, once every check passed (signature, audience,
//! the MFA claim, the sign-in's age): what a front end asks right after the agent signs in,
//! so a sign-in the service will not accept is refused at once, not at the first lookup.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgentRequest, ApiError, AppState};
use crate::auth::Permission;

#[derive(Serialize, ToSchema)]
pub struct Me {
    sub: String,
    email: Option<String>,
    permissions: Vec<String>,
}

#[utoipa::path(get, path = "/v1/me",
    responses((status = 200, body = Me), (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:read"])))]
pub async fn me(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
) -> Result<Json<Me>, ApiError> {
    request
        .require(&state, Permission::Read, "sign_in", None)
        .await?;
    Ok(Json(Me {
        sub: request.agent.sub,
        email: request.agent.email,
        permissions: request.agent.permissions,
    }))
}
