//! Listing and removing one's own authenticators.

use mfa_core::flow::MfaSession;
use tauri::State;

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::session::refreshed_methods;
use crate::views::MethodsView;

#[tauri::command]
pub async fn list_authenticators(state: State<'_, AppState>) -> CommandResult<MethodsView> {
    refreshed_methods(&state.session, state.config.tenant()?).await
}

#[tauri::command]
pub async fn remove_authenticator(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<MethodsView> {
    let tenant = state.config.tenant()?;
    state
        .session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.remove(client, &id).await
        })
        .await?;
    refreshed_methods(&state.session, tenant).await
}
