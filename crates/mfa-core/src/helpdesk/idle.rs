//! A helpdesk session ends after fifteen minutes without an action, like the privileged
//! sessions of Entra and Okta admin consoles: an agent who walks away leaves no open door to
//! other people's accounts. It also ends after eight hours however busy (IT may shorten
//! that: `helpdesk.max_session_minutes`), so a session is never carried from one day into
//! the next. Both run on [`Moment`], which counts time asleep. Time is passed in, so the
//! rules are tested without waiting.

use std::time::Duration;

use super::clock::Moment;
use super::HelpdeskError;

/// How long a helpdesk session survives without activity.
pub const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

/// The longest a helpdesk session may last, and the default.
pub const MAX_SESSION: Duration = Duration::from_secs(8 * 60 * 60);

#[derive(Debug, Clone, Copy)]
pub struct IdleTimer {
    started: Moment,
    last_activity: Moment,
    limit: Duration,
    max_session: Duration,
}

impl IdleTimer {
    pub fn started(now: Moment) -> Self {
        Self::with_limits(now, IDLE_LIMIT, MAX_SESSION)
    }

    pub fn with_limits(now: Moment, idle: Duration, max_session: Duration) -> Self {
        Self {
            started: now,
            last_activity: now,
            limit: idle,
            max_session,
        }
    }

    /// Why the session is over at `now`, if it is.
    pub fn lapsed(&self, now: Moment) -> Option<HelpdeskError> {
        if now.since(self.started) >= self.max_session {
            Some(HelpdeskError::SessionTooLong)
        } else if now.since(self.last_activity) >= self.limit {
            Some(HelpdeskError::SessionExpired)
        } else {
            None
        }
    }

    pub fn is_expired(&self, now: Moment) -> bool {
        self.lapsed(now).is_some()
    }

    /// Counts an action: refused once the session has lapsed (a lapsed session stays lapsed).
    pub fn touch(&mut self, now: Moment) -> Result<(), HelpdeskError> {
        if let Some(lapsed) = self.lapsed(now) {
            return Err(lapsed);
        }
        self.last_activity = now;
        Ok(())
    }

    /// Time left before the session lapses, by either limit.
    pub fn remaining(&self, now: Moment) -> Duration {
        let idle = self.limit.saturating_sub(now.since(self.last_activity));
        let length = self.max_session.saturating_sub(now.since(self.started));
        idle.min(length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn activity_keeps_the_session_alive_and_silence_ends_it() {
        let start = Moment::at(Duration::ZERO);
        let mut timer = IdleTimer::started(start);
        assert_eq!(timer.remaining(start), IDLE_LIMIT);
        timer.touch(start + 14 * MINUTE).unwrap();
        // Fourteen minutes after the last action, not after the start.
        assert!(!timer.is_expired(start + 28 * MINUTE));
        assert_eq!(timer.remaining(start + 28 * MINUTE), MINUTE);
        assert!(timer.is_expired(start + 29 * MINUTE));
        assert!(matches!(
            timer.touch(start + 29 * MINUTE),
            Err(HelpdeskError::SessionExpired)
        ));
        // Still lapsed afterwards: a refused touch does not revive it.
        assert!(timer.touch(start + 29 * MINUTE).is_err());
        assert_eq!(timer.remaining(start + 40 * MINUTE), Duration::ZERO);
    }

    #[test]
    fn however_busy_a_session_ends_at_its_maximum_length() {
        let start = Moment::at(Duration::from_secs(1000));
        let mut timer = IdleTimer::with_limits(start, IDLE_LIMIT, 60 * MINUTE);
        for minute in (10..60).step_by(10) {
            timer.touch(start + minute * MINUTE).unwrap();
        }
        // Five minutes after the last action, the idle limit is ten away, the length five.
        assert_eq!(timer.remaining(start + 55 * MINUTE), 5 * MINUTE);
        assert!(matches!(
            timer.touch(start + 60 * MINUTE),
            Err(HelpdeskError::SessionTooLong)
        ));
        assert!(matches!(
            IdleTimer::started(start).lapsed(start + MAX_SESSION),
            Some(HelpdeskError::SessionTooLong)
        ));
    }
}
