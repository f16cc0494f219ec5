//! Signing in with the recovery code when the device is lost.

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::session::MfaSession;
use crate::input::RecoveryCode;
use crate::model::FactorKind;

impl MfaSession {
    /// One request: `mfa-recovery-code`. Returns the NEW code Auth0 issued; the old one is
    /// dead from now on, so the caller must keep the new one safe before showing it.
    ///
    /// Never retried: if the request left but no answer came back, Auth0 may have rotated the
    /// code already, and the person must hear that rather than see "wrong code" on a retry.
    /// Refused before anything is sent when the tenant's `challenge` rule leaves it out.
    pub async fn recover(
        &mut self,
        client: &Auth0Client,
        raw_code: &str,
    ) -> Result<RecoveryCode, FlowError> {
        let code = RecoveryCode::parse(raw_code)?;
        if !self.requirements.may_challenge(FactorKind::RecoveryCode) {
            return Err(FlowError::FactorNotOffered);
        }
        let mfa_token = self.mfa_token()?;
        let mut tokens = match client.verify_recovery_code(mfa_token, &code).await {
            Ok(tokens) => tokens,
            Err(error) if error.outcome_unknown() => return Err(FlowError::RecoveryOutcomeUnknown),
            Err(error) => return Err(error.into()),
        };
        let new_code = tokens.recovery_code.take();
        self.verified(tokens);
        new_code.ok_or(FlowError::Incomplete("the new recovery code"))
    }
}
