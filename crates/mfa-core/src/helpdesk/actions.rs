//! The five things an agent can do to a caller's MFA, each sent once to the Management API
//! and recorded in the audit log with the agent as operator, under the caller's verification.
//!
//! The order inside [`perform`] is the point: the verification must cover this caller, the
//! audit log is opened before anything is sent (an action that cannot be recorded is not
//! taken), and the outcome, success or failure, is appended after. A failed call changes
//! nothing on Auth0's side (each action is one request), so the caller's account is as it was.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use crate::audit::{AuditAction, AuditEntry, AuditError, AuditLog, Outcome};
use crate::input::RecoveryCode;
use crate::management::{CorrelationId, EnrollmentTicketRequest, ManagementClient, MethodId, User};

use super::verification::confirm_reset;
use super::{AgentIdentity, CallerVerification, HelpdeskError};

/// An action without its arguments: what the screens list, and what needs which scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ActionKind {
    RemoveMethod,
    ResetAll,
    IssueRecoveryCode,
    SendEnrollmentTicket,
    ForgetBrowsers,
}

impl ActionKind {
    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }

    /// The Management API scope the helpdesk application needs for it (spec §12.2).
    pub fn required_scope(self) -> &'static str {
        match self {
            Self::RemoveMethod | Self::ResetAll => "delete:authentication_methods",
            Self::IssueRecoveryCode | Self::ForgetBrowsers => "update:users",
            Self::SendEnrollmentTicket => "create:guardian_enrollment_tickets",
        }
    }

    pub fn audit_action(self) -> AuditAction {
        match self {
            Self::RemoveMethod => AuditAction::RemoveMethod,
            Self::ResetAll => AuditAction::ResetMethods,
            Self::IssueRecoveryCode => AuditAction::RegenerateRecoveryCode,
            Self::SendEnrollmentTicket => AuditAction::CreateEnrollmentTicket,
            Self::ForgetBrowsers => AuditAction::ForgetBrowsers,
        }
    }
}

/// Whether the helpdesk application's grant allows an action, and if not, what IT must add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capability {
    pub action: ActionKind,
    /// Empty when allowed.
    pub missing_scopes: Vec<&'static str>,
}

impl Capability {
    /// Every action, against the scopes Auth0 granted the application's token.
    pub fn all(granted: &[String]) -> Vec<Self> {
        ActionKind::all()
            .map(|action| {
                let scope = action.required_scope();
                Self {
                    action,
                    missing_scopes: if granted.iter().any(|g| g == scope) {
                        vec![]
                    } else {
                        vec![scope]
                    },
                }
            })
            .collect()
    }

    pub fn allowed(&self) -> bool {
        self.missing_scopes.is_empty()
    }
}

/// An action with what it needs.
#[derive(Debug, Clone)]
pub enum HelpdeskAction {
    RemoveMethod(MethodId),
    /// Every method goes; the agent typed the user's email to confirm.
    ResetAll {
        confirmation: String,
    },
    IssueRecoveryCode,
    /// Auth0 emails the caller an enrollment link (in `locale`, when given). The link itself
    /// is never shown to the agent: whoever holds it can enroll a factor for the caller.
    SendEnrollmentTicket {
        locale: Option<String>,
    },
    ForgetBrowsers,
}

impl HelpdeskAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::RemoveMethod(_) => ActionKind::RemoveMethod,
            Self::ResetAll { .. } => ActionKind::ResetAll,
            Self::IssueRecoveryCode => ActionKind::IssueRecoveryCode,
            Self::SendEnrollmentTicket { .. } => ActionKind::SendEnrollmentTicket,
            Self::ForgetBrowsers => ActionKind::ForgetBrowsers,
        }
    }

    fn method_id(&self) -> Option<&MethodId> {
        match self {
            Self::RemoveMethod(id) => Some(id),
            _ => None,
        }
    }
}

/// What a successful action produced.
#[derive(Debug)]
pub enum ActionDone {
    Changed,
    /// The caller's new recovery code: shown to the agent once, to read out.
    RecoveryCode(RecoveryCode),
}

#[derive(Debug)]
pub struct Performed {
    pub done: ActionDone,
    /// Sent as `X-Correlation-ID` and written to the audit log.
    pub correlation_id: CorrelationId,
    /// The change was made but its audit line could not be written.
    pub audit_error: Option<AuditError>,
}

/// Performs `action` on `caller`, as `agent`, under `verification`.
pub async fn perform(
    client: &ManagementClient,
    log: &AuditLog,
    agent: &AgentIdentity,
    verification: &CallerVerification,
    caller: &User,
    action: &HelpdeskAction,
) -> Result<Performed, HelpdeskError> {
    let user_id = caller.id();
    if !verification.covers(&user_id) {
        return Err(HelpdeskError::CallerNotVerified);
    }
    match action {
        HelpdeskAction::ResetAll { confirmation } => confirm_reset(caller, confirmation)?,
        HelpdeskAction::SendEnrollmentTicket { .. } if caller.email.is_none() => {
            return Err(HelpdeskError::NoEmailOnFile)
        }
        _ => {}
    }
    log.check_writable().await?;
    let correlation_id = CorrelationId::generate();
    let correlation = &correlation_id;
    let result = match action {
        HelpdeskAction::RemoveMethod(method) => client
            .delete_authentication_method(&user_id, method, correlation)
            .await
            .map(|()| ActionDone::Changed),
        HelpdeskAction::ResetAll { .. } => client
            .delete_all_authentication_methods(&user_id, correlation)
            .await
            .map(|()| ActionDone::Changed),
        HelpdeskAction::IssueRecoveryCode => client
            .regenerate_recovery_code(&user_id, correlation)
            .await
            .map(ActionDone::RecoveryCode),
        HelpdeskAction::SendEnrollmentTicket { locale } => {
            let mut request = EnrollmentTicketRequest::new(user_id.clone());
            request.send_mail = true;
            request.email_locale = locale.clone();
            client
                .create_enrollment_ticket(&request, correlation)
                .await
                // The link went to the caller's mailbox; it is dropped (and zeroized) here.
                .map(|_ticket| ActionDone::Changed)
        }
        HelpdeskAction::ForgetBrowsers => client
            .invalidate_remembered_browsers(&user_id, correlation)
            .await
            .map(|()| ActionDone::Changed),
    };
    let outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(error) => Outcome::Error {
            error: error.code(),
        },
    };
    let entry = AuditEntry::now(
        &verification.audit_context(agent.operator()),
        action.kind().audit_action(),
        &user_id,
        caller.email.as_deref(),
        action.method_id(),
        &correlation_id,
        outcome,
    );
    let audit_error = log.append(entry).await.err();
    match result {
        Ok(done) => Ok(Performed {
            done,
            correlation_id,
            audit_error,
        }),
        Err(error) => {
            if let Some(audit) = audit_error {
                tracing::warn!(code = %audit.code(), "the failed action's audit line was not written");
            }
            Err(error.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_name_the_scope_it_must_grant() {
        let read_only = [
            "read:users".to_owned(),
            "read:authentication_methods".to_owned(),
        ];
        let caps = Capability::all(&read_only);
        assert_eq!(caps.len(), 5);
        assert!(caps.iter().all(|c| !c.allowed()));
        let remove = &caps[0];
        assert_eq!(remove.action, ActionKind::RemoveMethod);
        assert_eq!(remove.missing_scopes, ["delete:authentication_methods"]);
        let full: Vec<String> = ActionKind::all()
            .map(|a| a.required_scope().to_owned())
            .collect();
        assert!(Capability::all(&full).iter().all(Capability::allowed));
    }
}
