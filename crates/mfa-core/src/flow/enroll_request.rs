//! What a person asked to enroll, validated before anything is sent: the kind, and the
//! phone number or address it goes to.

use crate::error::FlowError;
use crate::flow::mask::{mask_email, mask_phone};
use crate::input::{Email, PhoneNumber};
use crate::model::{AssociateRequest, FactorKind};

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
            // A passkey is enrolled with a WebAuthn ceremony (`my_account::passkey`).
            FactorKind::RecoveryCode | FactorKind::Passkey | FactorKind::Unknown => {
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

    pub(crate) fn body(&self) -> AssociateRequest {
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

    /// The other phone channel "call me instead" or "text me instead" may switch to: only for
    /// SMS and voice, and only when the organisation offers both.
    pub fn switchable_channel(&self, allowed: &[FactorKind]) -> Option<FactorKind> {
        let other = match self {
            Self::Sms(_) => FactorKind::Voice,
            Self::Voice(_) => FactorKind::Sms,
            Self::Otp | Self::Email(_) | Self::Push => return None,
        };
        (allowed.contains(&self.kind()) && allowed.contains(&other)).then_some(other)
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
    pub(crate) fn masked_destination(&self) -> Option<String> {
        match self {
            Self::Sms(phone) | Self::Voice(phone) => Some(mask_phone(phone)),
            Self::Email(email) => Some(mask_email(email)),
            Self::Otp | Self::Push => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn only_phones_switch_and_only_when_both_channels_are_offered() {
        let phone = PhoneNumber::parse(Some("FR"), "0612345678").unwrap();
        let both = [FactorKind::Sms, FactorKind::Voice];
        let sms = EnrollRequest::Sms(phone.clone());
        assert_eq!(sms.switchable_channel(&both), Some(FactorKind::Voice));
        assert_eq!(sms.switchable_channel(&[FactorKind::Sms]), None);
        let voice = EnrollRequest::Voice(phone);
        assert_eq!(voice.switchable_channel(&both), Some(FactorKind::Sms));
        assert_eq!(EnrollRequest::Otp.switchable_channel(&both), None);
    }
}
