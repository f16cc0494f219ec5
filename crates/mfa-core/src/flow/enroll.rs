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
    /// Validates what the person typed for `kind` (phone for SMS and voice, address for
    /// email) before anything is sent.
    pub fn new(
        kind: FactorKind,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<Self, FlowError> {
        let phone = || PhoneNumber::parse(None, phone.unwrap_or_default());
        Ok(match kind {
            FactorKind::Otp => Self::Otp,
            FactorKind::Sms => Self::Sms(phone()?),
            FactorKind::Voice => Self::Voice(phone()?),
            FactorKind::Email => Self::Email(Email::parse(email.unwrap_or_default())?),
            FactorKind::Push => Self::Push,
            FactorKind::RecoveryCode | FactorKind::Unknown => {
                return Err(FlowError::FactorNotOffered)
            }
        })
    }

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

    /// The same enrollment on another channel: "call me instead" or "text me instead" keeps
    /// the phone number; any other request stays as it is.
    pub fn on_channel(self, channel: FactorKind) -> Self {
        match (self, channel) {
            (Self::Sms(phone) | Self::Voice(phone), FactorKind::Voice) => Self::Voice(phone),
            (Self::Sms(phone) | Self::Voice(phone), FactorKind::Sms) => Self::Sms(phone),
            (request, _) => request,
        }
    }

    /// Refuses a kind the organisation does not offer, before anything is sent.
    pub fn offered_in(self, allowed: &[FactorKind]) -> Result<Self, FlowError> {
        if allowed.contains(&self.kind()) {
            Ok(self)
        } else {
            Err(FlowError::FactorNotOffered)
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

/// Auth0 leaves five minutes to scan the Guardian QR code.
pub const PUSH_QR_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

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
    /// A wrong code leaves everything in place for another try. After a browser sign-in the
    /// access token stands in for the `mfa_token` (see `flow::access_token`).
    pub async fn confirm(&mut self, client: &Auth0Client, raw_code: &str) -> Result<(), FlowError> {
        let code = OtpCode::parse(raw_code)?;
        let pending = self.pending.as_ref().ok_or(FlowError::NothingPending)?;
        let kind = pending.kind;
        let token = self.confirming_token()?;
        let answer = match (kind, &pending.oob_code) {
            (FactorKind::Otp, _) => client.verify_otp(token, &code).await,
            (kind, Some(oob_code)) if kind.sends_code() => {
                client.verify_oob(token, oob_code, Some(&code)).await
            }
            _ => return Err(FlowError::NothingPending),
        };
        match answer {
            Ok(tokens) => {
                self.verified(tokens);
                Ok(())
            }
            Err(error) => Err(self.unless_access_token_refused(client, kind, error).await),
        }
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

    /// The parameters an authenticator app will use, read back from the `otpauth` URI Auth0
    /// produced (spec §11), with the RFC 6238 defaults for what it leaves out.
    pub fn parameters(&self) -> OtpParameters {
        OtpParameters::from_uri(self.barcode_uri.expose_secret())
    }
}

/// What an authenticator app is told: issuer, algorithm, digits and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpParameters {
    pub issuer: Option<String>,
    pub algorithm: String,
    pub digits: u8,
    pub period: u16,
}

impl OtpParameters {
    pub fn from_uri(uri: &str) -> Self {
        let mut parameters = Self {
            issuer: None,
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
        };
        let Ok(url) = url::Url::parse(uri) else {
            return parameters;
        };
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "issuer" if !value.is_empty() => parameters.issuer = Some(value.into_owned()),
                "algorithm" => parameters.algorithm = value.to_ascii_uppercase(),
                "digits" => parameters.digits = value.parse().unwrap_or(parameters.digits),
                "period" => parameters.period = value.parse().unwrap_or(parameters.period),
                _ => {}
            }
        }
        parameters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otp_parameters_come_from_the_uri_with_rfc_defaults() {
        let p = OtpParameters::from_uri(
            "otpauth://totp/Acme%20Corp:ana%40example.com?secret=ABC&issuer=Acme%20Corp&algorithm=sha256&digits=8",
        );
        assert_eq!(p.issuer.as_deref(), Some("Acme Corp"));
        assert_eq!(
            (p.algorithm.as_str(), p.digits, p.period),
            ("SHA256", 8, 30)
        );
        assert_eq!(OtpParameters::from_uri("not a uri").digits, 6);
    }

    #[test]
    fn channel_switch_keeps_the_phone_and_ignores_other_kinds() {
        let phone = PhoneNumber::parse(Some("FR"), "0612345678").unwrap();
        let voice = EnrollRequest::Sms(phone).on_channel(FactorKind::Voice);
        assert_eq!(voice.kind(), FactorKind::Voice);
        assert_eq!(
            EnrollRequest::Otp.on_channel(FactorKind::Sms).kind(),
            FactorKind::Otp
        );
        assert!(matches!(
            EnrollRequest::Push.offered_in(&[FactorKind::Otp]),
            Err(FlowError::FactorNotOffered)
        ));
    }
}
