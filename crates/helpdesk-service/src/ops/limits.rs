//! Requests per agent: a token bucket per `sub` (governor), so one agent's script cannot
//! starve the others or burn the tenant's Management API budget.

use std::num::NonZeroU32;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct AgentLimits {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl AgentLimits {
    pub fn per_minute(requests: u32) -> Self {
        let n = NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when `agent` may go on, else the Unix second after which it may.
    pub fn check(&self, agent: &str) -> Result<(), u64> {
        self.limiter
            .check_key(&agent.to_owned())
            .map_err(|not_until| {
                let wait: Duration = not_until.wait_time_from(self.clock.now());
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                (now + wait).as_secs() + 1
            })
    }

    /// Forgets agents whose bucket is full again (called now and then).
    pub fn shrink(&self) {
        self.limiter.retain_recent();
    }
}
