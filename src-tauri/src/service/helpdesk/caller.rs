//! The caller: finding them by email, opening their account, recording how they were verified.

use mfa_core::helpdesk::{
    self, CallerMethods, CallerVerification, HelpdeskError, VerificationMethod,
};
use mfa_core::management::input::parse_email;
use mfa_core::management::UserId;

use super::session::OpenCaller;
use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::views::helpdesk::{CallerSummaryView, CallerView};

/// The agent's record of how they verified the open caller.
pub struct VerificationForm {
    pub method: VerificationMethod,
    pub detail: String,
    pub reason: String,
    pub ticket: String,
}

impl Helpdesk {
    /// Users with this email: as typed, then lower-cased. Checked before anything is sent.
    pub async fn find(&self, email: &str) -> CommandResult<Vec<CallerSummaryView>> {
        let email = parse_email(email).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            let found = helpdesk::find_callers(&session.client, &email)
                .await
                .map_err(HelpdeskError::from)?;
            let results = found
                .users
                .iter()
                .map(|user| CallerSummaryView::new(user, found.matched_lower_case))
                .collect();
            session.remember_found(found.users);
            Ok(results)
        })
        .await
    }

    /// Opens a caller: their methods read afresh, and their account as a lookup returned it
    /// moments ago or read afresh too. A verification recorded for someone else does not
    /// carry over.
    pub async fn open(&self, user_id: &str) -> CommandResult<CallerView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            let user = match session.recently_found(&user_id) {
                Some(user) => user,
                None => session
                    .client
                    .user(&user_id)
                    .await
                    .map_err(HelpdeskError::from)?,
            };
            let methods = session
                .client
                .authentication_methods(&user_id)
                .await
                .map_err(HelpdeskError::from)?;
            if !session
                .verification
                .as_ref()
                .is_some_and(|v| v.covers(&user_id))
            {
                session.verification = None;
            }
            session.caller = Some(OpenCaller {
                user,
                methods: CallerMethods::new(methods),
            });
            session.caller_view()
        })
        .await
    }

    pub async fn verify(&self, user_id: &str, form: VerificationForm) -> CommandResult<CallerView> {
        let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
        self.with_session(async |session| {
            session.open_caller(&user_id)?;
            let verification = CallerVerification::record(
                &user_id,
                form.method,
                &form.detail,
                &form.reason,
                &form.ticket,
            )?;
            session.verification = Some(verification);
            session.caller_view()
        })
        .await
    }
}
