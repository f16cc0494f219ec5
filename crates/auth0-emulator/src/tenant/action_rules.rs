//! A tenant whose Action customises MFA factors (spec §2.2): the `mfa_required` answer then
//! names what the person may enroll and what may verify them, instead of every enabled
//! factor. The emulator mirrors the Action with a tenant setting so tests can limit them.

use serde::{Deserialize, Serialize};

use crate::wire::{FactorType, MfaRequirements};

/// The factor types `mfa_requirements` names (§2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorRuleType {
    Otp,
    PushNotification,
    Phone,
    Email,
    RecoveryCode,
}

impl FactorRuleType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Otp => "otp",
            Self::PushNotification => "push-notification",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::RecoveryCode => "recovery-code",
        }
    }
}

/// `{"enroll": [...], "challenge": [...]}`: the lists an Action's `enrollWithAny` and
/// `challengeWithAny` would pass. A list left out keeps the emulator's derived one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionFactorRules {
    #[serde(default)]
    pub enroll: Option<Vec<FactorRuleType>>,
    #[serde(default)]
    pub challenge: Option<Vec<FactorRuleType>>,
}

impl ActionFactorRules {
    /// May the hosted MFA step offer a factor of this `mfa_requirements` type?
    pub fn may_challenge(&self, factor_type: &str) -> bool {
        self.challenge
            .as_ref()
            .is_none_or(|list| list.iter().any(|t| t.as_str() == factor_type))
    }

    /// The Action's lists in place of the derived ones: an enrolled person is challenged,
    /// a new one enrolls, as without the Action.
    pub fn apply(&self, mut derived: MfaRequirements) -> MfaRequirements {
        let listed = |types: &[FactorRuleType]| {
            types
                .iter()
                .map(|t| FactorType { kind: t.as_str() })
                .collect()
        };
        if let (Some(list), Some(rule)) = (&mut derived.challenge, &self.challenge) {
            *list = listed(rule);
        }
        if let (Some(list), Some(rule)) = (&mut derived.enroll, &self.enroll) {
            *list = listed(rule);
        }
        derived
    }
}
