//! `POST /v1/callers/{user_id}/actions`: one change to a caller's account, under this agent's
//! unexpired verification of this caller, with an idempotency key. An action IT listed for
//! four eyes is stored as pending instead, and carried out when another agent approves it.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use mfa_core::helpdesk::confirm_reset;
use mfa_core::management::{User, UserId};
use mfa_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::execute::{carry_out, Attribution, Params};
use super::{idempotent, AgentRequest, ApiError, AppState};
use crate::actions::Action;
use crate::auth::Permission;
use crate::store::approvals::{self, Approval};
use crate::store::audit::LOOKUP;
use crate::store::verifications::{self, Verification};
use crate::store::{new_id, now_ms};

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[schema(value_type = String)]
    action: Action,
    /// The id from `POST …/verifications` (this agent's, for this caller, unexpired).
    verification_id: String,
    /// `remove_method`: the method's id.
    #[serde(default)]
    method_id: Option<String>,
    /// `reset`: the caller's email (or user id), typed by the agent.
    #[serde(default)]
    confirmation: Option<String>,
    /// `issue_recovery_code`: this code replaces one issued moments ago.
    #[serde(default)]
    replace: bool,
    /// `send_enrollment_ticket`: the email's language.
    #[serde(default)]
    locale: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Pending {
    /// `pending_approval`.
    status: &'static str,
    approval_id: String,
    expires_at_ms: i64,
}

/// This agent's verification of this caller, still valid; otherwise the refusal.
pub async fn valid_verification(
    state: &AppState,
    id: &str,
    agent_sub: &str,
    caller_id: &str,
) -> Result<Verification, ApiError> {
    let v = verifications::get(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::forbidden(ErrorCode::CallerNotVerified))?;
    if v.caller_id != caller_id || v.agent_sub != agent_sub {
        return Err(ApiError::forbidden(ErrorCode::VerificationOtherCaller));
    }
    if v.status == verifications::EXPIRED || now_ms() >= v.expires_ms {
        return Err(ApiError::forbidden(ErrorCode::VerificationExpired));
    }
    if v.status != verifications::VERIFIED {
        return Err(ApiError::forbidden(ErrorCode::CallerNotVerified));
    }
    Ok(v)
}

#[utoipa::path(post, path = "/v1/callers/{user_id}/actions", request_body = ActionBody,
    params(("Idempotency-Key" = String, Header, description = "one per change; a retry reuses it")),
    responses((status = 200, body = super::execute::Done), (status = 202, body = Pending),
        (status = 403, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:act", "helpdesk:reset"])))]
pub async fn act(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ActionBody>,
) -> Response {
    let what = format!(
        "act {user_id} {}",
        serde_json::to_string(&body).unwrap_or_default()
    );
    idempotent::once(&state, &request, &headers, &what, async {
        let caller = Some(user_id.as_str());
        let name = body.action.as_str();
        // An agent who may act but not reset may still ask for a reset: a lead approves it.
        let asks_for_approval = body.action.permission() != Permission::Act
            && !request.agent.has(body.action.permission())
            && request.agent.has(Permission::Act);
        if !asks_for_approval {
            request
                .require(&state, body.action.permission(), name, caller)
                .await?;
        }
        match decide(&state, &request, &user_id, &body, asks_for_approval).await {
            Ok(answer) => Ok(answer),
            // Refusals are audited; Auth0's own errors are in the outcome row already.
            Err(e)
                if e.status.as_u16() == 403
                    || e.status.as_u16() == 409
                    || e.status.as_u16() == 422 =>
            {
                Err(request.refuse(&state, name, caller, e).await)
            }
            Err(e) => Err(e),
        }
    })
    .await
}

async fn decide(
    state: &AppState,
    request: &AgentRequest,
    user_id: &str,
    body: &ActionBody,
    asks_for_approval: bool,
) -> Result<(StatusCode, serde_json::Value), ApiError> {
    let id = UserId::parse(user_id)?;
    let v = valid_verification(state, &body.verification_id, &request.agent.sub, user_id).await?;
    let caller: User = crate::ops::timing::upstream(state.management.user(&id)).await?;
    match body.action {
        Action::Reset => confirm_reset(&caller, body.confirmation.as_deref().unwrap_or(""))?,
        Action::SendEnrollmentTicket if caller.email.is_none() => {
            return Err(ApiError::new(422, ErrorCode::CallerHasNoEmail))
        }
        Action::RemoveMethod if body.method_id.is_none() => {
            return Err(ApiError::bad_request(ErrorCode::InvalidMethodId))
        }
        _ => {}
    }
    let params = Params {
        method_id: body.method_id.clone(),
        locale: body.locale.clone(),
        replace: body.replace,
    };
    if asks_for_approval || state.config.rules.four_eyes.contains(&body.action) {
        let now = now_ms();
        let approval = Approval {
            id: new_id("apr"),
            action: body.action.as_str().into(),
            caller_id: user_id.to_owned(),
            params: serde_json::to_string(&params).unwrap_or_default(),
            requested_sub: request.agent.sub.clone(),
            requested_email: request.agent.email.clone(),
            verification_id: v.id.clone(),
            status: approvals::PENDING.into(),
            decided_sub: None,
            decided_email: None,
            decision_reason: None,
            created_ms: now,
            expires_ms: now + state.config.rules.approval_ttl_secs as i64 * 1000,
        };
        approvals::insert(&state.store, &approval).await?;
        let mut record = request.record(LOOKUP, body.action.as_str(), Some(user_id));
        record.kind = "approval".into();
        record.caller_email = caller.email.clone();
        record.method_id = params.method_id.clone();
        record.verified_by = Some(v.verified_by());
        record.reason = Some(v.reason.clone());
        record.ticket = v.ticket.clone();
        record.approval = Some(format!("requested {}", approval.id));
        record.outcome = Some("pending_approval".into());
        state
            .audit(record, None)
            .await
            .map_err(|_| ApiError::internal())?;
        let pending = Pending {
            status: "pending_approval",
            approval_id: approval.id,
            expires_at_ms: approval.expires_ms,
        };
        return Ok((
            StatusCode::ACCEPTED,
            serde_json::to_value(pending).unwrap_or_default(),
        ));
    }
    let who = Attribution {
        template: request.record("", "", Some(user_id)),
        verified_by: v.verified_by(),
        reason: v.reason.clone(),
        ticket: v.ticket.clone(),
        approval: None,
    };
    let done = carry_out(state, &caller, body.action, &params, who).await?;
    Ok((
        StatusCode::OK,
        serde_json::to_value(done).unwrap_or_default(),
    ))
}
