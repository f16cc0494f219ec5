//! Using the signed-in session: the one place that handles an expired MFA session, and what
//! every successful verification leads to.

use mfa_core::flow::MfaSession;
use mfa_core::{Auth0Client, FlowError};
use tauri::{AppHandle, Runtime};

use mfa_core::secret_store::refresh_token_key;

use super::{blocking, recovery_code, screen_guard};
use crate::command_error::{AppError, CommandResult};
use crate::state::AppState;
use crate::views::{ConfirmedView, MethodsView};

/// Runs `f` on the signed-in session. When Auth0 says the short-lived MFA session is over,
/// the session is dropped so the UI returns to sign-in.
pub async fn with_session<T>(
    state: &AppState,
    f: impl AsyncFnOnce(&mut MfaSession, &Auth0Client) -> Result<T, FlowError>,
) -> CommandResult<T> {
    let client = &state.tenant()?.client;
    let mut guard = state.session.lock().await;
    let session = guard.as_mut().ok_or(AppError::NotSignedIn)?;
    match f(session, client).await {
        Ok(value) => Ok(value),
        Err(FlowError::Api(error)) if error.needs_new_sign_in() => {
            *guard = None;
            Err(FlowError::Api(error).into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Earlier versions kept a refresh token for the MFA API in the keyring. It bought nothing
/// and let whoever sits at an unlocked desktop remove authenticators without MFA: the first
/// sign-in of each account removes it. (The keyring cannot list entries, so this cannot
/// happen before anyone signs in.)
pub async fn forget_legacy_refresh_token(state: &AppState, account: &str) {
    let Ok(tenant) = state.tenant() else { return };
    let key = refresh_token_key(&tenant.keyring_namespace, account);
    let store = state.store.clone();
    if let Err(error) = blocking(move || store.delete(&key)).await {
        tracing::warn!(code = %error.code(), "old refresh token not removed");
    }
}

/// The person's authenticators, fetched again.
pub async fn refreshed_methods(state: &AppState) -> CommandResult<MethodsView> {
    with_session(state, async |session: &mut MfaSession, client| {
        Ok(MethodsView::new(
            session.refresh_authenticators(client).await?,
        ))
    })
    .await
}

/// What every successful enrollment or verification leads to: the refreshed list, and the
/// recovery code to export when this was the first enrollment.
pub async fn after_verification<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> CommandResult<ConfirmedView> {
    state.wizard().end_enrollment();
    let methods = refreshed_methods(state).await?;
    let recovery_code = recovery_code::shown(state);
    screen_guard::guard_screen(app, state);
    Ok(ConfirmedView {
        recovery_code,
        methods,
    })
}
