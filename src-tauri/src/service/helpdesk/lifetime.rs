//! How a helpdesk session ends when no command asks: its idle limit or maximum length passes
//! while the agent is away (checked every second on the session clock, which counts time
//! asleep), or the screen locks (`service::screen_lock`). Whoever waits on `wait_end` (the
//! webview, through `helpdesk_wait_end`) hears why at once, so the screen is cleared even
//! when nothing is clicked.

use std::time::Duration;

use mfa_core::ErrorCode;

use super::{Helpdesk, SessionEnd};
use crate::command_error::{AppError, CommandResult};

/// How often a running session's limits are checked. A tick missed while the computer
/// sleeps comes on waking, and the session clock has counted the sleep.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

impl Helpdesk {
    /// The number of the session begun last (0 before any).
    pub fn session_number(&self) -> u64 {
        self.ends.borrow().0
    }

    /// Whether the session begun last is this run's first.
    pub fn first_session(&self) -> bool {
        self.session_number() == 1
    }

    /// Ends session `number` if one of its limits passed. `false` once there is nothing left
    /// to watch: that session is over, by this check or otherwise.
    pub async fn check_limits(&self, number: u64) -> bool {
        let mut slot = self.session.lock().await;
        if self.session_number() != number || slot.is_none() {
            return false;
        }
        match slot.as_ref().and_then(|session| session.lapsed()) {
            Some(lapsed) => {
                self.close(&mut slot, SessionEnd::of(&lapsed));
                false
            }
            None => true,
        }
    }

    /// The screen was locked: the agent's session ends, and a caller's code and the agent's
    /// sign-in with it.
    pub async fn screen_locked(&self) {
        self.close(&mut *self.session.lock().await, SessionEnd::ScreenLocked);
    }

    /// Waits until the session begun last ends: `Ok` when the agent ended it or signed out
    /// (or another began), else why it ended, as the error the screens explain.
    pub async fn wait_end(&self) -> CommandResult<()> {
        let mut ends = self.ends.subscribe();
        let number = ends.borrow_and_update().0;
        loop {
            let (now, why) = *ends.borrow_and_update();
            if now != number {
                return Ok(());
            }
            match why {
                None => {}
                Some(SessionEnd::Ended) => return Ok(()),
                Some(SessionEnd::Idle) => return Err(ErrorCode::HelpdeskSessionExpired.into()),
                Some(SessionEnd::TooLong) => return Err(ErrorCode::HelpdeskSessionTooLong.into()),
                Some(SessionEnd::ScreenLocked) => return Err(AppError::HelpdeskScreenLocked.into()),
            }
            if ends.changed().await.is_err() {
                return Ok(());
            }
        }
    }
}
