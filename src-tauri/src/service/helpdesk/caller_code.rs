//! A recovery code issued for a caller. It lives in the agent's helpdesk session, bound to
//! the caller it was issued for, and nowhere else: not in the keyring, not in the employee's
//! export slot. Ending the session (the agent, sign-out, the idle or length limit, a locked
//! screen) drops it with the session, and so does the agent's sign-in running out; a new run
//! of the app never had it. Every command
//! that could show, copy, save or confirm it asks here first; once it is gone they refuse
//! with `caller_code_gone`, and while another caller is open with `caller_not_open`.

use std::sync::atomic::Ordering;

use mfa_core::secret_store::PendingRecoveryCode;

use super::{Helpdesk, SessionEnd};
use crate::command_error::{AppError, CommandResult};

impl Helpdesk {
    /// Runs `f` on the caller's code when the live session holds one and its caller is the
    /// caller open now. `Ok(None)` when no session holds a code (the employee's own code may
    /// then be meant). Reading it counts as activity; a lapsed session ends here, code and all.
    pub async fn with_caller_code<T>(
        &self,
        f: impl FnOnce(&PendingRecoveryCode) -> T,
    ) -> CommandResult<Option<T>> {
        let mut slot = self.session.lock().await;
        let Some(session) = slot.as_mut().filter(|s| s.holds_code()) else {
            return Ok(None);
        };
        if let Err(lapsed) = session.touch() {
            self.close(&mut slot, SessionEnd::of(&lapsed));
            return Err(AppError::CallerCodeGone.into());
        }
        if session.agent().expired() {
            self.forget_code(session);
            return Err(AppError::CallerCodeGone.into());
        }
        let issued = session.issued.as_ref().ok_or(AppError::CallerCodeGone)?;
        session.open_caller(issued.caller())?;
        Ok(Some(f(issued.pending())))
    }

    /// The agent handed the code over: it leaves memory. `false` when no session holds one.
    pub async fn confirm_caller_code(&self) -> CommandResult<bool> {
        if self.with_caller_code(|_| ()).await?.is_none() {
            return Ok(false);
        }
        if let Some(session) = self.session.lock().await.as_mut() {
            session.issued = None;
        }
        Ok(true)
    }

    /// A caller's code died with its session since the last session began: what the copy,
    /// save and confirm commands say when neither it nor an own code is there.
    pub fn caller_code_ended(&self) -> bool {
        self.code_ended.load(Ordering::Relaxed)
    }
}
