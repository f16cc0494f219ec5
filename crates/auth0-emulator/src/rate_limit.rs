//! Per-user token buckets on the virtual clock.

use crate::tenant::BucketSpec;

#[derive(Debug, Clone)]
pub struct Bucket {
    spec: BucketSpec,
    tokens: u32,
    /// Time (epoch secs) the refill schedule counts from.
    last_refill: u64,
}

/// What a 429 needs to fill its `X-RateLimit-*` headers.
#[derive(Debug, Clone, Copy)]
pub struct Exhausted {
    pub limit: u32,
    /// Epoch seconds (virtual) when one token is back.
    pub reset_at: u64,
}

impl Bucket {
    pub fn new(spec: BucketSpec, now: u64) -> Self {
        Bucket {
            spec,
            tokens: spec.capacity,
            last_refill: now,
        }
    }

    fn refill(&mut self, now: u64) {
        let every = self.spec.refill_every_secs.max(1);
        if self.tokens >= self.spec.capacity {
            self.last_refill = now;
            return;
        }
        let steps = now.saturating_sub(self.last_refill) / every;
        if steps > 0 {
            let added = steps.min(u64::from(self.spec.capacity)) as u32;
            self.tokens = (self.tokens + added).min(self.spec.capacity);
            self.last_refill += steps * every;
            if self.tokens >= self.spec.capacity {
                self.last_refill = now;
            }
        }
    }

    /// Fails without consuming when the bucket is empty.
    pub fn check(&mut self, now: u64) -> Result<(), Exhausted> {
        self.refill(now);
        if self.tokens == 0 {
            Err(Exhausted {
                limit: self.spec.capacity,
                reset_at: self.last_refill + self.spec.refill_every_secs.max(1),
            })
        } else {
            Ok(())
        }
    }

    /// Tokens left now, and when (epoch secs) the next one comes back (now when full).
    pub fn remaining(&mut self, now: u64) -> (u32, u64) {
        self.refill(now);
        let reset = if self.tokens >= self.spec.capacity {
            now
        } else {
            self.last_refill + self.spec.refill_every_secs.max(1)
        };
        (self.tokens, reset)
    }

    pub fn capacity(&self) -> u32 {
        self.spec.capacity
    }

    /// Takes one token, or fails when the bucket is empty.
    pub fn take(&mut self, now: u64) -> Result<(), Exhausted> {
        self.check(now)?;
        if self.tokens == self.spec.capacity {
            // The refill schedule starts when the bucket stops being full.
            self.last_refill = now;
        }
        self.tokens -= 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drains_and_refills() {
        let spec = BucketSpec {
            capacity: 2,
            refill_every_secs: 10,
        };
        let mut b = Bucket::new(spec, 100);
        b.take(100).unwrap();
        b.take(101).unwrap();
        let e = b.take(102).unwrap_err();
        assert_eq!(e.reset_at, 110);
        assert!(b.take(109).is_err());
        b.take(110).unwrap();
        assert!(b.take(111).is_err());
        b.refill(200);
        assert_eq!(b.tokens, 2);
    }
}
