//! The `/v1` API's bodies as the helpdesk service sends and takes them
//! (`crates/helpdesk-service/src/api/`). Serializable too, so a front end can hand them on
//! (`mfa-desk-admin --json`).

use serde::{Deserialize, Serialize};

use crate::helpdesk::{CallerNextStep, Standing, VerificationMethod};
use crate::input::RecoveryCode;
use crate::management::{AuthenticationMethod, User};

/// `GET /v1/callers?email=|user_id=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Found {
    pub users: Vec<User>,
    /// The email as typed matched nothing; lower-cased, it matched these.
    #[serde(default)]
    pub matched_lower_case: bool,
}

/// `GET /v1/callers/{user_id}`: the caller, their methods and where they stand.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallerProfile {
    pub user: User,
    pub methods: Vec<AuthenticationMethod>,
    pub standing: Standing,
    pub has_recovery_code: bool,
    pub blocked: bool,
}

/// One of `GET /v1/callers/{user_id}/events`, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallerEvent {
    pub date: Option<String>,
    /// Auth0's event code (`gd_auth_failed`).
    #[serde(rename = "type")]
    pub kind: String,
    /// What happened, in plain words.
    pub words: String,
    pub description: Option<String>,
    pub client_name: Option<String>,
}

/// `POST /v1/callers/{user_id}/verifications`: how the agent checked who is calling.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub method: VerificationMethod,
    /// Required for `other`.
    pub detail: String,
    pub reason: String,
    pub ticket: String,
}

/// A verification of one caller by one agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verification {
    pub id: String,
    pub caller_id: String,
    /// A checklist method, or `push`.
    pub method: String,
    pub status: VerificationStatus,
    /// For a push: the words the agent reads out and the caller sees on their phone.
    pub binding_message: Option<String>,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    Verified,
    /// A push sent, not answered yet.
    Pending,
    Denied,
    Expired,
}

/// The changes `POST /v1/callers/{user_id}/actions` carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ServiceAction {
    RemoveMethod,
    Reset,
    IssueRecoveryCode,
    SendEnrollmentTicket,
    ForgetBrowsers,
    EndSessions,
    Unblock,
}

impl ServiceAction {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One action's body.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRequest {
    pub action: ServiceAction,
    pub verification_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method_id: Option<String>,
    /// `reset`: the caller's email or user id as the agent typed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<String>,
    /// `issue_recovery_code`: replaces one issued moments ago.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
    /// `send_enrollment_ticket`: the email's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl ActionRequest {
    pub fn new(action: ServiceAction, verification_id: impl Into<String>) -> Self {
        Self {
            action,
            verification_id: verification_id.into(),
            method_id: None,
            confirmation: None,
            replace: false,
            locale: None,
        }
    }
}

/// An action carried out. Not `Clone`: it may carry a recovery code, and one copy is enough.
#[derive(Debug, Serialize, Deserialize)]
pub struct Done {
    pub action: ServiceAction,
    pub correlation_id: String,
    /// What to tell the caller next.
    pub next_step: Option<CallerNextStep>,
    /// A new recovery code, shown once; absent when the answer is a replay.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::input::optional_recovery_code_wire"
    )]
    pub recovery_code: Option<RecoveryCode>,
    /// This answer repeats one given before for the same idempotency key: nothing was done
    /// again.
    #[serde(default)]
    pub replayed: bool,
}

/// An action waiting for another agent (four eyes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub approval_id: String,
    pub expires_at_ms: i64,
    #[serde(default)]
    pub replayed: bool,
}

/// What an action request came to.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ActionAnswer {
    Done(Done),
    PendingApproval(Pending),
}

/// An approval request (four eyes), with what an approver weighs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Approval {
    pub id: String,
    pub action: ServiceAction,
    pub caller_id: String,
    /// The action's arguments as JSON text (`{"method_id":…}`).
    pub params: String,
    pub requested_sub: String,
    pub requested_email: Option<String>,
    pub verification_id: String,
    pub status: ApprovalStatus,
    pub decided_sub: Option<String>,
    pub decided_email: Option<String>,
    pub decision_reason: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
    #[serde(default)]
    pub caller_email: Option<String>,
    /// How the caller was verified (`push`, `photo_id_video_call: badge 4411`).
    #[serde(default)]
    pub verified_by: Option<String>,
    /// Why the requesting agent acts, and their ticket.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub ticket: Option<String>,
}

impl Approval {
    /// The method a `remove_method` request is about.
    pub fn method_id(&self) -> Option<String> {
        let params: serde_json::Value = serde_json::from_str(&self.params).ok()?;
        params.get("method_id")?.as_str().map(str::to_owned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Refused,
    Expired,
}

/// One row of the service's audit trail (`GET /v1/audit`), newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at_ms: i64,
    /// `intent`, `outcome`, `lookup`, `refusal` or `approval`.
    pub kind: String,
    pub agent_sub: String,
    pub agent_email: Option<String>,
    pub caller_id: Option<String>,
    pub caller_email: Option<String>,
    pub action: String,
    pub method_id: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub verified_by: Option<String>,
    pub approval: Option<String>,
    pub outcome: Option<String>,
    pub error_code: Option<String>,
    pub correlation_id: Option<String>,
}

/// Which audit rows to read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// The helpdesk API's permissions (RBAC), as agents' tokens carry them.
pub mod permission {
    /// Looking up callers, their events and the audit trail.
    pub const READ: &str = "helpdesk:read";
    /// Changing a caller's account.
    pub const ACT: &str = "helpdesk:act";
    /// A full reset.
    pub const RESET: &str = "helpdesk:reset";
    /// Deciding another agent's request.
    pub const APPROVE: &str = "helpdesk:approve";
    /// Every one, in the order screens list them.
    pub const ALL: [&str; 4] = [READ, ACT, RESET, APPROVE];
}

impl ServiceAction {
    /// The permission carrying it out takes: `helpdesk:reset` for a reset, `helpdesk:act`
    /// for every other change.
    pub fn permission(self) -> &'static str {
        match self {
            Self::Reset => permission::RESET,
            _ => permission::ACT,
        }
    }

    /// The core's helpdesk action, for its next-step rule (ending sessions and unblocking
    /// have none).
    pub fn core_kind(self) -> Option<crate::helpdesk::ActionKind> {
        use crate::helpdesk::ActionKind;
        match self {
            Self::RemoveMethod => Some(ActionKind::RemoveMethod),
            Self::Reset => Some(ActionKind::ResetAll),
            Self::IssueRecoveryCode => Some(ActionKind::IssueRecoveryCode),
            Self::SendEnrollmentTicket => Some(ActionKind::SendEnrollmentTicket),
            Self::ForgetBrowsers => Some(ActionKind::ForgetBrowsers),
            Self::EndSessions | Self::Unblock => None,
        }
    }
}
