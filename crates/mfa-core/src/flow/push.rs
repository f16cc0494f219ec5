//! Waiting for a push answer (Guardian): poll `mfa-oob` without a binding code, honouring
//! `authorization_pending` and `slow_down`.

use std::time::Duration;

pub use tokio_util::sync::CancellationToken;

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
        if pending.kind == FactorKind::Push && pending.my_account.is_some() {
            return self.poll_push_through_my_account(client).await;
        }
        let oob_code = match (pending.kind, &pending.oob_code) {
            (FactorKind::Push, Some(code)) => code,
            _ => return Err(FlowError::NothingPending),
        };
        match client
            .verify_oob(self.confirming_token()?, oob_code, None)
            .await
        {
            Ok(tokens) => {
                self.verified(tokens);
                Ok(PushStatus::Approved)
            }
            Err(ApiError::AuthorizationPending) => Ok(PushStatus::Pending),
            Err(ApiError::SlowDown) => Ok(PushStatus::SlowDown),
            Err(error) => Err(self
                .unless_access_token_refused(client, FactorKind::Push, error)
                .await),
        }
    }

    /// Polls until the push is approved, rejected or expired, or `cancel` fires.
    pub async fn wait_for_push(
        &mut self,
        client: &Auth0Client,
        mut polling: PushPolling,
        cancel: &CancellationToken,
    ) -> Result<(), FlowError> {
        loop {
            let status = self.poll_push(client).await?;
            if status == PushStatus::Approved {
                return Ok(());
            }
            polling.pause(status, cancel).await?;
        }
    }
}

impl PushPolling {
    /// Waits as Auth0 asks before the next poll, or ends at once when `cancel` fires.
    pub async fn pause(
        &mut self,
        status: PushStatus,
        cancel: &CancellationToken,
    ) -> Result<(), FlowError> {
        tokio::select! {
            () = cancel.cancelled() => Err(FlowError::Cancelled),
            () = tokio::time::sleep(self.next_delay(status)) => Ok(()),
        }
    }
}

/// The push wait for callers that hold no session: `poll` asks once (a caller can lock its
/// session inside it and let other commands through between two asks), and the error type
/// is the caller's own, so nothing it knows about a failure is lost.
pub async fn wait_for_approval<E, Poll>(
    mut polling: PushPolling,
    cancel: &CancellationToken,
    mut poll: impl FnMut() -> Poll,
) -> Result<(), E>
where
    Poll: std::future::Future<Output = Result<PushStatus, E>>,
    E: From<FlowError>,
{
    loop {
        if cancel.is_cancelled() {
            return Err(FlowError::Cancelled.into());
        }
        let status = poll().await?;
        if status == PushStatus::Approved {
            return Ok(());
        }
        polling.pause(status, cancel).await?;
    }
}
