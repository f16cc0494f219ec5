//! The caller: finding them, opening their account and recent events, and verifying who is
//! calling, by the checklist or by a push to their own phone. The service records every
//! verification; the checks here only stop bad input before anything is sent.

use std::time::Duration;

use mfa_core::helpdesk::{CallerVerification, HelpdeskError, VerificationMethod};
use mfa_core::helpdesk_service::{Checklist, Verification, VerificationStatus};
use mfa_core::management::input::parse_email;
use mfa_core::management::{CorrelationId, Reason, TicketRef, UserId};

use super::session::{OpenCaller, PendingPush, Verified, VerifiedBy};
use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::views::helpdesk::{CallerSummaryView, CallerView, EventView, PushView};

/// How long one `push_wait` waits for the caller's answer before saying "still waiting".
const PUSH_WAIT: Duration = Duration::from_secs(25);
/// How often the service is asked meanwhile: CIBA's polling interval (§S3.3, 5 s), since the
/// service asks Auth0 once per question and Auth0 slows down a faster client.
const PUSH_POLL: Duration = Duration::from_secs(5);

/// The agent's record of how they verified the open caller.
pub struct VerificationForm {
    pub method: VerificationMethod,
    pub detail: String,
    pub reason: String,
    pub ticket: String,
}

fn parse_user(user_id: &str) -> CommandResult<UserId> {
    Ok(UserId::parse(user_id).map_err(HelpdeskError::from)?)
}

fn optional_ticket(ticket: &str) -> CommandResult<Option<TicketRef>> {
    Ok(match ticket.trim() {
        "" => None,
        text => Some(TicketRef::parse(text).map_err(HelpdeskError::from)?),
    })
}

impl Helpdesk {
    /// Callers by email (as typed, then lower-cased, by the service) or by Auth0 user id.
    /// Checked before anything is sent.
    pub async fn find(&self, query: &str) -> CommandResult<Vec<CallerSummaryView>> {
        enum By {
            Email(mfa_core::input::Email),
            Id(UserId),
        }
        let by = if query.contains('@') || !query.contains('|') {
            By::Email(parse_email(query).map_err(HelpdeskError::from)?)
        } else {
            By::Id(parse_user(query.trim())?)
        };
        self.with_session(async |session| {
            let found = match &by {
                By::Email(email) => session.client.find_by_email(email).await?,
                By::Id(id) => session.client.find_by_id(id).await?,
            };
            Ok(found
                .users
                .iter()
                .map(|user| CallerSummaryView::new(user, found.matched_lower_case))
                .collect())
        })
        .await
    }

    /// Opens a caller: their account, methods and standing read afresh from the service. A
    /// verification, push or playbook for someone else does not carry over.
    pub async fn open(&self, user_id: &str) -> CommandResult<CallerView> {
        let user_id = parse_user(user_id)?;
        self.with_session(async |session| {
            let profile = session.client.caller(&user_id).await?;
            session.open(OpenCaller::new(profile));
            session.caller_view()
        })
        .await
    }

    /// The open caller's events of the last 30 days, newest first.
    pub async fn events(&self, user_id: &str) -> CommandResult<Vec<EventView>> {
        let user_id = parse_user(user_id)?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            let events = session.client.events(&user_id).await?;
            Ok(events.iter().map(EventView::new).collect())
        })
        .await
    }

    /// Records the checklist with the service, for the open caller.
    pub async fn verify(&self, user_id: &str, form: VerificationForm) -> CommandResult<CallerView> {
        let user_id = parse_user(user_id)?;
        let checked = CallerVerification::record(
            &user_id,
            form.method,
            &form.detail,
            &form.reason,
            &form.ticket,
        )?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            let checklist = Checklist {
                method: checked.method(),
                detail: checked.detail().unwrap_or_default().to_owned(),
                reason: checked.reason().to_string(),
                ticket: checked
                    .ticket()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            };
            let key = CorrelationId::generate();
            let recorded = session
                .client
                .verify(&user_id, &checklist, key.as_str())
                .await?;
            session.verification = Some(Verified {
                id: recorded.id,
                caller: user_id.clone(),
                by: VerifiedBy::Checklist(checked.method()),
                detail: checked.detail().map(str::to_owned),
                reason: checklist.reason,
                ticket: checked.ticket().map(ToString::to_string),
                expires_at_ms: recorded.expires_at_ms,
            });
            session.push = None;
            session.caller_view()
        })
        .await
    }

    /// Sends a push to the open caller's own phone; the answer carries the words the agent
    /// reads out and the caller sees.
    pub async fn verify_by_push(
        &self,
        user_id: &str,
        reason: &str,
        ticket: &str,
    ) -> CommandResult<PushView> {
        let user_id = parse_user(user_id)?;
        let reason = Reason::parse(reason).map_err(HelpdeskError::from)?;
        let ticket = optional_ticket(ticket)?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            let key = CorrelationId::generate();
            let ticket_text = ticket.as_ref().map(ToString::to_string);
            let sent = session
                .client
                .verify_by_push(
                    &user_id,
                    reason.as_str(),
                    ticket_text.as_deref().unwrap_or_default(),
                    key.as_str(),
                )
                .await?;
            session.push = Some(PendingPush {
                id: sent.id.clone(),
                caller: user_id.clone(),
                binding_message: sent.binding_message.clone().unwrap_or_default(),
                reason: reason.to_string(),
                ticket: ticket_text,
                expires_at_ms: sent.expires_at_ms,
            });
            settle_push(session, &sent)
        })
        .await
    }

    /// Waits a while for the caller's answer to the push: verified, denied or expired, or
    /// still pending when the wait is over (the screen asks again).
    pub async fn push_wait(&self, user_id: &str) -> CommandResult<PushView> {
        let user_id = parse_user(user_id)?;
        let deadline = tokio::time::Instant::now() + PUSH_WAIT;
        loop {
            let view = self
                .with_session(async |session| {
                    session.open_caller(&user_id)?;
                    let push = session
                        .push
                        .as_ref()
                        .filter(|p| p.caller == user_id)
                        .ok_or(HelpdeskError::CallerNotVerified)?;
                    let answer = session.client.verification(&push.id).await?;
                    settle_push(session, &answer)
                })
                .await?;
            if view.status != VerificationStatus::Pending
                || tokio::time::Instant::now() + PUSH_POLL >= deadline
            {
                return Ok(view);
            }
            // Not while holding the session: other commands go on meanwhile.
            tokio::time::sleep(PUSH_POLL).await;
        }
    }
}

/// What the service said about the push: once approved, the caller counts as verified.
fn settle_push(
    session: &mut super::session::HelpdeskSession,
    answer: &Verification,
) -> CommandResult<PushView> {
    let push = session
        .push
        .as_ref()
        .ok_or(HelpdeskError::CallerNotVerified)?;
    let mut view = PushView {
        status: answer.status,
        binding_message: answer
            .binding_message
            .clone()
            .unwrap_or_else(|| push.binding_message.clone()),
        expires_at: (push.expires_at_ms / 1000).max(0) as u64,
        caller: None,
    };
    match answer.status {
        VerificationStatus::Verified => {
            let push = session
                .push
                .take()
                .ok_or(HelpdeskError::CallerNotVerified)?;
            session.verification = Some(Verified {
                id: push.id,
                caller: push.caller,
                by: VerifiedBy::Push,
                detail: None,
                reason: push.reason,
                ticket: push.ticket,
                expires_at_ms: answer.expires_at_ms,
            });
            view.caller = Some(session.caller_view()?);
        }
        VerificationStatus::Denied | VerificationStatus::Expired => session.push = None,
        VerificationStatus::Pending => {}
    }
    Ok(view)
}
