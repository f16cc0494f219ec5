//! "Their phone was stolen": one plan for every front end. The thief must lose every way in
//! the phone gave, and the caller must get one back: end every session and refresh token,
//! remove the methods on the lost device, forget the browsers that skip MFA, then a new
//! recovery code (read out) or an enrollment email. Each step keeps the idempotency key it
//! was sent with, so carrying on after an interruption repeats nothing done: a step whose
//! answer was lost is sent again with the same key and the service answers what it did.

use serde::{Deserialize, Serialize};

use super::{ActionAnswer, ActionRequest, CallerProfile, ServiceAction, ServiceError};
use crate::error_code::ErrorCode;
use crate::management::model::MethodType;

/// The methods a phone holds, removed when the agent names none.
pub const PHONE_METHODS: [MethodType; 4] = [
    MethodType::Push,
    MethodType::Totp,
    MethodType::Phone,
    MethodType::Guardian,
];

/// What the playbook leaves the caller with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalStep {
    /// A new recovery code, read out once.
    RecoveryCode,
    /// An enrollment email to the address on file.
    EnrollmentEmail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Planned,
    /// Sent; its answer did not arrive. Carrying on sends the same key.
    Sent,
    Done,
    /// The method was gone already (removed by hand, or by a run whose answer was lost).
    AlreadyGone,
    /// Under four eyes: another agent carries it out when they approve.
    PendingApproval,
}

impl StepStatus {
    /// Nothing more to send for this step.
    pub fn settled(self) -> bool {
        matches!(self, Self::Done | Self::AlreadyGone | Self::PendingApproval)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub action: ServiceAction,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub method_id: Option<String>,
    pub status: StepStatus,
    /// Set once sent: the idempotency key and the verification it went with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub verification_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub approval_id: Option<String>,
}

impl Step {
    pub fn new(action: ServiceAction, method_id: Option<String>) -> Self {
        Self {
            action,
            method_id,
            status: StepStatus::Planned,
            key: None,
            verification_id: None,
            approval_id: None,
        }
    }

    /// The request to send under `verification_id`, with `fresh_key` used only when the
    /// step has none yet (a lost answer keeps its key). Marks the step sent.
    pub fn request(&mut self, verification_id: &str, fresh_key: String) -> (ActionRequest, String) {
        if self.status != StepStatus::Sent || self.key.is_none() {
            self.key = Some(fresh_key);
            self.verification_id = Some(verification_id.to_owned());
            self.status = StepStatus::Sent;
        }
        let mut request = ActionRequest::new(
            self.action,
            self.verification_id.clone().unwrap_or_default(),
        );
        request.method_id = self.method_id.clone();
        (request, self.key.clone().unwrap_or_default())
    }

    /// Records what the service answered. A refusal plans the step afresh (a new key next
    /// time); a lost answer keeps the key, so the next try cannot do it twice.
    pub fn record(&mut self, answer: &Result<ActionAnswer, ServiceError>) {
        self.status = match answer {
            Ok(ActionAnswer::Done(_)) => StepStatus::Done,
            Ok(ActionAnswer::PendingApproval(pending)) => {
                self.approval_id = Some(pending.approval_id.clone());
                StepStatus::PendingApproval
            }
            Err(ServiceError::Refused {
                code: ErrorCode::MethodNotFound,
                ..
            }) if self.action == ServiceAction::RemoveMethod => StepStatus::AlreadyGone,
            Err(ServiceError::Lost(_) | ServiceError::Timeout) => StepStatus::Sent,
            Err(_) => {
                self.key = None;
                StepStatus::Planned
            }
        };
    }
}

/// One caller's playbook, as far as it went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Playbook {
    pub caller_id: String,
    pub steps: Vec<Step>,
}

impl Playbook {
    /// The plan for `profile`: the `lost` methods, or every method a phone holds.
    pub fn plan(profile: &CallerProfile, lost: &[String], then: FinalStep) -> Self {
        let removed: Vec<String> = if lost.is_empty() {
            profile
                .methods
                .iter()
                .filter(|m| m.kind.as_ref().is_some_and(|k| PHONE_METHODS.contains(k)))
                .map(|m| m.id.clone())
                .collect()
        } else {
            lost.to_vec()
        };
        let mut steps = vec![Step::new(ServiceAction::EndSessions, None)];
        steps.extend(
            removed
                .into_iter()
                .map(|id| Step::new(ServiceAction::RemoveMethod, Some(id))),
        );
        steps.push(Step::new(ServiceAction::ForgetBrowsers, None));
        steps.push(Step::new(
            match then {
                FinalStep::RecoveryCode => ServiceAction::IssueRecoveryCode,
                FinalStep::EnrollmentEmail => ServiceAction::SendEnrollmentTicket,
            },
            None,
        ));
        Self {
            caller_id: profile.user.user_id.clone(),
            steps,
        }
    }

    /// The first step with something left to send.
    pub fn next(&self) -> Option<usize> {
        self.steps.iter().position(|s| !s.status.settled())
    }

    pub fn finished(&self) -> bool {
        self.next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpdesk::Standing;
    use crate::management::AuthenticationMethod;

    fn profile() -> CallerProfile {
        let method = |id: &str, kind: &str| -> AuthenticationMethod {
            serde_json::from_value(serde_json::json!({"id": id, "type": kind})).unwrap()
        };
        CallerProfile {
            user: serde_json::from_value(serde_json::json!({"user_id": "auth0|1"})).unwrap(),
            methods: vec![
                method("totp|dev_1", "totp"),
                method("email|dev_2", "email"),
                method("push|dev_3", "push"),
            ],
            standing: Standing::HoldsFactors,
            has_recovery_code: false,
            blocked: false,
        }
    }

    #[test]
    fn the_plan_removes_what_the_phone_held_and_ends_with_the_chosen_step() {
        let plan = Playbook::plan(&profile(), &[], FinalStep::RecoveryCode);
        let actions: Vec<_> = plan
            .steps
            .iter()
            .map(|s| (s.action, s.method_id.as_deref()))
            .collect();
        assert_eq!(
            actions,
            vec![
                (ServiceAction::EndSessions, None),
                (ServiceAction::RemoveMethod, Some("totp|dev_1")),
                (ServiceAction::RemoveMethod, Some("push|dev_3")),
                (ServiceAction::ForgetBrowsers, None),
                (ServiceAction::IssueRecoveryCode, None),
            ]
        );
    }

    #[test]
    fn a_lost_answer_keeps_its_key_and_a_refusal_gets_a_new_one() {
        let mut plan = Playbook::plan(
            &profile(),
            &["email|dev_2".into()],
            FinalStep::EnrollmentEmail,
        );
        let step = &mut plan.steps[1];
        let (_, first) = step.request("ver_1", "k1".into());
        step.record(&Err(ServiceError::Timeout));
        let (_, again) = step.request("ver_2", "k2".into());
        assert_eq!((first.as_str(), again.as_str()), ("k1", "k1"));
        step.record(&Err(ServiceError::Connect("down".into())));
        assert_eq!(step.status, StepStatus::Planned);
        let (request, fresh) = step.request("ver_2", "k3".into());
        assert_eq!(
            (fresh.as_str(), request.verification_id.as_str()),
            ("k3", "ver_2")
        );
        step.record(&Err(ServiceError::Refused {
            status: 404,
            code: ErrorCode::MethodNotFound,
            retry_at: None,
            missing_scopes: vec![],
        }));
        assert_eq!(step.status, StepStatus::AlreadyGone);
        assert_eq!(plan.next(), Some(0));
    }
}
