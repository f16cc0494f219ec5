//! Verifying the caller, on the server: the checklist (the core's [`CallerVerification`]
//! rules: a note for "other", a reason always), or a push to the caller's own phone through
//! CIBA with a binding message the agent reads out. A verification names one agent and one
//! caller and lives `rules.verification_ttl_secs`; a push approval is the strongest method.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use mfa_core::helpdesk::{CallerVerification, VerificationMethod};
use mfa_core::management::model::MethodType;
use mfa_core::management::{Reason, TicketRef, UserId};
use mfa_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{idempotent, AgentRequest, ApiError, AppState};
use crate::auth::Permission;
use crate::ciba::{binding_message, PushAnswer};
use crate::store::audit::LOOKUP;
use crate::store::verifications::{self as store, Verification, PUSH_METHOD};
use crate::store::{new_id, now_ms};

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistBody {
    /// `in_person`, `photo_id_video_call`, `callback_directory_number`, `manager_confirmed`
    /// or `other` (with `detail`).
    #[schema(value_type = String)]
    method: VerificationMethod,
    #[serde(default)]
    detail: String,
    reason: String,
    #[serde(default)]
    ticket: String,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushBody {
    reason: String,
    #[serde(default)]
    ticket: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerificationView {
    id: String,
    caller_id: String,
    method: String,
    /// `verified`, `pending` (push sent, no answer yet), `denied` or `expired`.
    status: String,
    /// For a push: the words the agent reads out and the caller sees on their phone.
    binding_message: Option<String>,
    expires_at_ms: i64,
}

impl From<&Verification> for VerificationView {
    fn from(v: &Verification) -> Self {
        Self {
            id: v.id.clone(),
            caller_id: v.caller_id.clone(),
            method: v.method.clone(),
            status: v.status.clone(),
            binding_message: v.binding_message.clone(),
            expires_at_ms: v.expires_ms,
        }
    }
}

async fn audit_verification(
    state: &AppState,
    request: &AgentRequest,
    v: &Verification,
    what: &str,
) {
    let mut record = request.record(LOOKUP, what, Some(&v.caller_id));
    record.verified_by = Some(v.verified_by());
    record.reason = Some(v.reason.clone());
    record.ticket = v.ticket.clone();
    record.outcome = Some(v.status.clone());
    if let Err(e) = state.audit(record, None).await {
        tracing::error!(error = %e, "a verification could not be audited");
    }
}

#[utoipa::path(post, path = "/v1/callers/{user_id}/verifications", request_body = ChecklistBody,
    params(("Idempotency-Key" = String, Header, description = "one per verification")),
    responses((status = 201, body = VerificationView), (status = 400, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:act"])))]
pub async fn checklist(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ChecklistBody>,
) -> Response {
    let what = format!(
        "verify {user_id} {}",
        serde_json::to_string(&body).unwrap_or_default()
    );
    idempotent::once(&state, &request, &headers, &what, async {
        let (status, Json(view)) =
            record_checklist(&state, &request, user_id.clone(), body).await?;
        Ok((status, serde_json::to_value(view).unwrap_or_default()))
    })
    .await
}

async fn record_checklist(
    state: &AppState,
    request: &AgentRequest,
    user_id: String,
    body: ChecklistBody,
) -> Result<(StatusCode, Json<VerificationView>), ApiError> {
    request
        .require(state, Permission::Act, "verify_caller", Some(&user_id))
        .await?;
    let id = UserId::parse(&user_id)?;
    let checked =
        CallerVerification::record(&id, body.method, &body.detail, &body.reason, &body.ticket)?;
    let now = now_ms();
    let v = Verification {
        id: new_id("ver"),
        agent_sub: request.agent.sub.clone(),
        caller_id: user_id,
        method: checked.method().as_str().to_owned(),
        detail: checked.detail().map(str::to_owned),
        reason: checked.reason().as_str().to_owned(),
        ticket: checked.ticket().map(|t| t.as_str().to_owned()),
        status: store::VERIFIED.into(),
        auth_req_id: None,
        binding_message: None,
        created_ms: now,
        expires_ms: now + state.config.rules.verification_ttl().as_millis() as i64,
    };
    store::insert(&state.store, &v).await?;
    audit_verification(state, request, &v, "verify_caller").await;
    Ok((StatusCode::CREATED, Json((&v).into())))
}

#[utoipa::path(post, path = "/v1/callers/{user_id}/verifications/push", request_body = PushBody,
    params(("Idempotency-Key" = String, Header, description = "one per push: a retry sends no second push")),
    responses((status = 202, body = VerificationView), (status = 409, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:act"])))]
pub async fn push(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<PushBody>,
) -> Response {
    // A retried request must not send a second push to the caller's phone.
    let what = format!(
        "push {user_id} {}",
        serde_json::to_string(&body).unwrap_or_default()
    );
    idempotent::once(&state, &request, &headers, &what, async {
        let (status, Json(view)) = start_push(&state, &request, user_id.clone(), body).await?;
        Ok((status, serde_json::to_value(view).unwrap_or_default()))
    })
    .await
}

async fn start_push(
    state: &AppState,
    request: &AgentRequest,
    user_id: String,
    body: PushBody,
) -> Result<(StatusCode, Json<VerificationView>), ApiError> {
    request
        .require(state, Permission::Act, "verify_caller_push", Some(&user_id))
        .await?;
    let id = UserId::parse(&user_id)?;
    let reason = Reason::parse(&body.reason)?;
    let ticket = match body.ticket.trim() {
        "" => None,
        text => Some(TicketRef::parse(text)?),
    };
    // §S3.1: CIBA push needs a confirmed Guardian push enrollment; say so plainly rather
    // than let the tenant fall back to email or fail.
    let methods =
        crate::ops::timing::upstream(state.management.authentication_methods(&id)).await?;
    let has_push = methods
        .iter()
        .any(|m| m.kind == Some(MethodType::Push) && m.confirmed != Some(false));
    if !has_push {
        let error = ApiError::conflict(ErrorCode::PushNotEnrolled);
        return Err(request
            .refuse(state, "verify_caller_push", Some(&user_id), error)
            .await);
    }
    let message = binding_message();
    let started = crate::ops::timing::upstream(state.ciba.start(&user_id, &message))
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "CIBA start refused");
            match e {
                crate::ciba::CibaError::UnknownUser => ApiError::not_found(),
                crate::ciba::CibaError::Network(_) => ApiError::new(502, ErrorCode::Network),
                crate::ciba::CibaError::Refused(_) => {
                    ApiError::new(502, ErrorCode::UnexpectedResponse)
                }
            }
        })?;
    let now = now_ms();
    let v = Verification {
        id: new_id("ver"),
        agent_sub: request.agent.sub.clone(),
        caller_id: user_id,
        method: PUSH_METHOD.into(),
        detail: None,
        reason: reason.as_str().to_owned(),
        ticket: ticket.map(|t| t.as_str().to_owned()),
        status: store::PENDING.into(),
        auth_req_id: Some(started.auth_req_id),
        binding_message: Some(message),
        created_ms: now,
        expires_ms: now + started.expires_in.as_millis() as i64,
    };
    store::insert(&state.store, &v).await?;
    audit_verification(state, request, &v, "verify_caller_push").await;
    Ok((StatusCode::ACCEPTED, Json((&v).into())))
}

/// A verification as it stands; a pending push asks the tenant once for its answer.
#[utoipa::path(get, path = "/v1/verifications/{id}",
    responses((status = 200, body = VerificationView), (status = 404, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:act"])))]
pub async fn status(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(id): Path<String>,
) -> Result<Json<VerificationView>, ApiError> {
    request
        .require(&state, Permission::Act, "verification_status", None)
        .await?;
    let mut v = store::get(&state.store, &id)
        .await?
        .filter(|v| v.agent_sub == request.agent.sub)
        .ok_or_else(ApiError::not_found)?;
    if v.status == store::PENDING {
        let answer = match v.auth_req_id.as_deref() {
            Some(auth_req_id) => crate::ops::timing::upstream(state.ciba.poll(auth_req_id))
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "CIBA poll failed");
                    ApiError::new(502, ErrorCode::UnexpectedResponse)
                })?,
            None => PushAnswer::Expired,
        };
        let now = now_ms();
        let (status, expires) = match answer {
            PushAnswer::Pending if now < v.expires_ms => return Ok(Json((&v).into())),
            PushAnswer::Pending | PushAnswer::Expired => (store::EXPIRED, v.expires_ms),
            // §S3.3: Auth0 words a denial and an expiry alike; the request's own clock decides.
            PushAnswer::DeniedOrExpired if now >= v.expires_ms => (store::EXPIRED, v.expires_ms),
            PushAnswer::DeniedOrExpired => (store::DENIED, v.expires_ms),
            PushAnswer::Approved => (
                store::VERIFIED,
                now + state.config.rules.verification_ttl().as_millis() as i64,
            ),
        };
        if store::settle(&state.store, &v.id, status, expires).await? {
            v.status = status.into();
            v.expires_ms = expires;
            audit_verification(&state, &request, &v, "verify_caller_push").await;
        } else if let Some(settled) = store::get(&state.store, &v.id).await? {
            v = settled;
        }
    }
    Ok(Json((&v).into()))
}
