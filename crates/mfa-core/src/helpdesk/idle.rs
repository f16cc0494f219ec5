//! A helpdesk session ends after fifteen minutes without an action, like the privileged
//! sessions of Entra and Okta admin consoles: an agent who walks away leaves no open door to
//! other people's accounts. Time is passed in, so the rule is tested without waiting.

use std::time::{Duration, Instant};

use super::HelpdeskError;

/// How long a helpdesk session survives without activity.
pub const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
pub struct IdleTimer {
    last_activity: Instant,
    limit: Duration,
}

impl IdleTimer {
    pub fn started(now: Instant) -> Self {
        Self::with_limit(now, IDLE_LIMIT)
    }

    pub fn with_limit(now: Instant, limit: Duration) -> Self {
        Self {
            last_activity: now,
            limit,
        }
    }

    pub fn is_expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_activity) >= self.limit
    }

    /// Counts an action: refused once the session has lapsed (a lapsed session stays lapsed).
    pub fn touch(&mut self, now: Instant) -> Result<(), HelpdeskError> {
        if self.is_expired(now) {
            return Err(HelpdeskError::SessionExpired);
        }
        self.last_activity = now;
        Ok(())
    }

    /// Time left before the session lapses.
    pub fn remaining(&self, now: Instant) -> Duration {
        self.limit
            .saturating_sub(now.saturating_duration_since(self.last_activity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_keeps_the_session_alive_and_silence_ends_it() {
        let start = Instant::now();
        let mut timer = IdleTimer::started(start);
        let minute = Duration::from_secs(60);
        assert_eq!(timer.remaining(start), IDLE_LIMIT);
        timer.touch(start + 14 * minute).unwrap();
        // Fourteen minutes after the last action, not after the start.
        assert!(!timer.is_expired(start + 28 * minute));
        assert_eq!(timer.remaining(start + 28 * minute), minute);
        assert!(timer.is_expired(start + 29 * minute));
        assert!(matches!(
            timer.touch(start + 29 * minute),
            Err(HelpdeskError::SessionExpired)
        ));
        // Still lapsed afterwards: a refused touch does not revive it.
        assert!(timer.touch(start + 29 * minute).is_err());
        assert_eq!(timer.remaining(start + 40 * minute), Duration::ZERO);
    }
}
