//! The verify wizard: challenge any active authenticator, then confirm its code.

use mfa_core::flow::MfaSession;
use tauri::{AppHandle, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::resend_available_at;
use crate::service::session::after_verification;
use crate::views::{ChallengeView, ConfirmedView};

#[tauri::command]
pub async fn verify_start(
    state: State<'_, AppState>,
    authenticator_id: String,
) -> CommandResult<ChallengeView> {
    let started = state
        .session
        .with(
            state.config.tenant()?,
            async |session: &mut MfaSession, client| {
                session.start_challenge(client, &authenticator_id).await
            },
        )
        .await?;
    Ok(ChallengeView {
        kind: started.kind,
        sent_to: started.masked_destination,
        resend_available_at: resend_available_at(started.kind),
    })
}

/// "Resend" and "call me instead" are a new challenge (for the voice twin, say).
#[tauri::command]
pub async fn verify_resend(
    state: State<'_, AppState>,
    authenticator_id: String,
) -> CommandResult<ChallengeView> {
    verify_start(state, authenticator_id).await
}

#[tauri::command]
pub async fn verify_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<ConfirmedView> {
    let tenant = state.config.tenant()?;
    state
        .session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.confirm(client, &code).await
        })
        .await?;
    after_verification(&app, &state.session, tenant, &state.codes).await
}
