//! Why a command through the helpdesk service stopped, and why a sign-in did: the service's
//! codes (the same `error.<code>` the app words) sorted into the documented exit codes.

use mfa_core::device::DeviceFlowError;
use mfa_core::helpdesk_service::ServiceError;
use mfa_core::secret_store::StoreError;
use mfa_core::ErrorCode as C;

use crate::failure::{capitalised, Exit, Failure};

const LOGIN: &str = "run `mfa-desk-admin login`";

impl Failure {
    /// A failure of a call to the service. `changing` says whether the call was a change,
    /// which decides what a lost answer means.
    pub fn service(error: ServiceError, changing: bool, timeout_secs: u64) -> Self {
        let uncertain = if changing {
            " The change may or may not have been made: check with `methods` or `audit` before repeating it."
        } else {
            ""
        };
        let code = error.code();
        let (exit, message) = match &error {
            ServiceError::Connect(detail) => (
                Exit::Unavailable,
                format!("Could not reach the helpdesk service ({detail}); nothing was sent. If it is down, the tenant's administrators can use --direct."),
            ),
            ServiceError::Lost(detail) => (
                Exit::Unavailable,
                format!("The connection to the helpdesk service was lost before it answered ({detail}).{uncertain}"),
            ),
            ServiceError::Timeout => (
                Exit::Unavailable,
                format!("The helpdesk service did not answer within {timeout_secs} second{}.{uncertain}", if timeout_secs == 1 { "" } else { "s" }),
            ),
            ServiceError::Unexpected { status, detail } => (
                Exit::Other,
                format!("The helpdesk service sent an answer this tool does not understand (HTTP {status}: {detail})."),
            ),
            ServiceError::Refused { missing_scopes, .. } => refusal(code, missing_scopes, uncertain),
        };
        Self {
            exit,
            code,
            message,
            retry_at: error.retry_at(),
            details: None,
        }
    }

    /// A device sign-in that ended without a token.
    pub fn device(error: DeviceFlowError) -> Self {
        use DeviceFlowError as E;
        let (exit, message) = match &error {
            E::Expired => (Exit::NotSignedIn, "The code expired before the sign-in was confirmed: run `mfa-desk-admin login` again.".to_owned()),
            E::Denied => (Exit::Refused, "The sign-in was cancelled on the confirmation page, or the tenant refused it.".to_owned()),
            E::NotAllowed(detail) => (Exit::Refused, format!("The tenant does not allow this application the device sign-in ({detail}): IT enables the Device Code grant for it.")),
            E::RateLimited { .. } => (Exit::Unavailable, "The tenant is limiting the rate of requests: try again in a minute.".to_owned()),
            E::Connect(detail) => (Exit::Unavailable, format!("Could not connect to the tenant ({detail}); nothing was sent.")),
            E::Lost(_) | E::Timeout => (Exit::Unavailable, "The tenant did not answer: try again.".to_owned()),
            other => (Exit::Other, format!("{}.", capitalised(&other.to_string()))),
        };
        Self::new(exit, error.code(), message)
    }

    /// The keyring could not keep or give the agent's sign-in.
    pub fn store(error: StoreError) -> Self {
        Self::new(
            Exit::Other,
            error.code(),
            format!(
                "{} (the agent's sign-in is kept there).",
                capitalised(&error.to_string())
            ),
        )
    }
}

fn refusal(code: C, missing_scopes: &[String], uncertain: &str) -> (Exit, String) {
    let text = |s: &str| s.to_owned();
    match code {
        C::AgentTokenMissing | C::AgentTokenInvalid => (Exit::NotSignedIn, format!("The helpdesk service does not accept your sign-in: {LOGIN}.")),
        C::AgentTokenExpired => (Exit::NotSignedIn, format!("Your helpdesk sign-in has expired: {LOGIN}.")),
        C::AgentSignInTooOld => (Exit::NotSignedIn, format!("Your sign-in is older than IT allows for helpdesk work: {LOGIN}.")),
        C::AgentMfaMissing => (Exit::NotSignedIn, format!("Your sign-in did not include MFA: {LOGIN} and complete MFA.")),
        C::AgentPermissionMissing => (Exit::Refused, text("Your agent account lacks the permission this needs (see `mfa-desk-admin whoami`); IT grants helpdesk permissions by role.")),
        C::CallerNotVerified => (Exit::NotVerified, text("The caller is not verified: pass --verified-by HOW, or --verification ID from `verify`.")),
        C::VerificationExpired => (Exit::NotVerified, text("The verification has expired: verify the caller again.")),
        C::VerificationOtherCaller => (Exit::NotVerified, text("That verification is of another caller, or another agent's: verify this caller.")),
        C::PushExpired => (Exit::NotVerified, text("The push to the caller's phone expired unanswered.")),
        C::PushRejected => (Exit::NotVerified, text("The caller rejected the push on their phone.")),
        C::PushNotEnrolled => (Exit::Refused, text("The caller has no push method on their phone: verify them another way (--verified-by).")),
        C::UserNotFound | C::NotFound => (Exit::NotFound, text("No such user, verification or request exists.")),
        C::MethodNotFound => (Exit::NotFound, text("The user has no authentication method with this id; list them with `methods`.")),
        C::SelfApproval => (Exit::Refused, text("You cannot decide your own request: another agent must.")),
        C::ApprovalClosed => (Exit::Refused, text("The request is no longer waiting: it was decided or it expired.")),
        C::RecoveryCodeRecentlyIssued => (Exit::Refused, text("A recovery code was issued for this user moments ago: pass --replace to issue another (the previous one stops working).")),
        C::ResetConfirmationMismatch => (Exit::Usage, text("USER must be the caller's email or user id to confirm a reset; nothing was changed.")),
        C::CallerHasNoEmail => (Exit::Refused, text("The user has no email address on file: an enrollment email cannot be sent.")),
        C::MissingScope | C::InsufficientScope => (Exit::Refused, format!("The helpdesk service's application lacks {} on the Management API: IT grants it in the Auth0 dashboard.", if missing_scopes.is_empty() { "a permission".to_owned() } else { missing_scopes.join(", ") })),
        C::RateLimited => (Exit::Unavailable, text("Requests are being limited: try again in a minute.")),
        C::IdempotencyKeyInProgress => (Exit::Unavailable, text("The same change is still being carried out: try again in a moment.")),
        C::OutcomeUnknown | C::RecoveryCodeAnswerLost | C::ConnectionLost | C::Timeout => (Exit::Unavailable, format!("Auth0's answer to the service was lost.{uncertain}")),
        C::Network => (Exit::Unavailable, text("The helpdesk service could not reach Auth0; try again in a moment.")),
        C::ServerError => (Exit::Other, text("The helpdesk service had a problem; try again in a moment.")),
        other if is_input(other) => (Exit::Usage, format!("The helpdesk service refused a value ({other}); nothing was changed.")),
        other => (Exit::Other, format!("The helpdesk service refused the request ({other}).")),
    }
}

fn is_input(code: C) -> bool {
    matches!(
        code,
        C::InputEmpty
            | C::InputTooLong
            | C::InputMultipleLines
            | C::InputControlCharacters
            | C::InvalidEmail
            | C::InvalidUserId
            | C::InvalidMethodId
            | C::InvalidRequest
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit_of(status: u16, code: C) -> Exit {
        let refused = ServiceError::Refused {
            status,
            code,
            retry_at: None,
            missing_scopes: vec![],
        };
        Failure::service(refused, true, 20).exit
    }

    /// The documented exit codes of the service's refusals (README, `--help`).
    #[test]
    fn each_kind_of_refusal_has_its_exit_code() {
        for code in [
            C::AgentTokenMissing,
            C::AgentTokenInvalid,
            C::AgentTokenExpired,
            C::AgentSignInTooOld,
            C::AgentMfaMissing,
        ] {
            assert_eq!(exit_of(401, code), Exit::NotSignedIn, "{code}");
        }
        for code in [
            C::CallerNotVerified,
            C::VerificationExpired,
            C::VerificationOtherCaller,
            C::PushExpired,
        ] {
            assert_eq!(exit_of(403, code), Exit::NotVerified, "{code}");
        }
        for code in [
            C::AgentPermissionMissing,
            C::SelfApproval,
            C::ApprovalClosed,
            C::RecoveryCodeRecentlyIssued,
            C::PushNotEnrolled,
        ] {
            assert_eq!(exit_of(403, code), Exit::Refused, "{code}");
        }
        assert_eq!(exit_of(404, C::UserNotFound), Exit::NotFound);
        assert_eq!(exit_of(429, C::RateLimited), Exit::Unavailable);
        assert_eq!(exit_of(502, C::OutcomeUnknown), Exit::Unavailable);
        assert_eq!(exit_of(400, C::InputTooLong), Exit::Usage);
        let lost = Failure::service(ServiceError::Lost("reset".into()), true, 20);
        assert!(lost.message.contains("may or may not"), "{}", lost.message);
        let refused = Failure::service(ServiceError::Connect("refused".into()), false, 20);
        assert!(
            refused.message.contains("nothing was sent") && refused.message.contains("--direct")
        );
    }
}
