//! Four eyes: the requests waiting for an approver, deciding one, and the requesting agent
//! waiting to hear the decision without reloading. The service decides who may approve
//! (never the agent who asked).

use std::time::Duration;

use mfa_core::helpdesk::{next_step, CallerNextStep, HelpdeskError};
use mfa_core::helpdesk_service::{parse_service_id, Approval, ApprovalStatus};
use mfa_core::management::{CorrelationId, Reason, UserId};

use super::session::HelpdeskSession;
use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::views::helpdesk::ApprovalView;

/// How long one `approval_wait` waits before answering "still pending".
const APPROVAL_WAIT: Duration = Duration::from_secs(25);
const APPROVAL_POLL: Duration = Duration::from_secs(2);
fn approval_id(raw: &str) -> CommandResult<&str> {
    parse_service_id(raw, "apr_").ok_or_else(|| mfa_core::ErrorCode::InvalidRequest.into())
}

/// Once another agent approved a change to the caller open here: the caller read again, and
/// the core's rule for what to tell them now.
async fn next_step_after(
    session: &mut HelpdeskSession,
    approval: &Approval,
) -> Option<CallerNextStep> {
    let caller = UserId::parse(&approval.caller_id).ok()?;
    session.open_caller(&caller).ok()?;
    session.reread(&caller).await;
    let kind = approval.action.core_kind()?;
    let open = session.open_caller(&caller).ok()?;
    Some(next_step(kind, open.methods.standing()))
}

impl Helpdesk {
    /// The requests waiting for approval (the agent needs `helpdesk:approve`).
    pub async fn approvals(&self) -> CommandResult<Vec<ApprovalView>> {
        self.with_session(async |session| {
            let me = session.agent().sub().to_owned();
            let list = session.client.approvals().await?;
            Ok(list.iter().map(|a| ApprovalView::new(a, &me)).collect())
        })
        .await
    }

    /// Waits a while for the decision on the agent's own request.
    pub async fn approval_wait(&self, id: &str) -> CommandResult<ApprovalView> {
        let id = approval_id(id)?;
        let deadline = tokio::time::Instant::now() + APPROVAL_WAIT;
        loop {
            let view = self
                .with_session(async |session| {
                    let approval = session.client.approval(id).await?;
                    let mut view = ApprovalView::new(&approval, session.agent().sub());
                    if approval.status == ApprovalStatus::Approved {
                        view.next_step = next_step_after(session, &approval).await;
                    }
                    Ok(view)
                })
                .await?;
            if view.status != ApprovalStatus::Pending
                || tokio::time::Instant::now() + APPROVAL_POLL >= deadline
            {
                return Ok(view);
            }
            tokio::time::sleep(APPROVAL_POLL).await;
        }
    }

    /// Approves another agent's request: the service carries it out at once.
    pub async fn approve(&self, id: &str) -> CommandResult<ApprovalView> {
        let id = approval_id(id)?;
        self.with_session(async |session| {
            let key = CorrelationId::generate();
            session.client.approve(id, key.as_str()).await?;
            let decided = session.client.approval(id).await?;
            Ok(ApprovalView::new(&decided, session.agent().sub()))
        })
        .await
    }

    /// Refuses another agent's request, with the reason they will read.
    pub async fn refuse(&self, id: &str, reason: &str) -> CommandResult<ApprovalView> {
        let id = approval_id(id)?;
        let reason = Reason::parse(reason).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            let key = CorrelationId::generate();
            let decided = session
                .client
                .refuse(id, reason.as_str(), key.as_str())
                .await?;
            Ok(ApprovalView::new(&decided, session.agent().sub()))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_ids_are_checked_before_anything_is_sent() {
        assert_eq!(approval_id(" apr_0a1b2c ").unwrap(), "apr_0a1b2c");
        for bad in [
            "",
            "apr_",
            "ver_0a1b",
            "apr_../x",
            &format!("apr_{}", "a".repeat(100)),
        ] {
            assert!(approval_id(bad).is_err(), "{bad}");
        }
    }
}
