//! The agent's actions on the open, verified caller, through the service (which checks the
//! verification, the permission and four eyes again, and writes the audit trail), and what
//! the caller should do next. A new recovery code stays in the agent's session, for this
//! caller only, until it is handed over or the session ends.

use mfa_core::helpdesk::{confirm_reset, HelpdeskError};
use mfa_core::helpdesk_service::{self as service, ActionAnswer, Done, ServiceAction};
use mfa_core::management::{CorrelationId, MethodId, UserId};
use tauri::{AppHandle, Runtime};

use super::session::HelpdeskSession;
use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::service::screen_guard;
use crate::views::helpdesk::{ActionOutcomeView, ApprovalView, OutcomeStatus};

/// What the agent asked for, as the webview sends it.
pub enum ActionRequest {
    RemoveMethod { method_id: String },
    Reset { confirmation: String },
    IssueRecoveryCode,
    SendEnrollmentTicket { locale: Option<String> },
    ForgetBrowsers,
    EndSessions,
    Unblock,
}

impl ActionRequest {
    /// The service's request, once the input is checked (nothing is sent otherwise).
    fn into_service(
        self,
        session: &HelpdeskSession,
        user_id: &UserId,
    ) -> CommandResult<service::ActionRequest> {
        let verification = session.verification_of(user_id)?.id.clone();
        let caller = session.open_caller(user_id)?;
        let request = |action| service::ActionRequest::new(action, verification.clone());
        Ok(match self {
            Self::RemoveMethod { method_id } => {
                let id = MethodId::parse(&method_id).map_err(HelpdeskError::from)?;
                let mut r = request(ServiceAction::RemoveMethod);
                r.method_id = Some(id.as_str().to_owned());
                r
            }
            Self::Reset { confirmation } => {
                // The core's rule, here so a mistyped confirmation sends nothing.
                confirm_reset(&caller.profile.user, &confirmation)?;
                let mut r = request(ServiceAction::Reset);
                r.confirmation = Some(confirmation.trim().to_owned());
                r
            }
            Self::IssueRecoveryCode => request(ServiceAction::IssueRecoveryCode),
            Self::SendEnrollmentTicket { locale } => {
                let mut r = request(ServiceAction::SendEnrollmentTicket);
                // Only the languages the app speaks; anything else leaves it to the tenant.
                r.locale = locale.filter(|l| mfa_core::settings::LANGUAGES.contains(&l.as_str()));
                r
            }
            Self::ForgetBrowsers => request(ServiceAction::ForgetBrowsers),
            Self::EndSessions => request(ServiceAction::EndSessions),
            Self::Unblock => request(ServiceAction::Unblock),
        })
    }
}

impl Helpdesk {
    /// Performs an action on the open, verified caller, then reads them again.
    pub async fn act<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant_domain: &str,
        user_id: &str,
        request: ActionRequest,
    ) -> CommandResult<ActionOutcomeView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            let request = request.into_service(session, &user_id)?;
            let key = CorrelationId::generate();
            let answer = session.client.act(&user_id, &request, key.as_str()).await;
            if let Err(error) = &answer {
                session.forget_lapsed_verification(error);
            }
            let answer = answer?;
            let stale = session.reread(&user_id).await;
            match answer {
                ActionAnswer::Done(done) => {
                    let mut view = done_view(session, &user_id, &done, stale)?;
                    if let Some(code) = session.issue(&user_id, done.recovery_code)? {
                        view.recovery_code = Some(code.view(tenant_domain));
                        session.issued = Some(code);
                        screen_guard::guard_screen(app, true);
                    }
                    Ok(view)
                }
                ActionAnswer::PendingApproval(pending) => {
                    let approval = match session.client.approval(&pending.approval_id).await {
                        Ok(approval) => ApprovalView::new(&approval, session.agent().sub()),
                        Err(_) => ApprovalView::just_asked(&pending, request.action, &user_id),
                    };
                    Ok(ActionOutcomeView {
                        status: OutcomeStatus::PendingApproval,
                        action: request.action,
                        next_step: None,
                        caller: session.caller_view()?,
                        methods_stale: stale,
                        correlation_id: None,
                        recovery_code: None,
                        approval: Some(approval),
                    })
                }
            }
        })
        .await
    }
}

fn done_view(
    session: &HelpdeskSession,
    _user_id: &UserId,
    done: &Done,
    stale: bool,
) -> CommandResult<ActionOutcomeView> {
    Ok(ActionOutcomeView {
        status: OutcomeStatus::Done,
        action: done.action,
        next_step: done.next_step,
        caller: session.caller_view()?,
        methods_stale: stale,
        correlation_id: Some(done.correlation_id.clone()),
        recovery_code: None,
        approval: None,
    })
}
