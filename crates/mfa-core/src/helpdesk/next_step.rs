//! What the agent tells the caller after an action, in plain language: one typed step per
//! outcome, which the UI words in the agent's language (`helpdesk.next.<step>`).

use serde::Serialize;

use super::actions::ActionKind;
use super::caller::Standing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum CallerNextStep {
    /// Sign in with MFA Desk, choose "Use a recovery code", enter the code just read out,
    /// then set up a new method (and remove the lost one).
    SignInWithIssuedRecoveryCode,
    /// The next sign-in asks them to set up a method, as for a new account.
    SetUpAtNextSignIn,
    /// Open the email just sent and follow its link to set up a method.
    FollowEnrollmentEmail,
    /// Sign in with a method they still have, then add a new one.
    SignInWithRemainingMethod,
    /// Only the recovery code is left: sign in with it and set up a new method; without it,
    /// call back for a new one.
    SignInWithRecoveryCodeThenSetUp,
    /// Every browser that skipped MFA asks for it at the next sign-in.
    ExpectMfaOnEveryBrowser,
}

impl CallerNextStep {
    pub fn iter() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }
}

/// The step after `action`, given where the caller stands once it is done.
pub fn next_step(action: ActionKind, after: Standing) -> CallerNextStep {
    match action {
        ActionKind::IssueRecoveryCode => CallerNextStep::SignInWithIssuedRecoveryCode,
        ActionKind::ResetAll => CallerNextStep::SetUpAtNextSignIn,
        ActionKind::SendEnrollmentTicket => CallerNextStep::FollowEnrollmentEmail,
        ActionKind::ForgetBrowsers => CallerNextStep::ExpectMfaOnEveryBrowser,
        ActionKind::RemoveMethod => match after {
            Standing::HoldsFactors => CallerNextStep::SignInWithRemainingMethod,
            Standing::OnlyRecoveryCode => CallerNextStep::SignInWithRecoveryCodeThenSetUp,
            Standing::NoMethods => CallerNextStep::SetUpAtNextSignIn,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removal_points_to_what_is_left() {
        use CallerNextStep::*;
        assert_eq!(
            next_step(ActionKind::RemoveMethod, Standing::HoldsFactors),
            SignInWithRemainingMethod
        );
        assert_eq!(
            next_step(ActionKind::RemoveMethod, Standing::OnlyRecoveryCode),
            SignInWithRecoveryCodeThenSetUp
        );
        assert_eq!(
            next_step(ActionKind::RemoveMethod, Standing::NoMethods),
            SetUpAtNextSignIn
        );
        assert_eq!(
            next_step(ActionKind::IssueRecoveryCode, Standing::HoldsFactors),
            SignInWithIssuedRecoveryCode
        );
        assert_eq!(
            serde_json::to_string(&SignInWithIssuedRecoveryCode).unwrap(),
            "\"sign_in_with_issued_recovery_code\""
        );
    }
}
