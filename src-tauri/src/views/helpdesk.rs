//! What helpdesk mode's screens are given: plain data about the caller and the agent's
//! session. No token, no client secret and no enrollment link ever appears here; the one
//! secret is a recovery code just issued, for the export dialog.

use mfa_core::audit::{AuditAction, AuditEntry, AuditRecords, Outcome};
use mfa_core::helpdesk::{
    ActionKind, CallerMethods, CallerNextStep, CallerVerification, Capability, Standing,
    VerificationMethod,
};
use mfa_core::management::{AuthenticationMethod, MethodType, User};
use mfa_core::ErrorCode;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::RecoveryCodeView;

/// An ISO 8601 time from Auth0 as Unix seconds, for the UI to format in its language.
fn epoch(text: Option<&str>) -> Option<u64> {
    let parsed = OffsetDateTime::parse(text?, &Rfc3339).ok()?;
    u64::try_from(parsed.unix_timestamp()).ok()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskStatusView {
    pub demo: bool,
    /// This computer has the helpdesk application's secret (its value is never sent).
    pub secret_stored: bool,
    /// The agent signed in to helpdesk mode, if any, and when their session lapses.
    pub agent: Option<String>,
    pub idle_expires_at: Option<u64>,
    /// Helpdesk mode goes through the helpdesk service (no secret on this computer).
    pub through_service: bool,
    /// The agent signed in to the service, while their token lasts.
    pub service_agent: Option<super::helpdesk_agent::ServiceAgentView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskSessionView {
    pub agent: String,
    pub idle_expires_at: u64,
    pub capabilities: Vec<Capability>,
}

impl HelpdeskSessionView {
    pub fn new(agent: &str, idle_expires_at: u64, scopes: &[String]) -> Self {
        Self {
            agent: agent.to_owned(),
            idle_expires_at,
            capabilities: Capability::all(scopes),
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

/// A method named briefly: its kind and masked detail.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodRefView {
    pub id: String,
    pub kind: MethodType,
    pub detail: Option<String>,
}

impl MethodRefView {
    fn new(method: &AuthenticationMethod) -> Self {
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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationView {
    pub method: VerificationMethod,
    pub detail: Option<String>,
    pub reason: String,
    pub ticket: Option<String>,
}

/// The caller's screen: who, their methods and standing, the verification, what the agent
/// may do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerView {
    pub user: CallerSummaryView,
    pub methods: Vec<MethodView>,
    pub standing: Standing,
    pub held_factors: Vec<MethodRefView>,
    pub has_recovery_code: bool,
    pub verification: Option<VerificationView>,
    /// The ways to verify a caller, strongest first, for the form.
    pub verification_methods: Vec<VerificationMethod>,
    pub capabilities: Vec<Capability>,
    pub idle_expires_at: u64,
}

impl CallerView {
    pub fn new(
        user: &User,
        methods: &CallerMethods,
        verification: Option<&CallerVerification>,
        scopes: &[String],
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
        Self {
            user: CallerSummaryView::new(user, false),
            methods: views,
            standing: methods.standing(),
            held_factors: methods.held_factors().map(MethodRefView::new).collect(),
            has_recovery_code: methods.has_recovery_code(),
            verification: verification.map(|v| VerificationView {
                method: v.method(),
                detail: v.detail().map(str::to_owned),
                reason: v.reason().to_string(),
                ticket: v.ticket().map(ToString::to_string),
            }),
            verification_methods: VerificationMethod::all().collect(),
            capabilities: Capability::all(scopes),
            idle_expires_at,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcomeView {
    pub action: ActionKind,
    /// What the agent tells the caller to do now.
    pub next_step: CallerNextStep,
    pub caller: CallerView,
    /// The methods could not be read again; the list shown is the one before the action.
    pub methods_stale: bool,
    /// False when the change was made but its audit line could not be written.
    pub audit_written: bool,
    pub correlation_id: String,
    pub recovery_code: Option<RecoveryCodeView>,
}

/// One audit line for the History screen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntryView {
    pub time: Option<u64>,
    pub time_text: String,
    pub operator: String,
    pub action: AuditAction,
    pub user_id: String,
    pub user_email: Option<String>,
    pub method_id: Option<String>,
    pub ok: bool,
    pub error: Option<ErrorCode>,
    pub reason: String,
    pub ticket: Option<String>,
    /// The verification method's name when the note starts with one, and the rest.
    pub verified_method: Option<VerificationMethod>,
    pub verified_by: Option<String>,
    pub correlation_id: String,
}

impl HistoryEntryView {
    fn new(entry: &AuditEntry) -> Self {
        let verified = entry.verified_by.as_ref().map(|v| v.to_string());
        let (verified_method, verified_by) = match &verified {
            Some(text) => split_verification(text),
            None => (None, None),
        };
        Self {
            time: epoch(Some(&entry.time)),
            time_text: entry.time.clone(),
            operator: entry.operator.to_string(),
            action: entry.action,
            user_id: entry.user_id.to_string(),
            user_email: entry.user_email.clone(),
            method_id: entry.method_id.as_ref().map(ToString::to_string),
            ok: entry.outcome == Outcome::Ok,
            error: match &entry.outcome {
                Outcome::Error { error } => Some(*error),
                Outcome::Ok => None,
            },
            reason: entry.reason.to_string(),
            ticket: entry.ticket.as_ref().map(ToString::to_string),
            verified_method,
            verified_by,
            correlation_id: entry.correlation_id.to_string(),
        }
    }
}

/// `photo_id_video_call: badge 4411` → the method and `badge 4411`; a note written some other
/// way (by the command line's `--verified-by`) stays whole.
fn split_verification(text: &str) -> (Option<VerificationMethod>, Option<String>) {
    let (head, rest) = text.split_once(": ").unwrap_or((text, ""));
    match VerificationMethod::all().find(|m| m.as_str() == head) {
        Some(method) => (Some(method), (!rest.is_empty()).then(|| rest.to_owned())),
        None => (None, Some(text.to_owned())),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    /// Newest first.
    pub entries: Vec<HistoryEntryView>,
    pub unreadable_lines: Vec<usize>,
}

impl HistoryView {
    pub fn new(records: AuditRecords) -> Self {
        Self {
            entries: records
                .entries
                .iter()
                .rev()
                .map(HistoryEntryView::new)
                .collect(),
            unreadable_lines: records.unreadable_lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_notes_split_into_method_and_words() {
        assert_eq!(
            split_verification("photo_id_video_call: badge 4411"),
            (
                Some(VerificationMethod::PhotoIdVideoCall),
                Some("badge 4411".into())
            )
        );
        assert_eq!(
            split_verification("in_person"),
            (Some(VerificationMethod::InPerson), None)
        );
        assert_eq!(
            split_verification("callback to HR number"),
            (None, Some("callback to HR number".into()))
        );
    }

    #[test]
    fn auth0_times_become_unix_seconds() {
        assert_eq!(epoch(Some("2023-03-10T16:25:52.099Z")), Some(1_678_465_552));
        assert_eq!(epoch(Some("yesterday")), None);
        assert_eq!(epoch(None), None);
    }
}
