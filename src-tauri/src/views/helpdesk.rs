//! What helpdesk mode's screens are given: plain data about the caller and the agent's
//! session. No token, no client secret and no enrollment link ever appears here; the one
//! secret is a recovery code just issued, for the export dialog.

use mfa_core::helpdesk::{CallerMethods, CallerNextStep, Standing, VerificationMethod};
use mfa_core::helpdesk_service::{CallerProfile, ServiceAction, VerificationStatus};
use mfa_core::management::User;
use serde::Serialize;

use super::RecoveryCodeView;

pub use super::helpdesk_flow::*;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskStatusView {
    pub demo: bool,
    /// The agent's helpdesk session, while it lasts.
    pub session: Option<HelpdeskSessionView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskSessionView {
    /// The agent's email (their `sub` when the sign-in carried none).
    pub agent: String,
    pub idle_expires_at: u64,
    /// When the agent's sign-in runs out (they sign in again; the screen stays).
    pub token_expires_at: u64,
    pub permissions: Vec<PermissionView>,
    pub can_approve: bool,
}

impl HelpdeskSessionView {
    pub fn new(
        agent: &str,
        idle_expires_at: u64,
        token_expires_at: u64,
        has: impl Fn(&str) -> bool,
    ) -> Self {
        Self {
            agent: agent.to_owned(),
            idle_expires_at,
            token_expires_at,
            permissions: PermissionView::all(&has),
            can_approve: has(APPROVE),
        }
    }
}

/// Who a found account is, so the agent can match it with the caller.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerSummaryView {
    pub user_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub connection: Option<String>,
    pub created_at: Option<u64>,
    pub last_login: Option<u64>,
    pub logins_count: Option<u64>,
    pub blocked: bool,
    /// Found only once the email was lower-cased.
    pub matched_lower_case: bool,
}

impl CallerSummaryView {
    pub fn new(user: &User, matched_lower_case: bool) -> Self {
        Self {
            user_id: user.user_id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified,
            connection: user.identities.first().and_then(|i| i.connection.clone()),
            created_at: epoch(user.created_at.as_deref()),
            last_login: epoch(user.last_login.as_deref()),
            logins_count: user.logins_count,
            blocked: user.blocked == Some(true),
            matched_lower_case,
        }
    }
}

/// One of the caller's methods, with what removing it takes and leaves.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodView {
    #[serde(flatten)]
    pub method: MethodRefView,
    pub created_at: Option<u64>,
    pub last_used_at: Option<u64>,
    pub confirmed: bool,
    /// MFA API entries that go with it (`sms`, `voice`).
    pub channels: Vec<String>,
    /// The caller's other methods, which a removal leaves.
    pub remaining: Vec<MethodRefView>,
    pub after_removal: Standing,
}

/// How the service recorded the caller as verified, and until when (its clock).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationView {
    /// A checklist method, or `push`.
    pub method: VerifiedMethod,
    pub detail: Option<String>,
    pub reason: String,
    pub ticket: Option<String>,
    pub expires_at: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum VerifiedMethod {
    Checklist(VerificationMethod),
    Push(PushMethod),
}

/// Serialized as `push`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PushMethod {
    Push,
}

/// The caller's screen: who, their methods and standing, the verification, what the agent
/// may do, and a stolen-phone playbook in progress.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerView {
    pub user: CallerSummaryView,
    pub methods: Vec<MethodView>,
    pub standing: Standing,
    pub held_factors: Vec<MethodRefView>,
    pub has_recovery_code: bool,
    pub blocked: bool,
    pub verification: Option<VerificationView>,
    /// The ways to verify a caller by the checklist, strongest first, for the form.
    pub verification_methods: Vec<VerificationMethod>,
    pub actions: Vec<ActionView>,
    pub playbook: Option<PlaybookView>,
    pub idle_expires_at: u64,
}

impl CallerView {
    pub fn new(
        profile: &CallerProfile,
        methods: &CallerMethods,
        verification: Option<VerificationView>,
        has: impl Fn(&str) -> bool,
        playbook: Option<PlaybookView>,
        idle_expires_at: u64,
    ) -> Self {
        let views = methods
            .methods
            .iter()
            .filter_map(|m| methods.removal(&m.id))
            .map(|removal| MethodView {
                method: MethodRefView::new(removal.method),
                created_at: epoch(removal.method.created_at.as_deref()),
                last_used_at: epoch(removal.method.last_auth_at.as_deref()),
                confirmed: removal.method.confirmed != Some(false),
                channels: removal.channels.clone(),
                remaining: removal
                    .remaining
                    .iter()
                    .map(|m| MethodRefView::new(m))
                    .collect(),
                after_removal: removal.after,
            })
            .collect();
        let mut user = CallerSummaryView::new(&profile.user, false);
        user.blocked |= profile.blocked;
        Self {
            user,
            methods: views,
            standing: profile.standing,
            held_factors: methods.held_factors().map(MethodRefView::new).collect(),
            has_recovery_code: profile.has_recovery_code,
            blocked: profile.blocked,
            verification,
            verification_methods: VerificationMethod::all().collect(),
            actions: ActionView::all(&has),
            playbook,
            idle_expires_at,
        }
    }
}

/// A push to the caller's phone and where it stands.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushView {
    pub status: VerificationStatus,
    /// The words the agent reads out and the caller sees on their phone.
    pub binding_message: String,
    pub expires_at: u64,
    /// Once the caller approved: the caller, verified.
    pub caller: Option<CallerView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OutcomeStatus {
    Done,
    PendingApproval,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcomeView {
    pub status: OutcomeStatus,
    pub action: ServiceAction,
    /// What the agent tells the caller to do now (not for ending sessions or unblocking).
    pub next_step: Option<CallerNextStep>,
    pub caller: CallerView,
    /// The caller could not be read again; the methods shown are those before the action.
    pub methods_stale: bool,
    pub correlation_id: Option<String>,
    pub recovery_code: Option<RecoveryCodeView>,
    /// The request waiting for another agent's approval.
    pub approval: Option<ApprovalView>,
}
