//! The virtual clock. Tests move time forward with `/__emulator/clock/advance`
//! instead of sleeping, so every expiry, bucket refill and TOTP step reads
//! this clock and never `SystemTime` directly.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default, Clone)]
pub struct Clock {
    offset_ms: i64,
}

impl Clock {
    /// Milliseconds since the Unix epoch, virtual.
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        (real + self.offset_ms).max(0) as u64
    }

    /// Seconds since the Unix epoch, virtual.
    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    pub fn advance(&mut self, seconds: i64) {
        self.offset_ms = self.offset_ms.saturating_add(seconds.saturating_mul(1000));
    }
}
