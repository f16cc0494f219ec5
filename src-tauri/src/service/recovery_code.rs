//! A rotated recovery code is the one secret whose loss locks a person out: Auth0 shows it
//! once and the previous code is already dead. It goes into the keyring before anything else
//! happens, stays there (and in memory for the export dialog) until the person confirms they
//! stored it, and comes back at the next start if the app died while showing it. A code a
//! helpdesk agent issued for a caller is kept the same way, in its own vault entry, and comes
//! back when an agent next signs in to helpdesk mode (`service::helpdesk`).

use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode, RecoveryCodeVault};
use mfa_core::FlowError;

use super::blocking;
use crate::command_error::CommandResult;
use crate::state::AppState;
use crate::views::RecoveryCodeView;

/// Runs `work` on the tenant's vault for codes issued for `reason`, off the async runtime
/// (keyring calls block on D-Bus).
async fn with_vault<T: Send + 'static>(
    state: &AppState,
    reason: IssuedFor,
    work: impl FnOnce(&RecoveryCodeVault<'_>) -> T + Send + 'static,
) -> CommandResult<T> {
    let store = state.store.clone();
    let namespace = state.tenant()?.keyring_namespace.clone();
    Ok(blocking(move || {
        work(&RecoveryCodeVault::for_reason(
            store.as_ref(),
            &namespace,
            reason,
        ))
    })
    .await)
}

/// Stores a code in the keyring (falling back to memory only, never to a file) and remembers
/// it for the export dialog.
/// A code only ever comes from a tenant, so the vault is always there.
pub async fn keep(state: &AppState, pending: PendingRecoveryCode) -> CommandResult<()> {
    let reason = pending.reason;
    let (stored, pending) =
        with_vault(state, reason, move |vault| (vault.keep(&pending), pending)).await?;
    let in_keyring = match stored {
        // Without a keyring the vault is the in-memory fallback: kept, but not safe.
        Ok(()) => state.keyring_problem.is_none(),
        Err(error) => {
            tracing::warn!(code = %error.code(), "recovery code kept in memory only");
            false
        }
    };
    let mut wizard = state.wizard();
    wizard.recovery_code = Some(pending);
    wizard.recovery_code_in_keyring = in_keyring;
    Ok(())
}

/// The code the export dialog shows, if one is waiting for confirmation.
pub fn shown(state: &AppState) -> Option<RecoveryCodeView> {
    let tenant = state.tenant.as_ref()?;
    let wizard = state.wizard();
    let pending = wizard.recovery_code.as_ref()?;
    Some(RecoveryCodeView::new(
        pending,
        &tenant.domain,
        wizard.recovery_code_in_keyring,
    ))
}

/// Once per run: a code left unconfirmed by a crash or a closed window, from the keyring.
/// Later calls return at once, so `app_state` never waits on D-Bus twice.
pub async fn load_pending(state: &AppState) {
    state
        .pending_loaded
        .get_or_init(async || {
            if state.tenant.is_none() {
                return;
            }
            let from_keyring = with_vault(state, IssuedFor::Recovery, |vault| vault.pending().ok())
                .await
                .ok()
                .flatten()
                .and_then(|mut codes| codes.pop());
            let mut wizard = state.wizard();
            if let (Some(pending), None) = (from_keyring, &wizard.recovery_code) {
                wizard.recovery_code = Some(pending);
                wizard.recovery_code_in_keyring = true;
            }
        })
        .await;
}

/// The code as text, for the clipboard or a file.
pub fn with_shown<T>(
    state: &AppState,
    f: impl FnOnce(&PendingRecoveryCode) -> T,
) -> CommandResult<T> {
    let wizard = state.wizard();
    let pending = wizard
        .recovery_code
        .as_ref()
        .ok_or(FlowError::NothingPending)?;
    Ok(f(pending))
}

/// The person confirmed they stored the code: it leaves the keyring, then memory.
pub async fn confirm(state: &AppState) -> CommandResult<()> {
    let (account, reason) = with_shown(state, |pending| (pending.account.clone(), pending.reason))?;
    with_vault(state, reason, move |vault| vault.confirm(&account)).await??;
    state.wizard().recovery_code = None;
    Ok(())
}
