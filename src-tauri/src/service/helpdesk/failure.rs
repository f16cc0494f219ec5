//! What a refusal from the core's helpdesk rules or from the helpdesk service becomes for
//! the screens: its code, when to retry, the permission the agent lacks, and whether a
//! change may have been made. A sign-in the service no longer accepts asks the agent to sign
//! in again instead.

use mfa_core::helpdesk::HelpdeskError;
use mfa_core::helpdesk_service::ServiceError;

use crate::command_error::{AppError, CommandError};

impl From<HelpdeskError> for CommandError {
    fn from(error: HelpdeskError) -> Self {
        tracing::info!(code = %error.code(), "helpdesk action refused or failed");
        let mut command_error = CommandError::with_retry(error.code(), error.retry_at());
        command_error.missing_scopes = error.missing_scopes().to_vec();
        command_error.outcome_unknown = error.outcome_unknown();
        command_error
    }
}

impl From<ServiceError> for CommandError {
    fn from(error: ServiceError) -> Self {
        tracing::info!(code = %error.code(), "the helpdesk service refused or failed");
        if error.needs_sign_in() {
            return AppError::HelpdeskSignInExpired.into();
        }
        let mut command_error = CommandError::with_retry(error.code(), error.retry_at());
        command_error.outcome_unknown = error.outcome_unknown();
        if let ServiceError::Refused { missing_scopes, .. } = &error {
            command_error.missing_scopes = missing_scopes.clone();
        }
        command_error
    }
}
