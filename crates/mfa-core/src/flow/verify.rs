//! Proving an enrolled factor: challenge it (nothing to send for an authenticator app), then
//! confirm with [`MfaSession::confirm`] or [`MfaSession::poll_push`].

use crate::client::Auth0Client;
use crate::error::{ApiError, FlowError};
use crate::flow::session::{MfaSession, Pending};
use crate::model::{ChallengeRequest, FactorKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeStarted {
    pub kind: FactorKind,
    /// The authenticator's masked name ("XXXXXXXX0123"), for "we sent a code to …".
    pub masked_destination: Option<String>,
}

impl MfaSession {
    /// Starts verifying one active authenticator. For an authenticator app nothing needs to
    /// be sent, so no request is made: the code goes straight to `mfa-otp`. A kind the
    /// tenant's `challenge` rule leaves out is refused before anything is sent.
    pub async fn start_challenge(
        &mut self,
        client: &Auth0Client,
        authenticator_id: &str,
    ) -> Result<ChallengeStarted, FlowError> {
        let authenticator = self
            .active_factors()
            .find(|a| a.id == authenticator_id)
            .ok_or(FlowError::Api(ApiError::InvalidAuthenticator))?;
        let kind = authenticator.kind();
        if !self.requirements.may_challenge(kind) {
            return Err(FlowError::FactorNotOffered);
        }
        let started = ChallengeStarted {
            kind,
            masked_destination: authenticator.name.clone(),
        };
        let oob_code = if kind == FactorKind::Otp {
            None
        } else {
            let request = ChallengeRequest {
                challenge_type: Some("oob".into()),
                authenticator_id: Some(authenticator_id.to_owned()),
            };
            let challenge = client.challenge(self.mfa_token()?, &request).await?;
            Some(
                challenge
                    .oob_code
                    .ok_or(FlowError::Incomplete("oob_code"))?,
            )
        };
        self.pending = Some(Pending {
            kind,
            oob_code,
            enrollment: None,
            my_account: None,
        });
        Ok(started)
    }
}
