//! Four eyes: the requests waiting, approving one (carried out at once, exactly once, by
//! the instance whose decision won) and refusing one with a reason. Nobody decides their own.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use mfa_core::management::{Reason, UserId};
use mfa_core::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::execute::{carry_out, Attribution, Params};
use super::{idempotent, AgentRequest, ApiError, AppState};
use crate::actions::Action;
use crate::auth::Permission;
use crate::store::approvals::{self, Approval};
use crate::store::audit::LOOKUP;
use crate::store::{now_ms, verifications};

/// An approval request with what an approver weighs: how the caller was verified and why
/// the agent acts (from the verification it was asked under), and the caller's email.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalDetail {
    #[serde(flatten)]
    approval: Approval,
    caller_email: Option<String>,
    /// `push`, `photo_id_video_call: badge 4411`, …
    verified_by: Option<String>,
    reason: Option<String>,
    ticket: Option<String>,
}

async fn detail(state: &AppState, approval: Approval) -> Result<ApprovalDetail, ApiError> {
    let v = verifications::get(&state.store, &approval.verification_id).await?;
    // The email is a courtesy for the screen: an approval still lists when Auth0 is slow.
    let caller_email = match UserId::parse(&approval.caller_id) {
        Ok(id) => crate::ops::timing::upstream(state.management.user(&id))
            .await
            .ok()
            .and_then(|user| user.email),
        Err(_) => None,
    };
    Ok(ApprovalDetail {
        caller_email,
        verified_by: v.as_ref().map(|v| v.verified_by()),
        reason: v.as_ref().map(|v| v.reason.clone()),
        ticket: v.and_then(|v| v.ticket),
        approval,
    })
}

#[utoipa::path(get, path = "/v1/approvals",
    responses((status = 200, body = Vec<ApprovalDetail>)), security(("agent" = ["helpdesk:approve"])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
) -> Result<Json<Vec<ApprovalDetail>>, ApiError> {
    request
        .require(&state, Permission::Approve, "list_approvals", None)
        .await?;
    approvals::expire(&state.store, now_ms()).await?;
    let mut list = Vec::new();
    for approval in approvals::pending(&state.store, now_ms()).await? {
        list.push(detail(&state, approval).await?);
    }
    Ok(Json(list))
}

/// One request, for the agent who asked (to see it decided) or an approver.
#[utoipa::path(get, path = "/v1/approvals/{id}",
    responses((status = 200, body = ApprovalDetail), (status = 404, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:read"])))]
pub async fn one(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(id): Path<String>,
) -> Result<Json<ApprovalDetail>, ApiError> {
    request
        .require(&state, Permission::Read, "read_approval", None)
        .await?;
    approvals::expire(&state.store, now_ms()).await?;
    let approval = approvals::get(&state.store, &id)
        .await?
        .filter(|a| a.requested_sub == request.agent.sub || request.agent.has(Permission::Approve))
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(detail(&state, approval).await?))
}

/// Why a decision cannot be made: not found, one's own, or no longer pending.
async fn decidable(
    state: &AppState,
    request: &AgentRequest,
    id: &str,
    what: &str,
) -> Result<Approval, ApiError> {
    request
        .require(state, Permission::Approve, what, None)
        .await?;
    let approval = approvals::get(&state.store, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let caller = Some(approval.caller_id.as_str());
    // Approving an action takes the permission the action itself needs.
    if let Some(action) = Action::parse(&approval.action) {
        request
            .require(state, action.permission(), what, caller)
            .await?;
    }
    if approval.requested_sub == request.agent.sub {
        let error = ApiError::forbidden(ErrorCode::SelfApproval);
        return Err(request.refuse(state, what, caller, error).await);
    }
    if approval.status != approvals::PENDING || now_ms() >= approval.expires_ms {
        let error = ApiError::conflict(ErrorCode::ApprovalClosed);
        return Err(request.refuse(state, what, caller, error).await);
    }
    Ok(approval)
}

#[utoipa::path(post, path = "/v1/approvals/{id}/approve",
    params(("Idempotency-Key" = String, Header, description = "one per decision")),
    responses((status = 200, body = super::execute::Done), (status = 403, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:approve"])))]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let what = format!("approve {id}");
    idempotent::once(&state, &request, &headers, &what, async {
        let approval = decidable(&state, &request, &id, "approve").await?;
        let action = Action::parse(&approval.action).ok_or_else(ApiError::internal)?;
        let params: Params = serde_json::from_str(&approval.params).unwrap_or_default();
        let caller_id = UserId::parse(&approval.caller_id)?;
        let caller = crate::ops::timing::upstream(state.management.user(&caller_id)).await?;
        let v = verifications::get(&state.store, &approval.verification_id)
            .await?
            .ok_or_else(ApiError::internal)?;
        let email = request.agent.email.as_deref();
        // The one conditional update decides who carries it out (two instances, one wins).
        let won = approvals::decide(
            &state.store,
            &id,
            approvals::APPROVED,
            &request.agent.sub,
            email,
            None,
            now_ms(),
        )
        .await?;
        if !won {
            let error = ApiError::conflict(ErrorCode::ApprovalClosed);
            return Err(request
                .refuse(&state, "approve", Some(&approval.caller_id), error)
                .await);
        }
        // The requester's row template, with the approver named in `approval`.
        let mut template = request.record("", "", Some(&approval.caller_id));
        template.agent_sub = approval.requested_sub.clone();
        template.agent_email = approval.requested_email.clone();
        let who = Attribution {
            template,
            verified_by: v.verified_by(),
            reason: v.reason.clone(),
            ticket: v.ticket.clone(),
            approval: Some(format!(
                "approved by {} ({})",
                email.unwrap_or(&request.agent.sub),
                approval.id
            )),
        };
        let done = carry_out(&state, &caller, action, &params, who).await?;
        Ok((
            StatusCode::OK,
            serde_json::to_value(done).unwrap_or_default(),
        ))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseBody {
    reason: String,
}

#[utoipa::path(post, path = "/v1/approvals/{id}/refuse", request_body = RefuseBody,
    params(("Idempotency-Key" = String, Header, description = "one per decision")),
    responses((status = 200, body = Approval), (status = 403, body = super::error::ErrorBody)),
    security(("agent" = ["helpdesk:approve"])))]
pub async fn refuse(
    State(state): State<Arc<AppState>>,
    request: AgentRequest,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<RefuseBody>,
) -> Response {
    let what = format!("refuse {id} {}", body.reason);
    idempotent::once(&state, &request, &headers, &what, async {
        let reason = Reason::parse(&body.reason)?;
        let approval = decidable(&state, &request, &id, "refuse").await?;
        let email = request.agent.email.as_deref();
        let won = approvals::decide(
            &state.store,
            &id,
            approvals::REFUSED,
            &request.agent.sub,
            email,
            Some(reason.as_str()),
            now_ms(),
        )
        .await?;
        if !won {
            return Err(ApiError::conflict(ErrorCode::ApprovalClosed));
        }
        let mut record = request.record(LOOKUP, &approval.action, Some(&approval.caller_id));
        record.kind = "approval".into();
        record.reason = Some(reason.as_str().to_owned());
        record.approval = Some(format!("refused ({})", approval.id));
        record.outcome = Some("refused".into());
        state
            .audit(record, None)
            .await
            .map_err(|_| ApiError::internal())?;
        let decided = approvals::get(&state.store, &id)
            .await?
            .ok_or_else(ApiError::internal)?;
        Ok((
            StatusCode::OK,
            serde_json::to_value(decided).unwrap_or_default(),
        ))
    })
    .await
}
