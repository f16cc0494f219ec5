//! Listing, renaming and removing one's own authenticators, and a phone's channel.

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

/// Renames a method (My Account API sessions only). A name the core refuses
/// (`input::method_name`) sends nothing and comes back as the field's error.
#[tauri::command]
pub async fn rename_method(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> CommandResult<MethodsView> {
    let tenant = state.config.tenant()?;
    state
        .session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.rename_method(client, &id, &name).await
        })
        .await?;
    refreshed_methods(&state.session, tenant).await
}

/// Whether a My Account phone's codes come by call (`voice: true`) or by text message.
#[tauri::command]
pub async fn set_phone_channel(
    state: State<'_, AppState>,
    id: String,
    voice: bool,
) -> CommandResult<MethodsView> {
    let tenant = state.config.tenant()?;
    state
        .session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.set_phone_channel(client, &id, voice).await
        })
        .await?;
    refreshed_methods(&state.session, tenant).await
}
