//! The service's audit trail read back (every agent's): the History screen and its CSV.

use mfa_core::helpdesk_service::{AuditFilter, AuditRow};
use mfa_core::management::input::parse_email;
use mfa_core::management::UserId;

use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::views::helpdesk::HistoryView;

/// The most rows one History screen (or CSV file) holds.
const HISTORY_ROWS: u32 = 500;

impl Helpdesk {
    pub async fn history(&self, user: Option<String>) -> CommandResult<HistoryView> {
        Ok(HistoryView::new(&self.read_history(user).await?))
    }

    /// The rows about `user` (an Auth0 user id, or an email matched on the rows), newest
    /// first. An email or id is checked before anything is sent.
    pub async fn read_history(&self, user: Option<String>) -> CommandResult<Vec<AuditRow>> {
        let user = user.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        let (caller_id, email) = match &user {
            None => (None, None),
            Some(text) if text.contains('@') => (
                None,
                Some(parse_email(text).map_err(mfa_core::helpdesk::HelpdeskError::from)?),
            ),
            Some(text) => (
                Some(
                    UserId::parse(text)
                        .map_err(mfa_core::helpdesk::HelpdeskError::from)?
                        .as_str()
                        .to_owned(),
                ),
                None,
            ),
        };
        self.with_session(async |session| {
            let filter = AuditFilter {
                caller_id,
                limit: Some(HISTORY_ROWS),
                ..AuditFilter::default()
            };
            let rows = session.client.audit(&filter).await?;
            Ok(match &email {
                Some(email) => rows
                    .into_iter()
                    .filter(|r| {
                        r.caller_email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()))
                    })
                    .collect(),
                None => rows,
            })
        })
        .await
    }
}

impl Helpdesk {
    /// The service's CSV of the rows about `user` (an email is turned into the caller's id
    /// through the rows that name it), for the export.
    pub async fn history_csv(&self, user: Option<String>) -> CommandResult<String> {
        let caller_id = match user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(text) if !text.contains('@') => Some(
                UserId::parse(text)
                    .map_err(mfa_core::helpdesk::HelpdeskError::from)?
                    .as_str()
                    .to_owned(),
            ),
            Some(_) => {
                let rows = self.read_history(user).await?;
                // No row names them: an export with only the header, as the screen shows none.
                Some(
                    rows.iter()
                        .find_map(|r| r.caller_id.clone())
                        .unwrap_or_else(|| "auth0|none".to_owned()),
                )
            }
        };
        self.with_session(async |session| {
            let filter = AuditFilter {
                caller_id,
                limit: Some(HISTORY_ROWS),
                ..AuditFilter::default()
            };
            Ok(session.client.audit_csv(&filter).await?)
        })
        .await
    }
}

/// Today's date (UTC), `2026-03-01`, for file names.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}
