//! "Add a security key or passkey": each step the ceremony asks of the person, and its end.

use mfa_core::ErrorCode;
use serde::Serialize;
use webauthn_client::Prompt;

use super::MethodsView;

#[derive(Debug, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SecurityKeyStepView {
    InsertKey,
    TouchKey,
    #[serde(rename_all = "camelCase")]
    EnterPin {
        retries_left: Option<u32>,
        after_wrong_pin: bool,
    },
    #[serde(rename_all = "camelCase")]
    SetPin {
        min_length: usize,
        max_bytes: usize,
        refused: Option<ErrorCode>,
    },
    /// Auth0 confirmed the new passkey: its id (to name it) and the refreshed list.
    #[serde(rename_all = "camelCase")]
    Done {
        method_id: String,
        methods: MethodsView,
    },
}

impl From<Prompt> for SecurityKeyStepView {
    fn from(prompt: Prompt) -> Self {
        match prompt {
            Prompt::InsertKey => Self::InsertKey,
            Prompt::TouchKey => Self::TouchKey,
            Prompt::EnterPin {
                retries_left,
                after_wrong_pin,
            } => Self::EnterPin {
                retries_left,
                after_wrong_pin,
            },
            Prompt::SetPin {
                min_length,
                max_bytes,
                refused,
            } => Self::SetPin {
                min_length,
                max_bytes,
                refused,
            },
        }
    }
}
