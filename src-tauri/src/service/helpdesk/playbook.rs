//! "Their phone was stolen" in the app: the core's plan for the open caller, previewed, then
//! run one step per command so the screen shows each outcome as it comes. A step that failed
//! is tried again by the next command, with the same idempotency key when its answer was
//! lost, so nothing done is done twice. The plan lives in the helpdesk session only.

use mfa_core::helpdesk::HelpdeskError;
use mfa_core::helpdesk_service::{ActionAnswer, FinalStep, Playbook, ServiceAction};
use mfa_core::management::{CorrelationId, UserId};
use mfa_core::ErrorCode;
use tauri::{AppHandle, Runtime};

use super::running::RunningPlaybook;
use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::service::screen_guard;
use crate::views::helpdesk::{MethodRefView, PlaybookView};

impl Helpdesk {
    /// The plan for the open caller (one in progress is carried on, never planned afresh).
    pub async fn playbook_plan(
        &self,
        user_id: &str,
        then: FinalStep,
    ) -> CommandResult<PlaybookView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            if let Some(running) = session.playbook.as_mut().filter(|p| !p.plan.finished()) {
                running.resumed = true;
                return Ok(running.view(None));
            }
            let open = session.open_caller(&user_id)?;
            let plan = Playbook::plan(&open.profile, &[], then);
            let methods = plan
                .steps
                .iter()
                .map(|step| {
                    let id = step.method_id.as_deref()?;
                    let removal = open.methods.removal(id)?;
                    Some((MethodRefView::new(removal.method), removal.channels.clone()))
                })
                .collect();
            let running = RunningPlaybook {
                plan,
                methods,
                resumed: false,
                failed: None,
                next_step: None,
            };
            let view = running.view(None);
            session.playbook = Some(running);
            Ok(view)
        })
        .await
    }

    /// Runs the next step not done, under the caller's verification.
    pub async fn playbook_step<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        tenant_domain: &str,
        user_id: &str,
    ) -> CommandResult<PlaybookView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            let verification = session.verification_of(&user_id)?.id.clone();
            let running = session
                .playbook
                .as_mut()
                .filter(|p| p.plan.caller_id == user_id.as_str())
                .ok_or(ErrorCode::InvalidRequest)?;
            let Some(index) = running.plan.next() else {
                return Ok(running.view(None));
            };
            let step = &mut running.plan.steps[index];
            let fresh = CorrelationId::generate().as_str().to_owned();
            let (request, key) = step.request(&verification, fresh);
            let answer = session.client.act(&user_id, &request, &key).await;
            let running = session.playbook.as_mut().ok_or(ErrorCode::InvalidRequest)?;
            running.plan.steps[index].record(&answer);
            running.failed = None;
            let mut code = None;
            match answer {
                Ok(ActionAnswer::Done(done)) => {
                    running.next_step = done.next_step.or(running.next_step);
                    code = done.recovery_code;
                }
                Ok(ActionAnswer::PendingApproval(_)) => {}
                Err(error) if !running.plan.steps[index].status.settled() => {
                    running.failed = Some((index, error.code()));
                    session.forget_lapsed_verification(&error);
                }
                Err(_) => {}
            }
            let finished = session.playbook.as_ref().is_some_and(|p| p.plan.finished());
            let changed_methods = request.action == ServiceAction::RemoveMethod;
            if finished || changed_methods {
                session.reread(&user_id).await;
            }
            let issued = session.issue(&user_id, code)?;
            let code_view = issued.as_ref().map(|c| c.view(tenant_domain));
            if let Some(issued) = issued {
                session.issued = Some(issued);
                screen_guard::guard_screen(app, true);
            }
            let running = session.playbook.as_ref().ok_or(ErrorCode::InvalidRequest)?;
            Ok(running.view(code_view))
        })
        .await
    }

    /// Forgets a plan for the open caller (one not started, or finished).
    pub async fn playbook_cancel(&self, user_id: &str) -> CommandResult<()> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            session.playbook = None;
            Ok(())
        })
        .await
    }
}
