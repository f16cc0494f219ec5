//! The helpdesk session's clock: one that keeps counting while the computer sleeps. Rust's
//! `Instant` stops during suspend on Linux (`CLOCK_MONOTONIC`) and macOS, so an agent who
//! closes the lid for an hour would come back to a session with its fifteen idle minutes
//! intact.
//!
//! - Linux: `CLOCK_BOOTTIME`, monotonic and counting suspend.
//! - Elsewhere: the later of two readings since the clock's first use, the monotonic
//!   `Instant` (which a changed system clock cannot turn back) and the wall clock
//!   (`SystemTime`, which counts sleep). Moving the system clock forward can only end a
//!   session sooner; moving it back cannot extend one. (Windows' `Instant` counts sleep
//!   already; macOS's does not.)

use std::ops::Add;
use std::time::Duration;

/// A point on the session clock: the time since an origin fixed at the clock's first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(Duration);

impl Moment {
    pub fn now() -> Self {
        Self(since_origin())
    }

    /// For tests: a moment at `offset` from the origin.
    pub fn at(offset: Duration) -> Self {
        Self(offset)
    }

    /// Time from `earlier` to this moment, zero if `earlier` is later.
    pub fn since(self, earlier: Moment) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<Duration> for Moment {
    type Output = Moment;

    fn add(self, later: Duration) -> Moment {
        Moment(self.0 + later)
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn since_origin() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
    Duration::new(
        now.tv_sec.unsigned_abs(),
        now.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn since_origin() -> Duration {
    use std::sync::OnceLock;
    use std::time::{Instant, SystemTime};
    static ORIGIN: OnceLock<(Instant, SystemTime)> = OnceLock::new();
    let (instant, wall) = ORIGIN.get_or_init(|| (Instant::now(), SystemTime::now()));
    let monotonic = instant.elapsed();
    let on_the_wall = SystemTime::now().duration_since(*wall).unwrap_or_default();
    monotonic.max(on_the_wall)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_forward_with_real_time() {
        let before = Moment::now();
        std::thread::sleep(Duration::from_millis(20));
        let after = Moment::now();
        assert!(after.since(before) >= Duration::from_millis(20));
        assert_eq!(before.since(after), Duration::ZERO);
    }

    /// `CLOCK_BOOTTIME` is `CLOCK_MONOTONIC` plus the time spent suspended: never behind it.
    #[cfg(target_os = "linux")]
    #[test]
    fn counts_at_least_what_the_monotonic_clock_counts() {
        let monotonic = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        let boot = Moment::now().0;
        assert!(boot >= Duration::new(monotonic.tv_sec as u64, monotonic.tv_nsec as u32));
    }
}
