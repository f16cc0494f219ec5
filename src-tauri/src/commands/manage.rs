//! Listing and removing one's own authenticators.

use mfa_core::flow::MfaSession;
use tauri::State;

use super::with_session;
use crate::command_error::CommandResult;
use crate::state::AppState;
use crate::views::{authenticator_views, AuthenticatorView};

#[tauri::command]
pub async fn list_authenticators(
    state: State<'_, AppState>,
) -> CommandResult<Vec<AuthenticatorView>> {
    with_session(&state, async |session: &mut MfaSession, client| {
        Ok(authenticator_views(
            session.refresh_authenticators(client).await?,
        ))
    })
    .await
}

#[tauri::command]
pub async fn remove_authenticator(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<Vec<AuthenticatorView>> {
    with_session(&state, async |session: &mut MfaSession, client| {
        session.remove(client, &id).await?;
        Ok(authenticator_views(
            session.refresh_authenticators(client).await?,
        ))
    })
    .await
}
