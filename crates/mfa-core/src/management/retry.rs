//! When an idempotent Management call is repeated after a 429 (reads and deletes; never a
//! change such as a recovery-code regeneration).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::ManagementError;
use crate::transport::RetryAt;

/// When an idempotent call is repeated after a 429.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Longest wait accepted before the single retry; a longer retry time is reported to the
    /// caller as [`ManagementError::RateLimited`] instead.
    pub max_wait: Duration,
    /// The wait when Auth0 sends neither `Retry-After` nor `X-RateLimit-Reset`.
    pub default_wait: Duration,
}

impl Default for RetryPolicy {
    /// Like Auth0's own SDKs: at least one second, at most ten.
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(10),
            default_wait: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_wait: Duration::ZERO,
            default_wait: Duration::from_secs(1),
        }
    }

    /// How long to wait before retrying, or `None` when the wait is too long.
    fn wait_for(&self, retry_at: RetryAt) -> Option<Duration> {
        let wait = match retry_at {
            Some(at) => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                Duration::from_secs(at).saturating_sub(now)
            }
            None => self.default_wait,
        };
        let wait = wait.max(Duration::from_millis(100));
        (wait <= self.max_wait).then_some(wait)
    }

    /// Waits until Auth0's retry time, or gives the rate limit back when that is too far off.
    pub(super) async fn pause(&self, retry_at: RetryAt) -> Result<(), ManagementError> {
        let wait = self
            .wait_for(retry_at)
            .ok_or(ManagementError::RateLimited { retry_at })?;
        tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_waits_are_not_retried() {
        let policy = RetryPolicy::default();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(policy.wait_for(Some(now + 2)).is_some());
        assert!(policy.wait_for(Some(now + 60)).is_none());
        assert_eq!(policy.wait_for(None), Some(Duration::from_secs(1)));
        assert!(RetryPolicy::none().wait_for(None).is_none());
    }
}
