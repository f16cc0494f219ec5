//! Adding a factor: associate it, then confirm it with the code the person receives (or the
//! push they approve). Two requests for every kind.

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::enroll_request::EnrollRequest;
use crate::flow::session::{MfaSession, Pending, PendingEnrollment};
use crate::input::{OtpCode, RecoveryCode};
use crate::model::FactorKind;
use crate::secret::{ExposeSecret, SecretString};

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
    /// verified sign-in holds. A kind the tenant's `enroll` rule leaves out is refused
    /// before anything is sent.
    pub async fn start_enrollment(
        &mut self,
        client: &Auth0Client,
        request: &EnrollRequest,
    ) -> Result<EnrollmentStarted, FlowError> {
        if self.active_factors().next().is_some() && !self.is_verified() {
            return Err(FlowError::VerificationRequired);
        }
        if !self.requirements.may_enroll(request.kind()) {
            return Err(FlowError::FactorNotOffered);
        }
        if self.through_my_account {
            return self.start_through_my_account(client, request).await;
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
        self.pending = Some(Pending {
            kind,
            oob_code,
            enrollment: Some(PendingEnrollment {
                request: request.clone(),
                otp_secret: otp.as_ref().map(|setup| setup.secret.clone()),
            }),
            my_account: None,
        });
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
        if pending.my_account.is_some() {
            return self.confirm_through_my_account(client, &code).await;
        }
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

    /// The enrollment in progress, if the pending step is one: for "send again" and for
    /// switching between SMS and voice.
    pub fn pending_enrollment(&self) -> Option<&EnrollRequest> {
        Some(&self.pending.as_ref()?.enrollment.as_ref()?.request)
    }

    /// The authenticator app's key of the enrollment in progress, for its Copy button.
    pub fn pending_otp_secret(&self) -> Option<&SecretString> {
        self.pending
            .as_ref()?
            .enrollment
            .as_ref()?
            .otp_secret
            .as_ref()
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
}
