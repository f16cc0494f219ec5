//! Waiting for a push answer (Guardian): poll `mfa-oob` without a binding code, honouring
//! `authorization_pending` and `slow_down`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::client::Auth0Client;
use crate::error::{ApiError, FlowError};
use crate::flow::session::MfaSession;
use crate::model::FactorKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushStatus {
    Approved,
    Pending,
    /// Auth0 asked us to poll less often.
    SlowDown,
}

/// How often to ask. Auth0's examples poll every few seconds and back off on `slow_down`.
#[derive(Debug, Clone, Copy)]
pub struct PushPolling {
    pub interval: Duration,
}

impl Default for PushPolling {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
        }
    }
}

impl PushPolling {
    /// Waits `interval` after a pending answer; `slow_down` adds five seconds for good.
    pub fn next_delay(&mut self, status: PushStatus) -> Duration {
        if status == PushStatus::SlowDown {
            self.interval += Duration::from_secs(5);
        }
        self.interval
    }
}

impl MfaSession {
    /// Asks once whether the pending push (enrollment or challenge) was approved.
    pub async fn poll_push(&mut self, client: &Auth0Client) -> Result<PushStatus, FlowError> {
        let pending = self.pending.as_ref().ok_or(FlowError::NothingPending)?;
        let oob_code = match (pending.kind, &pending.oob_code) {
            (FactorKind::Push, Some(code)) => code,
            _ => return Err(FlowError::NothingPending),
        };
        match client.verify_oob(self.mfa_token()?, oob_code, None).await {
            Ok(tokens) => {
                self.verified(tokens);
                Ok(PushStatus::Approved)
            }
            Err(ApiError::AuthorizationPending) => Ok(PushStatus::Pending),
            Err(ApiError::SlowDown) => Ok(PushStatus::SlowDown),
            Err(error) => Err(error.into()),
        }
    }

    /// Polls until the push is approved, rejected, expired, or `cancelled` turns true.
    pub async fn wait_for_push(
        &mut self,
        client: &Auth0Client,
        mut polling: PushPolling,
        cancelled: &AtomicBool,
    ) -> Result<(), FlowError> {
        loop {
            let status = self.poll_push(client).await?;
            if status == PushStatus::Approved {
                return Ok(());
            }
            let delay = polling.next_delay(status);
            let step = Duration::from_millis(50);
            let mut waited = Duration::ZERO;
            while waited < delay {
                if cancelled.load(Ordering::Relaxed) {
                    return Err(FlowError::Cancelled);
                }
                tokio::time::sleep(step.min(delay - waited)).await;
                waited += step;
            }
        }
    }
}
