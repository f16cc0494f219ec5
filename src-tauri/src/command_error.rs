//! The one error shape the webview sees: a stable code it translates, and when a retry is
//! allowed. No message text and no secret crosses to the UI.

use mfa_core::secret_store::StoreError;
use mfa_core::{ApiError, FlowError, InputError};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
}

impl CommandError {
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            retry_at: None,
        }
    }
}

impl From<FlowError> for CommandError {
    fn from(error: FlowError) -> Self {
        // The code, never the error's text: descriptions from a server are not ours to show.
        tracing::info!(code = error.code(), "command failed");
        Self {
            code: error.code(),
            retry_at: error.retry_at(),
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(error: ApiError) -> Self {
        FlowError::Api(error).into()
    }
}

impl From<InputError> for CommandError {
    fn from(error: InputError) -> Self {
        FlowError::Input(error).into()
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        tracing::warn!(code = error.code(), "keyring problem");
        Self::new(error.code())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
