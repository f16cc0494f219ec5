//! The one error shape the webview sees: a stable code it translates, and when a retry is
//! allowed. No message text and no secret crosses to the UI.
//!
//! Codes come from two typed lists: [`ErrorCode`] for everything the core reports, and
//! [`AppError`] for what only the desktop app can get wrong. Both serialize to the same
//! `snake_case` strings the catalogues key on (`error.<code>`).

use mfa_core::secret_store::StoreError;
use mfa_core::{ApiError, ErrorCode, FlowError, InputError};
use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

/// The app's own failures, beside the core's [`ErrorCode`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AppError {
    NotSignedIn,
    NotConfigured,
    ClipboardUnavailable,
    SaveFailed,
    NotDemo,
    /// The system browser could not be opened for a browser sign-in.
    BrowserUnavailable,
    /// A caller's recovery code asked for after the helpdesk session that issued it ended
    /// (ended, signed out, idle or too long, screen locked, app restarted): it is gone.
    CallerCodeGone,
    /// A caller's recovery code is read out or copied, never saved on the agent's computer.
    CallerCodeNotSaved,
    /// The helpdesk command names a caller other than the one open (or none is open).
    CallerNotOpen,
    /// The screen was locked, which ends helpdesk mode.
    HelpdeskScreenLocked,
    /// The agent's sign-in to the helpdesk service ran out (or the service no longer accepts
    /// it): they sign in again, and the screen they were on stays.
    HelpdeskSignInExpired,
    Internal,
}

impl AppError {
    pub fn iter() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Either list; serialized as the bare code string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Code {
    Core(ErrorCode),
    App(AppError),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    pub code: Code,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
    /// The person cannot get out of this alone: show the helpdesk contact.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub helpdesk: bool,
    /// The helpdesk permissions the agent's sign-in lacks (`helpdesk:reset`), shown beside
    /// the message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_scopes: Vec<String>,
    /// The change may have been made although no answer came back: check before retrying.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outcome_unknown: bool,
}

impl CommandError {
    fn core(code: ErrorCode, retry_at: Option<u64>) -> Self {
        Self {
            code: Code::Core(code),
            retry_at,
            helpdesk: code.needs_helpdesk(),
            missing_scopes: Vec::new(),
            outcome_unknown: false,
        }
    }

    /// A core code with the time a retry makes sense again.
    pub fn with_retry(code: ErrorCode, retry_at: Option<u64>) -> Self {
        Self::core(code, retry_at)
    }
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        Self {
            code: Code::App(error),
            retry_at: None,
            helpdesk: false,
            missing_scopes: Vec::new(),
            outcome_unknown: false,
        }
    }
}

impl From<ErrorCode> for CommandError {
    fn from(code: ErrorCode) -> Self {
        Self::core(code, None)
    }
}

impl From<FlowError> for CommandError {
    fn from(error: FlowError) -> Self {
        // The code, never the error's text: descriptions from a server are not ours to show.
        tracing::info!(code = %error.code(), "command failed");
        let mut command_error = Self::core(error.code(), error.retry_at());
        command_error.outcome_unknown = matches!(&error, FlowError::Api(e) if e.outcome_unknown());
        command_error
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
        tracing::warn!(code = %error.code(), "keyring problem");
        Self::core(error.code(), None)
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
