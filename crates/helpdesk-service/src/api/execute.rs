//! Carrying an action out, written ahead: the `intent` row is committed before the Management
//! API call (an action that cannot be recorded is not taken), the `outcome` row after it. A
//! call whose answer was lost is recorded as `unknown`; a crash in between leaves an intent
//! without an outcome, which reads the same. Retries are the core client's: reads and
//! deletions once after a 429 with Auth0's wait, a regeneration never.

use mfa_core::helpdesk::{next_step, CallerMethods, CallerNextStep, Standing};
use mfa_core::management::{
    CorrelationId, EnrollmentTicketRequest, ManagementError, MethodId, User, UserId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, AppState};
use crate::actions::Action;
use crate::store::audit::{AppendError, AuditRecord, RecentCodeCheck, INTENT, OUTCOME};
use crate::store::now_ms;

/// An action's arguments, as stored with a pending approval.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default)]
    pub replace: bool,
}

/// Who asks, for whom, under which verification: what the audit rows carry.
pub struct Attribution {
    /// The row template (agent, caller, address) from the request.
    pub template: AuditRecord,
    pub verified_by: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub approval: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Done {
    /// `done`.
    pub status: String,
    #[schema(value_type = String)]
    pub action: Action,
    pub correlation_id: String,
    /// What to tell the caller next (`helpdesk.next.<step>` in the catalogues).
    #[schema(value_type = Option<String>)]
    pub next_step: Option<CallerNextStep>,
    /// The new recovery code, shown once to read out; absent when a retried request replays
    /// the answer (`replayed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

pub async fn carry_out(
    state: &AppState,
    caller: &User,
    action: Action,
    params: &Params,
    who: Attribution,
) -> Result<Done, ApiError> {
    let user_id = caller.id();
    let mut intent = who.template.clone();
    intent.kind = INTENT.into();
    intent.action = action.as_str().into();
    intent.caller_id = Some(user_id.as_str().to_owned());
    intent.caller_email = caller.email.clone();
    intent.method_id = params.method_id.clone();
    intent.verified_by = Some(who.verified_by);
    intent.reason = Some(who.reason);
    intent.ticket = who.ticket;
    intent.approval = who.approval;
    let correlation = CorrelationId::generate();
    intent.correlation_id = Some(correlation.as_str().to_owned());
    // "No surprise double codes": checked under the chain's lock, so two instances cannot
    // both issue one.
    let check = (action == Action::IssueRecoveryCode && !params.replace).then(|| RecentCodeCheck {
        caller_id: user_id.as_str().to_owned(),
        since_ms: now_ms() - state.config.rules.recovery_code_window_secs as i64 * 1000,
    });
    let intent_seq = match state.audit(intent.clone(), check.as_ref()).await {
        Ok(seq) => seq,
        Err(AppendError::RecentCode) => {
            return Err(ApiError::conflict(
                mfa_core::ErrorCode::RecoveryCodeRecentlyIssued,
            ))
        }
        Err(AppendError::Store(e)) => return Err(e.into()),
    };
    let result =
        crate::ops::timing::upstream(call(state, &user_id, action, params, &correlation)).await;
    let mut outcome = intent;
    outcome.kind = OUTCOME.into();
    outcome.at_ms = 0;
    outcome.intent_seq = Some(intent_seq);
    let (word, rate_limited) = match &result {
        Ok(_) => ("ok", false),
        Err(e) if e.outcome_unknown() => ("unknown", false),
        Err(e) => ("error", matches!(e, ManagementError::RateLimited { .. })),
    };
    state
        .metrics
        .management_call(action.as_str(), word, rate_limited);
    outcome.outcome = Some(word.into());
    outcome.error_code = result.as_ref().err().map(|e| e.code().as_str().to_owned());
    if let Err(e) = state.audit(outcome, None).await {
        // The intent stands: the history shows this action's outcome as unknown.
        tracing::error!(error = %e, seq = intent_seq, "the outcome row could not be written");
    }
    let (recovery_code, after) = result?;
    Ok(Done {
        status: "done".into(),
        action,
        correlation_id: correlation.as_str().to_owned(),
        next_step: action.core_kind().map(|kind| next_step(kind, after)),
        recovery_code,
        replayed: false,
    })
}

/// The Management API call(s) for `action`: the recovery code when one was issued, and
/// where the caller stands afterwards (for the next step).
async fn call(
    state: &AppState,
    user: &UserId,
    action: Action,
    params: &Params,
    correlation: &CorrelationId,
) -> Result<(Option<String>, Standing), ManagementError> {
    let m = &state.management;
    match action {
        Action::RemoveMethod => {
            let raw = params.method_id.as_deref().unwrap_or_default();
            let method = MethodId::parse(raw).map_err(|_| ManagementError::MethodNotFound)?;
            // What stays decides the next step (the core's rule).
            let before = CallerMethods::new(m.authentication_methods(user).await?);
            let after = before
                .removal(method.as_str())
                .map(|r| r.after)
                .ok_or(ManagementError::MethodNotFound)?;
            m.delete_authentication_method(user, &method, correlation)
                .await?;
            Ok((None, after))
        }
        Action::Reset => {
            m.delete_all_authentication_methods(user, correlation)
                .await?;
            Ok((None, Standing::NoMethods))
        }
        Action::IssueRecoveryCode => {
            let code = m.regenerate_recovery_code(user, correlation).await?;
            Ok((Some(code.expose().to_owned()), Standing::HoldsFactors))
        }
        Action::SendEnrollmentTicket => {
            let mut request = EnrollmentTicketRequest::new(user.clone());
            request.send_mail = true;
            request.email_locale = params.locale.clone();
            // The link went to the caller's mailbox; it is dropped here, never shown.
            m.create_enrollment_ticket(&request, correlation).await?;
            Ok((None, Standing::HoldsFactors))
        }
        Action::ForgetBrowsers => {
            m.invalidate_remembered_browsers(user, correlation).await?;
            Ok((None, Standing::HoldsFactors))
        }
        Action::EndSessions => {
            // §S4.2: ending sessions leaves refresh tokens alive; both go.
            m.delete_sessions(user, correlation).await?;
            m.delete_refresh_tokens(user, correlation).await?;
            Ok((None, Standing::HoldsFactors))
        }
        Action::Unblock => {
            // §S4.3: an admin block and brute-force blocks are separate; both are lifted.
            m.unblock_user(user, correlation).await?;
            m.delete_user_blocks(user, correlation).await?;
            Ok((None, Standing::HoldsFactors))
        }
    }
}
