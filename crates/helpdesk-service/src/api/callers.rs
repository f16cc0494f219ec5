//! Looking callers up: by email (the core's case handling) or user id; a caller's profile,
//! methods and standing (the core's rules); their recent events in plain words. Every look-up
//! is audited.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use mfa_core::helpdesk::{find_callers, CallerMethods, Standing};
use mfa_core::helpdesk_service::EventKind;
use mfa_core::management::input::parse_email;
use mfa_core::management::{AuthenticationMethod, LogEvent, User, UserId};
use mfa_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{AgentRequest, ApiError, AppState};
use crate::auth::Permission;
use crate::store::audit::LOOKUP;

#[derive(Deserialize, IntoParams)]
pub struct FindQuery {
    /// The caller's email as they spell it.
    email: Option<String>,
    /// Or their user id (`auth0|…`).
    user_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Found {
    #[schema(value_type = Vec<Object>)]
    users: Vec<User>,
    /// The email as typed matched nothing; lower-cased, it matched these.
    matched_lower_case: bool,
}

#[utoipa::path(get, path = "/v1/callers", params(FindQuery),
    responses((status = 200, body = Found), (status = 400, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:read"])))]
pub async fn find(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Query(query): Query<FindQuery>,
) -> Result<Json<Found>, ApiError> {
    request
        .require(&state, Permission::Read, "find_callers", None)
        .await?;
    let found = match (query.email, query.user_id) {
        (Some(email), None) => {
            let email = parse_email(&email)?;
            let found =
                crate::ops::timing::upstream(find_callers(&state.management, &email)).await?;
            Found {
                users: found.users,
                matched_lower_case: found.matched_lower_case,
            }
        }
        (None, Some(id)) => {
            let id = UserId::parse(&id)?;
            let users = match crate::ops::timing::upstream(state.management.user(&id)).await {
                Ok(user) => vec![user],
                Err(mfa_core::management::ManagementError::UserNotFound) => vec![],
                Err(e) => return Err(e.into()),
            };
            Found {
                users,
                matched_lower_case: false,
            }
        }
        _ => return Err(ApiError::bad_request(ErrorCode::InvalidRequest)),
    };
    let mut record = request.record(LOOKUP, "find_callers", None);
    record.outcome = Some(format!("{} found", found.users.len()));
    if let [only] = found.users.as_slice() {
        record.caller_id = Some(only.user_id.clone());
    }
    state
        .audit(record, None)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok(Json(found))
}

#[derive(Serialize, ToSchema)]
pub struct Profile {
    #[schema(value_type = Object)]
    user: User,
    #[schema(value_type = Vec<Object>)]
    methods: Vec<AuthenticationMethod>,
    /// `holds_factors`, `only_recovery_code` or `no_methods`.
    #[schema(value_type = String)]
    standing: Standing,
    has_recovery_code: bool,
    blocked: bool,
}

#[utoipa::path(get, path = "/v1/callers/{user_id}",
    responses((status = 200, body = Profile), (status = 404, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:read"])))]
pub async fn profile(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(user_id): Path<String>,
) -> Result<Json<Profile>, ApiError> {
    request
        .require(&state, Permission::Read, "open_caller", Some(&user_id))
        .await?;
    let id = UserId::parse(&user_id)?;
    let (user, methods) = tokio::try_join!(
        crate::ops::timing::upstream(state.management.user(&id)),
        crate::ops::timing::upstream(state.management.authentication_methods(&id))
    )?;
    let methods = CallerMethods::new(methods);
    let mut record = request.record(LOOKUP, "open_caller", Some(&user_id));
    record.caller_email = user.email.clone();
    record.outcome = Some("ok".into());
    state
        .audit(record, None)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok(Json(Profile {
        blocked: user.blocked.unwrap_or(false),
        standing: methods.standing(),
        has_recovery_code: methods.has_recovery_code(),
        methods: methods.methods,
        user,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Event {
    date: Option<String>,
    /// Auth0's event code (`gd_auth_failed`).
    #[serde(rename = "type")]
    kind: String,
    /// What happened, in plain words.
    words: &'static str,
    description: Option<String>,
    client_name: Option<String>,
}

#[utoipa::path(get, path = "/v1/callers/{user_id}/events",
    responses((status = 200, body = Vec<Event>)), security(("agent" = ["helpdesk:read"])))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(user_id): Path<String>,
) -> Result<Json<Vec<Event>>, ApiError> {
    request
        .require(&state, Permission::Read, "caller_events", Some(&user_id))
        .await?;
    let id = UserId::parse(&user_id)?;
    let logs: Vec<LogEvent> =
        crate::ops::timing::upstream(state.management.user_logs(&id, 50)).await?;
    let mut record = request.record(LOOKUP, "caller_events", Some(&user_id));
    record.outcome = Some("ok".into());
    state
        .audit(record, None)
        .await
        .map_err(|_| ApiError::internal())?;
    // The last 30 days: what a caller can tell the agent about, and no more.
    let since = time::OffsetDateTime::now_utc() - time::Duration::days(30);
    let recent = |e: &LogEvent| {
        e.date
            .as_deref()
            .and_then(|d| {
                time::OffsetDateTime::parse(d, &time::format_description::well_known::Rfc3339).ok()
            })
            .is_none_or(|at| at >= since)
    };
    Ok(Json(
        logs.into_iter()
            .filter(recent)
            .map(|e| Event {
                words: EventKind::of(&e.kind).words(),
                date: e.date,
                kind: e.kind,
                description: e.description,
                client_name: e.client_name,
            })
            .collect(),
    ))
}
