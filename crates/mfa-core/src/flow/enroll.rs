//! Adding a factor: associate it, then confirm it with the code the person receives (or the
//! push they approve). Two requests for every kind.

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::session::{MfaSession, Pending};
use crate::flow::{mask_email, mask_phone};
use crate::input::{Email, OtpCode, PhoneNumber, RecoveryCode};
use crate::model::{AssociateRequest, FactorKind};
use crate::secret::{ExposeSecret, SecretString};

/// What to enroll, with its validated destination.
#[derive(Debug, Clone)]
pub enum EnrollRequest {
    Otp,
    Sms(PhoneNumber),
    Voice(PhoneNumber),
    Email(Email),
    Push,
}

impl EnrollRequest {
    pub fn kind(&self) -> FactorKind {
        match self {
            Self::Otp => FactorKind::Otp,
            Self::Sms(_) => FactorKind::Sms,
            Self::Voice(_) => FactorKind::Voice,
            Self::Email(_) => FactorKind::Email,
            Self::Push => FactorKind::Push,
        }
    }

    fn body(&self) -> AssociateRequest {
        let oob = |channel| AssociateRequest {
            authenticator_types: vec!["oob"],
            oob_channels: Some(vec![channel]),
            phone_number: None,
            email: None,
        };
        match self {
            Self::Otp => AssociateRequest {
                authenticator_types: vec!["otp"],
                oob_channels: None,
                phone_number: None,
                email: None,
            },
            Self::Sms(phone) => AssociateRequest {
                phone_number: Some(phone.e164().to_owned()),
                ..oob("sms")
            },
            Self::Voice(phone) => AssociateRequest {
                phone_number: Some(phone.e164().to_owned()),
                ..oob("voice")
            },
            Self::Email(email) => AssociateRequest {
                email: Some(email.as_str().to_owned()),
                ..oob("email")
            },
            Self::Push => oob("auth0"),
        }
    }

    /// Where the code went, masked, for "we sent a code to …".
    fn masked_destination(&self) -> Option<String> {
        match self {
            Self::Sms(phone) | Self::Voice(phone) => Some(mask_phone(phone)),
            Self::Email(email) => Some(mask_email(email)),
            Self::Otp | Self::Push => None,
        }
    }
}

/// The secret an authenticator app needs, shown once so the person can scan or type it.
#[derive(Debug)]
pub struct OtpSetup {
    pub secret: SecretString,
    pub barcode_uri: SecretString,
}

#[derive(Debug)]
pub struct EnrollmentStarted {
    pub kind: FactorKind,
    pub masked_destination: Option<String>,
    pub otp: Option<OtpSetup>,
    /// Push: the URI for Guardian's QR code (valid five minutes).
    pub push_uri: Option<SecretString>,
    /// Only on the first enrollment. Keep it safe *now*: it will not be shown again.
    pub recovery_code: Option<RecoveryCode>,
}

impl MfaSession {
    /// `POST /mfa/associate`. While the person has no active factor the `mfa_token` is
    /// enough; afterwards Auth0 wants the MFA-API access token (scope `enroll`) that a
    /// verified sign-in holds.
    pub async fn start_enrollment(
        &mut self,
        client: &Auth0Client,
        request: &EnrollRequest,
    ) -> Result<EnrollmentStarted, FlowError> {
        if self.active_factors().next().is_some() && !self.is_verified() {
            return Err(FlowError::VerificationRequired);
        }
        let bearer = self.bearer_with_scope("enroll")?;
        let association = client.associate(bearer, &request.body()).await?;
        let kind = request.kind();
        let otp = match kind {
            FactorKind::Otp => Some(OtpSetup {
                secret: association
                    .secret
                    .ok_or(FlowError::Incomplete("the secret"))?,
                barcode_uri: association
                    .barcode_uri
                    .clone()
                    .ok_or(FlowError::Incomplete("the QR code"))?,
            }),
            _ => None,
        };
        let oob_code = match kind {
            FactorKind::Otp => None,
            _ => Some(
                association
                    .oob_code
                    .ok_or(FlowError::Incomplete("oob_code"))?,
            ),
        };
        self.pending = Some(Pending { kind, oob_code });
        Ok(EnrollmentStarted {
            kind,
            masked_destination: request.masked_destination(),
            otp,
            push_uri: if kind == FactorKind::Push {
                association.barcode_uri
            } else {
                None
            },
            recovery_code: association.recovery_code,
        })
    }

    /// Confirms the pending enrollment or challenge with the code the person typed: `mfa-otp`
    /// for an authenticator app, `mfa-oob` with a binding code for SMS, voice and email.
    /// A wrong code leaves everything in place for another try.
    pub async fn confirm(&mut self, client: &Auth0Client, raw_code: &str) -> Result<(), FlowError> {
        let code = OtpCode::parse(raw_code)?;
        let pending = self.pending.as_ref().ok_or(FlowError::NothingPending)?;
        let mfa_token = self.mfa_token()?;
        let tokens = match (pending.kind, &pending.oob_code) {
            (FactorKind::Otp, _) => client.verify_otp(mfa_token, &code).await?,
            (kind, Some(oob_code)) if kind.sends_code() => {
                client.verify_oob(mfa_token, oob_code, Some(&code)).await?
            }
            _ => return Err(FlowError::NothingPending),
        };
        self.verified(tokens);
        Ok(())
    }

    /// The kind of the pending enrollment or challenge, if any.
    pub fn pending_kind(&self) -> Option<FactorKind> {
        self.pending.as_ref().map(|p| p.kind)
    }

    /// Forgets a pending step (the person went back or cancelled).
    pub fn cancel_pending(&mut self) {
        self.pending = None;
    }
}

impl OtpSetup {
    /// The secret in groups of four, the way people type it into an app.
    pub fn grouped_secret(&self) -> Vec<String> {
        crate::input::group(self.secret.expose_secret(), 4)
    }
}
