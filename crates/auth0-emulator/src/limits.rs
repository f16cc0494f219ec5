//! The limits the emulator enforces, per user (wrong codes, message sends,
//! push notifications, password brute force) and per tenant (the Management
//! API), on the virtual clock. Token buckets are in `rate_limit`.

use crate::errors::RateLimitHeaders;
use crate::rate_limit::{Bucket, Exhausted};
use crate::tenant::Settings;

/// Which rate-limited channel a code send uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendChannel {
    Sms,
    Voice,
    Email,
}

/// One user's counters and buckets.
#[derive(Debug, Clone)]
pub struct UserLimits {
    pub failed_logins: u32,
    pub blocked_until: Option<u64>,
    failed_codes: Bucket,
    sms_sends: Bucket,
    email_sends: Bucket,
    push_sends: Bucket,
}

impl UserLimits {
    pub fn new(s: &Settings, now: u64) -> Self {
        UserLimits {
            failed_logins: 0,
            blocked_until: None,
            failed_codes: Bucket::new(s.failed_code_bucket, now),
            sms_sends: Bucket::new(s.sms_bucket, now),
            email_sends: Bucket::new(s.email_bucket, now),
            push_sends: Bucket::new(s.push_bucket, now),
        }
    }

    /// Fails (without consuming) once the wrong-code bucket is empty.
    pub fn check_failed_codes(&mut self, now: u64) -> Result<(), Exhausted> {
        self.failed_codes.check(now)
    }

    /// Records one wrong otp, binding or recovery code.
    pub fn record_failed_code(&mut self, now: u64) {
        let _ = self.failed_codes.take(now);
    }

    /// Takes one message send on `channel` (sms and voice share a bucket).
    pub fn take_send(&mut self, channel: SendChannel, now: u64) -> Result<(), Exhausted> {
        match channel {
            SendChannel::Sms | SendChannel::Voice => self.sms_sends.take(now),
            SendChannel::Email => self.email_sends.take(now),
        }
    }

    pub fn take_push(&mut self, now: u64) -> Result<(), Exhausted> {
        self.push_sends.take(now)
    }
}

/// Limits shared by the whole tenant.
#[derive(Debug, Clone)]
pub struct TenantLimits {
    /// Every `/api/v2/*` request takes one token.
    pub management: Bucket,
}

impl TenantLimits {
    pub fn new(s: &Settings, now: u64) -> Self {
        TenantLimits {
            management: Bucket::new(s.management_api_bucket, now),
        }
    }
}

/// The `X-RateLimit-*` / `Retry-After` values for an exhausted bucket.
pub fn headers_for(e: Exhausted, now: u64, s: &Settings) -> RateLimitHeaders {
    RateLimitHeaders::new(e, now, s.send_retry_after)
}
