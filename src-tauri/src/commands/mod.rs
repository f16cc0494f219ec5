//! Tauri commands: thin glue that takes what the webview sends, calls the core, and answers
//! with a view or a [`CommandError`](crate::command_error::CommandError). No MFA rule lives here.

pub mod demo;
pub mod enroll;
pub mod manage;
pub mod recovery;
pub mod session;
pub mod verify;

use mfa_core::flow::MfaSession;
use mfa_core::FlowError;

use crate::command_error::{CommandError, CommandResult};
use crate::state::AppState;

/// Runs `f` on the signed-in session. When Auth0 says the short-lived MFA session is over,
/// the session is dropped so the UI returns to sign-in.
pub(crate) async fn with_session<T>(
    state: &AppState,
    f: impl AsyncFnOnce(&mut MfaSession, &mfa_core::Auth0Client) -> Result<T, FlowError>,
) -> CommandResult<T> {
    let client = &state.tenant()?.client;
    let mut guard = state.session.lock().await;
    let session = guard.as_mut().ok_or(CommandError::new("not_signed_in"))?;
    match f(session, client).await {
        Ok(value) => Ok(value),
        Err(FlowError::Api(error)) if error.needs_new_sign_in() => {
            *guard = None;
            Err(FlowError::Api(error).into())
        }
        Err(error) => Err(error.into()),
    }
}
