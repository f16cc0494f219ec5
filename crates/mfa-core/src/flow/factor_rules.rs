//! The tenant's own factor rules: when an Action customises MFA, the `mfa_required` answer
//! says which kinds may be enrolled (`enroll`) and which may be used to verify
//! (`challenge`), spec §2.2. Offering anything else would only meet the Action's refusal.

use crate::model::{FactorKind, MfaRequirements};

/// The `mfa_requirements` type that covers `kind` (§2.2: `phone` is SMS and voice alike).
fn requirement_type(kind: FactorKind) -> Option<&'static str> {
    Some(match kind {
        FactorKind::Otp => "otp",
        FactorKind::Sms | FactorKind::Voice => "phone",
        FactorKind::Email => "email",
        FactorKind::Push => "push-notification",
        FactorKind::RecoveryCode => "recovery-code",
        // No `mfa_requirements` type names a passkey: Auth0 enrolls it as a first factor
        // (`usage: ["primary"]`, §S5.3), outside the MFA step.
        FactorKind::Passkey | FactorKind::Unknown => return None,
    })
}

fn allows(list: Option<&[crate::model::FactorRequirement]>, kind: FactorKind) -> bool {
    match list {
        None => true,
        Some(list) => requirement_type(kind).is_some_and(|t| list.iter().any(|r| r.kind == t)),
    }
}

impl MfaRequirements {
    /// May a factor of this kind be enrolled? Without an `enroll` list, yes.
    pub fn may_enroll(&self, kind: FactorKind) -> bool {
        allows(self.enroll.as_deref(), kind)
    }

    /// May a factor of this kind be used to verify? Without a `challenge` list, yes.
    pub fn may_challenge(&self, kind: FactorKind) -> bool {
        allows(self.challenge.as_deref(), kind)
    }

    /// The kinds among `offered` (the organisation's list) that may be enrolled, in order.
    pub fn enrollable(&self, offered: &[FactorKind]) -> Vec<FactorKind> {
        offered
            .iter()
            .copied()
            .filter(|&kind| self.may_enroll(kind))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(json: &str) -> MfaRequirements {
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn a_missing_list_or_an_unknown_shape_constrains_nothing() {
        for json in [
            "{}",
            r#"{"challenge_types":["otp","oob"]}"#,
            r#"{"enroll":"otp"}"#,
        ] {
            let rules = parsed(json);
            assert!(rules.may_enroll(FactorKind::Push), "{json}");
            assert!(rules.may_challenge(FactorKind::RecoveryCode), "{json}");
        }
    }

    #[test]
    fn phone_covers_sms_and_voice_and_lists_limit_their_own_step() {
        let rules = parsed(
            r#"{"enroll":[{"type":"phone"},{"type":"webauthn-roaming"}],"challenge":[{"type":"otp"}]}"#,
        );
        let offered = [
            FactorKind::Otp,
            FactorKind::Sms,
            FactorKind::Voice,
            FactorKind::Email,
        ];
        assert_eq!(
            rules.enrollable(&offered),
            [FactorKind::Sms, FactorKind::Voice]
        );
        assert!(rules.may_challenge(FactorKind::Otp));
        assert!(!rules.may_challenge(FactorKind::Sms));
        assert!(!rules.may_challenge(FactorKind::RecoveryCode));
        assert!(!rules.may_enroll(FactorKind::Unknown));
    }
}
