//! A stolen-phone playbook as far as it went, in the agent's session: the core's plan, each
//! step's method as it was when planned, and the step that failed last.

use mfa_core::helpdesk::CallerNextStep;
use mfa_core::helpdesk_service::Playbook;
use mfa_core::ErrorCode;

use crate::views::helpdesk::{MethodRefView, PlaybookView, StepView};
use crate::views::RecoveryCodeView;

/// The playbook for the open caller, as far as it went.
pub struct RunningPlaybook {
    pub plan: Playbook,
    /// Each step's method as it was when planned (a removed one is no longer listed).
    pub methods: Vec<Option<(MethodRefView, Vec<String>)>>,
    pub resumed: bool,
    /// The step that failed last and why, until it is tried again.
    pub failed: Option<(usize, ErrorCode)>,
    pub next_step: Option<CallerNextStep>,
}

impl RunningPlaybook {
    pub fn view(&self, recovery_code: Option<RecoveryCodeView>) -> PlaybookView {
        let steps = self
            .plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let failed = self.failed.filter(|(at, _)| *at == i).map(|(_, code)| code);
                StepView::new(step.action, step.status, self.methods[i].clone(), failed)
            })
            .collect();
        PlaybookView {
            steps,
            finished: self.plan.finished(),
            resumed: self.resumed,
            recovery_code,
            next_step: self.next_step,
        }
    }
}
