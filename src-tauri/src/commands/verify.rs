//! The verify wizard: challenge any active authenticator, then confirm its code.

use mfa_core::flow::MfaSession;
use mfa_core::secret_store::refresh_token_key;
use tauri::State;

use super::enroll::RESEND_COOLDOWN_SECS;
use super::with_session;
use crate::command_error::CommandResult;
use crate::state::AppState;
use crate::views::{authenticator_views, now_secs, AuthenticatorView, ChallengeView};

#[tauri::command]
pub async fn verify_start(
    state: State<'_, AppState>,
    authenticator_id: String,
) -> CommandResult<ChallengeView> {
    let started = with_session(&state, async |session: &mut MfaSession, client| {
        session.start_challenge(client, &authenticator_id).await
    })
    .await?;
    Ok(ChallengeView {
        kind: started.kind.as_str(),
        sent_to: started.masked_destination,
        resend_available_at: started
            .kind
            .sends_code()
            .then(|| now_secs() + RESEND_COOLDOWN_SECS),
    })
}

/// "Resend" and "call me instead" are a new challenge (for the voice sibling, say).
#[tauri::command]
pub async fn verify_resend(
    state: State<'_, AppState>,
    authenticator_id: String,
) -> CommandResult<ChallengeView> {
    verify_start(state, authenticator_id).await
}

#[tauri::command]
pub async fn verify_confirm(
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<Vec<AuthenticatorView>> {
    with_session(&state, async |session: &mut MfaSession, client| {
        session.confirm(client, &code).await
    })
    .await?;
    remember_refresh_token(&state).await;
    with_session(&state, async |session: &mut MfaSession, client| {
        Ok(authenticator_views(
            session.refresh_authenticators(client).await?,
        ))
    })
    .await
}

/// Keeps the refresh token (granted with `offline_access`) in the keyring, never on disk.
/// Failing to store it only costs a sign-in next time, so it is logged and not shown.
pub(crate) async fn remember_refresh_token(state: &AppState) {
    let Ok(tenant) = state.tenant() else { return };
    let session = state.session.lock().await;
    let Some(session) = session.as_ref() else {
        return;
    };
    let Some(refresh_token) = session.tokens().and_then(|t| t.refresh_token.as_ref()) else {
        return;
    };
    let key = refresh_token_key(&tenant.keyring_namespace, session.account());
    if let Err(error) = state.store.set(&key, refresh_token) {
        tracing::warn!(code = error.code(), "refresh token not stored");
    }
}
