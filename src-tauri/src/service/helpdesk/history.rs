//! The audit log read back: the History screen and its CSV export.

use mfa_core::audit::AuditRecords;
use mfa_core::helpdesk::HelpdeskError;

use super::Helpdesk;
use crate::command_error::CommandResult;
use crate::views::helpdesk::HistoryView;

impl Helpdesk {
    /// The audit log, newest first, optionally only about one user (id or email).
    pub async fn history(&self, user: Option<String>) -> CommandResult<HistoryView> {
        Ok(HistoryView::new(self.read_history(user).await?))
    }

    /// The entries (oldest first) about `user`, for the screen or the CSV file. Read on a
    /// blocking thread, and only inside a live helpdesk session.
    pub async fn read_history(&self, user: Option<String>) -> CommandResult<AuditRecords> {
        self.with_session(async |_| Ok(())).await?;
        let user = user.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        Ok(self
            .audit()?
            .read_async(user)
            .await
            .map_err(HelpdeskError::from)?)
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
