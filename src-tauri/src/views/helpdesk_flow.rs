//! What helpdesk mode's screens are given about the agent's powers and the flows through the
//! helpdesk service: the actions and why one is not offered, a push to the caller's phone,
//! an action's outcome, four eyes, the stolen-phone playbook, recent events and the history.

use mfa_core::helpdesk::{CallerNextStep, VerificationMethod};
use mfa_core::helpdesk_service::{
    permission, Approval, ApprovalStatus, AuditRow, CallerEvent, EventKind, Pending, ServiceAction,
    StepStatus,
};
use mfa_core::management::UserId;
use mfa_core::ErrorCode;
use serde::Serialize;

use mfa_core::management::{AuthenticationMethod, MethodType};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::RecoveryCodeView;

pub use permission::APPROVE;

/// An ISO 8601 time from Auth0 as Unix seconds, for the UI to format in its language.
pub(super) fn epoch(text: Option<&str>) -> Option<u64> {
    let parsed = OffsetDateTime::parse(text?, &Rfc3339).ok()?;
    u64::try_from(parsed.unix_timestamp()).ok()
}

/// A method named briefly: its kind and masked detail.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodRefView {
    pub id: String,
    pub kind: MethodType,
    pub detail: Option<String>,
}

impl MethodRefView {
    pub fn new(method: &AuthenticationMethod) -> Self {
        Self {
            id: method.id.clone(),
            kind: method
                .kind
                .clone()
                .unwrap_or_else(|| MethodType::Other("unknown".into())),
            detail: method.detail().map(str::to_owned),
        }
    }
}

/// One permission and whether the agent's sign-in carries it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionView {
    pub permission: &'static str,
    pub granted: bool,
}

impl PermissionView {
    pub fn all(has: &impl Fn(&str) -> bool) -> Vec<Self> {
        permission::ALL
            .into_iter()
            .map(|permission| Self {
                permission,
                granted: has(permission),
            })
            .collect()
    }
}

/// One action on the caller's screen, and why it is not offered when it is not.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionView {
    pub action: ServiceAction,
    pub allowed: bool,
    /// The permission the agent's sign-in lacks.
    pub missing_permission: Option<&'static str>,
    /// Asked for, it waits for an agent with `helpdesk:approve`.
    pub needs_approval: bool,
}

/// The order actions are offered in: the short-lived, non-weakening ones first.
const ACTIONS: [ServiceAction; 7] = [
    ServiceAction::IssueRecoveryCode,
    ServiceAction::SendEnrollmentTicket,
    ServiceAction::ForgetBrowsers,
    ServiceAction::EndSessions,
    ServiceAction::Unblock,
    ServiceAction::Reset,
    ServiceAction::RemoveMethod,
];

impl ActionView {
    pub fn all(has: &impl Fn(&str) -> bool) -> Vec<Self> {
        ACTIONS
            .into_iter()
            .map(|action| {
                let needed = action.permission();
                // Without `helpdesk:reset`, an agent who may act asks for a reset instead.
                let asks = needed == permission::RESET && !has(needed) && has(permission::ACT);
                let allowed = has(needed) || asks;
                Self {
                    action,
                    allowed,
                    missing_permission: (!allowed).then_some(needed),
                    needs_approval: asks,
                }
            })
            .collect()
    }
}

/// One of the caller's recent events.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    pub at: Option<u64>,
    pub kind: EventKind,
    /// Auth0's log code (`gd_auth_failed`).
    pub code: String,
    pub description: Option<String>,
    pub app: Option<String>,
}

impl EventView {
    pub fn new(event: &CallerEvent) -> Self {
        Self {
            at: epoch(event.date.as_deref()),
            kind: EventKind::of(&event.kind),
            code: event.kind.clone(),
            description: event.description.clone(),
            app: event.client_name.clone(),
        }
    }
}

/// A four-eyes request.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalView {
    pub id: String,
    pub action: ServiceAction,
    pub caller_id: String,
    pub caller_email: Option<String>,
    pub method_id: Option<String>,
    pub requested_by: String,
    /// Asked by the agent looking: never theirs to approve.
    pub mine: bool,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub verified_by: Option<String>,
    pub status: ApprovalStatus,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub created_at: u64,
    pub expires_at: u64,
    /// Once approved, for the requesting agent: what to tell the caller now.
    pub next_step: Option<CallerNextStep>,
}

fn secs(ms: i64) -> u64 {
    u64::try_from(ms / 1000).unwrap_or_default()
}

impl ApprovalView {
    /// `me`: the looking agent's `sub`.
    pub fn new(approval: &Approval, me: &str) -> Self {
        Self {
            id: approval.id.clone(),
            action: approval.action,
            caller_id: approval.caller_id.clone(),
            caller_email: approval.caller_email.clone(),
            method_id: approval.method_id(),
            requested_by: approval
                .requested_email
                .clone()
                .unwrap_or_else(|| approval.requested_sub.clone()),
            mine: approval.requested_sub == me,
            reason: approval.reason.clone(),
            ticket: approval.ticket.clone(),
            verified_by: approval.verified_by.clone(),
            status: approval.status,
            decided_by: approval
                .decided_email
                .clone()
                .or_else(|| approval.decided_sub.clone()),
            decision_reason: approval.decision_reason.clone(),
            created_at: secs(approval.created_ms),
            expires_at: secs(approval.expires_ms),
            next_step: None,
        }
    }

    /// The agent's own request just made, when reading it back failed.
    pub fn just_asked(pending: &Pending, action: ServiceAction, caller: &UserId) -> Self {
        Self {
            id: pending.approval_id.clone(),
            action,
            caller_id: caller.as_str().to_owned(),
            caller_email: None,
            method_id: None,
            requested_by: String::new(),
            mine: true,
            reason: None,
            ticket: None,
            verified_by: None,
            status: ApprovalStatus::Pending,
            decided_by: None,
            decision_reason: None,
            created_at: super::now_secs(),
            expires_at: secs(pending.expires_at_ms),
            next_step: None,
        }
    }
}

/// Where one playbook step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepState {
    Planned,
    Sent,
    Done,
    AlreadyGone,
    PendingApproval,
    Failed,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub action: ServiceAction,
    pub method: Option<MethodRefView>,
    /// What removing the method takes with it (`sms`, `voice`).
    pub channels: Vec<String>,
    pub status: StepState,
    pub error: Option<ErrorCode>,
}

impl StepView {
    pub fn new(
        action: ServiceAction,
        status: StepStatus,
        method: Option<(MethodRefView, Vec<String>)>,
        failed: Option<ErrorCode>,
    ) -> Self {
        let (method, channels) = method.map_or((None, Vec::new()), |(m, c)| (Some(m), c));
        let status = match (failed, status) {
            (Some(_), _) => StepState::Failed,
            (None, StepStatus::Planned) => StepState::Planned,
            (None, StepStatus::Sent) => StepState::Sent,
            (None, StepStatus::Done) => StepState::Done,
            (None, StepStatus::AlreadyGone) => StepState::AlreadyGone,
            (None, StepStatus::PendingApproval) => StepState::PendingApproval,
        };
        Self {
            action,
            method,
            channels,
            status,
            error: failed,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookView {
    pub steps: Vec<StepView>,
    pub finished: bool,
    /// Carried on from an earlier, interrupted run.
    pub resumed: bool,
    pub recovery_code: Option<RecoveryCodeView>,
    pub next_step: Option<CallerNextStep>,
}

/// One row of the service's audit trail.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntryView {
    pub seq: i64,
    pub at: u64,
    /// `intent`, `outcome`, `lookup`, `refusal` or `approval`.
    pub kind: String,
    pub agent: String,
    pub caller_id: Option<String>,
    pub caller_email: Option<String>,
    pub action: String,
    pub method_id: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    /// The checklist method when the note starts with one (or `push`), and the rest.
    pub verified_method: Option<String>,
    pub verified_by: Option<String>,
    pub approval: Option<String>,
    pub outcome: Option<String>,
    pub error: Option<ErrorCode>,
    pub correlation_id: Option<String>,
}

impl HistoryEntryView {
    fn new(row: &AuditRow) -> Self {
        let (verified_method, verified_by) = match &row.verified_by {
            Some(text) => split_verification(text),
            None => (None, None),
        };
        Self {
            seq: row.seq,
            at: secs(row.at_ms),
            kind: row.kind.clone(),
            agent: row
                .agent_email
                .clone()
                .unwrap_or_else(|| row.agent_sub.clone()),
            caller_id: row.caller_id.clone(),
            caller_email: row.caller_email.clone(),
            action: row.action.clone(),
            method_id: row.method_id.clone(),
            reason: row.reason.clone(),
            ticket: row.ticket.clone(),
            verified_method,
            verified_by,
            approval: row.approval.clone(),
            outcome: row.outcome.clone(),
            error: row.error_code.as_deref().map(|c| {
                ErrorCode::iter()
                    .find(|e| e.as_str() == c)
                    .unwrap_or(ErrorCode::Unknown)
            }),
            correlation_id: row.correlation_id.clone(),
        }
    }
}

/// `photo_id_video_call: badge 4411` → the method and `badge 4411`; `push` stays a method.
fn split_verification(text: &str) -> (Option<String>, Option<String>) {
    let (head, rest) = text.split_once(": ").unwrap_or((text, ""));
    let known = head == "push" || VerificationMethod::all().any(|m| m.as_str() == head);
    if known {
        (
            Some(head.to_owned()),
            (!rest.is_empty()).then(|| rest.to_owned()),
        )
    } else {
        (None, Some(text.to_owned()))
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    /// Newest first.
    pub entries: Vec<HistoryEntryView>,
}

impl HistoryView {
    pub fn new(rows: &[AuditRow]) -> Self {
        Self {
            entries: rows.iter().map(HistoryEntryView::new).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_notes_split_into_method_and_words() {
        let split = |t| split_verification(t);
        assert_eq!(
            split("photo_id_video_call: badge 4411"),
            (
                Some("photo_id_video_call".into()),
                Some("badge 4411".into())
            )
        );
        assert_eq!(split("push"), (Some("push".into()), None));
        assert_eq!(
            split("callback to HR number"),
            (None, Some("callback to HR number".into()))
        );
    }

    #[test]
    fn auth0_times_become_unix_seconds() {
        assert_eq!(epoch(Some("2023-03-10T16:25:52.099Z")), Some(1_678_465_552));
        assert_eq!(epoch(Some("yesterday")), None);
        assert_eq!(epoch(None), None);
    }

    #[test]
    fn an_agent_who_may_act_asks_for_a_reset_and_a_reader_is_told_what_is_missing() {
        let agent = ActionView::all(&|p: &str| p == permission::READ || p == permission::ACT);
        let reset = agent
            .iter()
            .find(|a| a.action == ServiceAction::Reset)
            .unwrap();
        assert!(reset.allowed && reset.needs_approval);
        let reader = ActionView::all(&|p: &str| p == permission::READ);
        assert!(reader
            .iter()
            .all(|a| !a.allowed && a.missing_permission.is_some()));
        let lead = ActionView::all(&|_: &str| true);
        assert!(lead.iter().all(|a| a.allowed && !a.needs_approval));
    }
}
