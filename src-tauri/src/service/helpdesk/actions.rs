//! The agent's actions on the open, verified caller, each with its audit line, and what the
//! caller should do next.

use mfa_core::helpdesk::{
    self, next_step, ActionDone, CallerMethods, HelpdeskAction, HelpdeskError,
};
use mfa_core::management::{MethodId, UserId};
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use tauri::{AppHandle, Runtime};

use super::Helpdesk;
use crate::command_error::{AppError, CommandResult};
use crate::service::recovery_code::RecoveryCodes;
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
    /// says what the caller should do next. A new recovery code goes to the keyring before it
    /// is shown.
    pub async fn act<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        codes: &RecoveryCodes,
        user_id: &str,
        request: ActionRequest,
    ) -> CommandResult<ActionOutcomeView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        let action = request.into_action()?;
        let log = self.audit()?;
        let ((done, account), mut outcome) = self
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
                let open = session.caller.as_ref().ok_or(AppError::Internal)?;
                let outcome = ActionOutcomeView {
                    action: action.kind(),
                    next_step: next_step(action.kind(), open.methods.standing()),
                    caller: session.caller_view()?,
                    methods_stale: stale,
                    audit_written: performed.audit_error.is_none(),
                    correlation_id: performed.correlation_id.to_string(),
                    recovery_code: None,
                };
                let account = open
                    .user
                    .email
                    .clone()
                    .unwrap_or_else(|| open.user.user_id.clone());
                Ok(((performed.done, account), outcome))
            })
            .await?;
        if let ActionDone::RecoveryCode(code) = done {
            let pending = PendingRecoveryCode {
                account,
                code,
                issued_at: now_secs(),
                reason: IssuedFor::Helpdesk,
            };
            codes.keep(pending).await?;
            screen_guard::guard_screen(app, codes);
            outcome.recovery_code = codes.shown();
        }
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
