//! Adding a method through the My Account API (§S5.3): `POST` starts it and answers with an
//! `auth_session`, `POST …/{id}/verify` confirms it with the code (authenticator app, text
//! message, call, email), once Guardian has been scanned (push), or at once (recovery code).

use crate::client::Auth0Client;
use crate::error::{ApiError, FlowError};
use crate::flow::enroll::{EnrollmentStarted, OtpSetup};
use crate::flow::enroll_request::EnrollRequest;
use crate::flow::push::PushStatus;
use crate::flow::session::{MfaSession, Pending, PendingEnrollment};
use crate::input::{OtpCode, RecoveryCode};
use crate::model::FactorKind;
use crate::my_account::{MethodStarted, MyAccountClient};
use crate::secret::AccessToken;

impl MfaSession {
    /// `POST /me/v1/authentication-methods` for `request`; the `auth_session` waits in the
    /// pending step for [`MfaSession::confirm`] or [`MfaSession::poll_push`].
    pub(crate) async fn start_through_my_account(
        &mut self,
        client: &Auth0Client,
        request: &EnrollRequest,
    ) -> Result<EnrollmentStarted, FlowError> {
        let token = self
            .my_account_token()
            .ok_or(FlowError::VerificationRequired)?;
        let mut started = MyAccountClient::new(client).start(token, request).await?;
        let kind = request.kind();
        let otp = match kind {
            FactorKind::Otp => Some(OtpSetup {
                secret: started
                    .manual_input_code
                    .take()
                    .ok_or(FlowError::Incomplete("manual_input_code"))?,
                barcode_uri: started
                    .barcode_uri
                    .clone()
                    .ok_or(FlowError::Incomplete("barcode_uri"))?,
            }),
            _ => None,
        };
        let push_uri = match kind {
            FactorKind::Push => Some(
                started
                    .barcode_uri
                    .clone()
                    .ok_or(FlowError::Incomplete("barcode_uri"))?,
            ),
            _ => None,
        };
        self.pending = Some(Pending {
            kind,
            oob_code: None,
            enrollment: Some(PendingEnrollment {
                request: request.clone(),
                otp_secret: otp.as_ref().map(|setup| setup.secret.clone()),
            }),
            my_account: Some(started),
        });
        Ok(EnrollmentStarted {
            kind,
            masked_destination: request.masked_destination(),
            otp,
            push_uri,
            // My Account enrolls a recovery code on its own (`new_recovery_code`).
            recovery_code: None,
        })
    }

    /// `POST …/{id}/verify` with the code. A wrong code keeps the step for another try;
    /// an `auth_session` that expired or was used ends it (start again).
    pub(crate) async fn confirm_through_my_account(
        &mut self,
        client: &Auth0Client,
        code: &OtpCode,
    ) -> Result<(), FlowError> {
        let answer = self.verify_pending(client, Some(code.as_str())).await;
        match answer {
            Ok(()) => Ok(()),
            Err(ApiError::CodeExpired) => {
                self.pending = None;
                Err(ApiError::CodeExpired.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Asks once whether Guardian has confirmed the pending push enrollment: its verify
    /// answers 201 once scanned, and the 400 "not confirmed on the device yet" before
    /// (`my_account::decode`, §S5.3 UNCONFIRMED).
    pub(crate) async fn poll_push_through_my_account(
        &mut self,
        client: &Auth0Client,
    ) -> Result<PushStatus, FlowError> {
        match self.verify_pending(client, None).await {
            Ok(()) => Ok(PushStatus::Approved),
            Err(ApiError::AuthorizationPending) => Ok(PushStatus::Pending),
            Err(ApiError::RateLimited { .. }) => Ok(PushStatus::SlowDown),
            Err(ApiError::CodeExpired) => {
                self.pending = None;
                Err(ApiError::CodeExpired.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Verifies the pending My Account enrollment; done, it is no longer pending.
    async fn verify_pending(
        &mut self,
        client: &Auth0Client,
        otp_code: Option<&str>,
    ) -> Result<(), ApiError> {
        let (token, started) = self.pending_my_account().ok_or(ApiError::NotFound)?;
        MyAccountClient::new(client)
            .verify(token, started, otp_code)
            .await?;
        self.pending = None;
        Ok(())
    }

    fn pending_my_account(&self) -> Option<(&AccessToken, &MethodStarted)> {
        let started = self.pending.as_ref()?.my_account.as_ref()?;
        Some((self.my_account_token()?, started))
    }

    /// A new recovery code through the My Account API: the active one (if any) is removed
    /// first (Auth0 keeps one per person; the emulator refuses a second), the new one
    /// enrolled and verified at once, then handed back to be kept and shown.
    ///
    /// Verified before the person has saved it, on purpose: the `auth_session` lives only
    /// minutes (§S5.3, TTL unrecorded), and a code saved after that would be one that never
    /// works, with nobody knowing. The export dialog keeps the verified code crash-safe
    /// until the person says it is stored.
    pub async fn new_recovery_code(
        &mut self,
        client: &Auth0Client,
    ) -> Result<RecoveryCode, FlowError> {
        let token = self
            .my_account_token()
            .ok_or(FlowError::MyAccountRequired)?;
        let api = MyAccountClient::new(client);
        let old: Vec<String> = self
            .authenticators
            .iter()
            .filter(|a| a.kind() == FactorKind::RecoveryCode)
            .map(|a| a.id.clone())
            .collect();
        for id in &old {
            api.remove(token, id).await?;
        }
        let mut started = api.start_recovery_code(token).await?;
        let code = started
            .recovery_code
            .take()
            .ok_or(FlowError::Incomplete("recovery_code"))?;
        match api.verify(token, &started, None).await {
            Ok(_) => {}
            Err(error) if error.outcome_unknown() => return Err(FlowError::RecoveryOutcomeUnknown),
            Err(error) => return Err(error.into()),
        }
        self.list_through_my_account(client).await?;
        Ok(code)
    }
}
