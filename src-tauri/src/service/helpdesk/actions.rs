//! The agent's actions on the open, verified caller, each with its audit line, and what the
//! caller should do next.

use mfa_core::helpdesk::{
    self, next_step, ActionDone, CallerMethods, HelpdeskAction, HelpdeskError,
};
use mfa_core::management::{MethodId, UserId};
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use tauri::{AppHandle, Runtime};

use super::session::IssuedCode;
use super::Helpdesk;
use crate::command_error::{AppError, CommandResult};
use crate::service::screen_guard;
use crate::views::helpdesk::ActionOutcomeView;
use crate::views::now_secs;

/// What the agent asked for, as the webview sends it.
pub enum ActionRequest {
    RemoveMethod { method_id: String },
    ResetAll { confirmation: String },
    IssueRecoveryCode,
    SendEnrollmentTicket { locale: Option<String> },
    ForgetBrowsers,
}

impl ActionRequest {
    fn into_action(self) -> Result<HelpdeskAction, HelpdeskError> {
        Ok(match self {
            Self::RemoveMethod { method_id } => {
                HelpdeskAction::RemoveMethod(MethodId::parse(&method_id)?)
            }
            Self::ResetAll { confirmation } => HelpdeskAction::ResetAll { confirmation },
            Self::IssueRecoveryCode => HelpdeskAction::IssueRecoveryCode,
            Self::SendEnrollmentTicket { locale } => HelpdeskAction::SendEnrollmentTicket {
                // Only the languages the app speaks; anything else leaves it to the tenant.
                locale: locale.filter(|l| mfa_core::settings::LANGUAGES.contains(&l.as_str())),
            },
            Self::ForgetBrowsers => HelpdeskAction::ForgetBrowsers,
        })
    }
}

impl Helpdesk {
    /// Performs an action on the open, verified caller, then reads their methods again and
    /// says what the caller should do next. A new recovery code stays in the agent's session,
    /// for this caller only, until it is handed over or the session ends.
    pub async fn act<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant_domain: &str,
        user_id: &str,
        request: ActionRequest,
    ) -> CommandResult<ActionOutcomeView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        let action = request.into_action()?;
        let log = self.audit()?;
        let outcome = self
            .with_session(async |session| {
                let caller = session.open_caller(&user_id)?;
                // Checked here too (and again in the core): the webview's disabled button is
                // a courtesy, this is the rule.
                let verification = session
                    .verification
                    .as_ref()
                    .ok_or(HelpdeskError::CallerNotVerified)?;
                let performed = helpdesk::perform(
                    &session.client,
                    log,
                    session.agent(),
                    verification,
                    &caller.user,
                    &action,
                )
                .await?;
                let stale = match session.client.authentication_methods(&user_id).await {
                    Ok(methods) => {
                        if let Some(open) = session.caller.as_mut() {
                            open.methods = CallerMethods::new(methods);
                        }
                        false
                    }
                    Err(error) => {
                        tracing::warn!(code = %error.code(), "methods not read again after an action");
                        true
                    }
                };
                let open = session.caller.as_ref().ok_or(AppError::CallerNotOpen)?;
                let account = open
                    .user
                    .email
                    .clone()
                    .unwrap_or_else(|| open.user.user_id.clone());
                let mut outcome = ActionOutcomeView {
                    action: action.kind(),
                    next_step: next_step(action.kind(), open.methods.standing()),
                    caller: session.caller_view()?,
                    methods_stale: stale,
                    audit_written: performed.audit_error.is_none(),
                    correlation_id: performed.correlation_id.to_string(),
                    recovery_code: None,
                };
                if let ActionDone::RecoveryCode(code) = performed.done {
                    let issued = IssuedCode::new(
                        user_id.clone(),
                        PendingRecoveryCode {
                            account,
                            code,
                            issued_at: now_secs(),
                            reason: IssuedFor::Helpdesk,
                        },
                    );
                    outcome.recovery_code = Some(issued.view(tenant_domain));
                    session.issued = Some(issued);
                    screen_guard::guard_screen(app, true);
                }
                Ok(outcome)
            })
            .await?;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ticket_languages_are_left_to_the_tenant() {
        let ticket = |locale: &str| match (ActionRequest::SendEnrollmentTicket {
            locale: Some(locale.into()),
        })
        .into_action()
        .unwrap()
        {
            HelpdeskAction::SendEnrollmentTicket { locale } => locale,
            _ => unreachable!(),
        };
        assert_eq!(ticket("fr").as_deref(), Some("fr"));
        assert_eq!(ticket("de"), None);
        assert!(matches!(
            (ActionRequest::RemoveMethod {
                method_id: "nope".into()
            })
            .into_action(),
            Err(HelpdeskError::Input(_))
        ));
    }
}
