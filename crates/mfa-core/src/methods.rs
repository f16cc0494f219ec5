//! Auth0's rules about a person's set of authenticators: which ones are really the same way
//! to sign in, what a removal takes with it, and when a person is down to one method. The UI
//! renders the answers; it does not work them out.

use serde::Serialize;

use crate::model::{Authenticator, FactorKind};

/// What Auth0 deletes along with an authenticator (spec §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cascade {
    /// SMS and voice to one phone go together.
    Phone,
    /// A Guardian push enrollment takes its authenticator-app twin with it.
    Push,
    /// An authenticator-app entry may be the twin of a push enrollment, which then goes too.
    Otp,
}

/// Which API listed the authenticators. The MFA API lists a push enrollment's
/// authenticator-app twin beside it; the My Account API hides the twin inside the push
/// method (§S5.2), and lists a phone once (its kind is the preferred channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    MfaApi,
    MyAccount,
}

/// The consequences of removing one authenticator, computed before asking the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    pub cascade: Option<Cascade>,
    /// Nothing usable to sign in with would be left (a recovery code alone is not enough:
    /// the person could neither verify nor enroll again).
    pub leaves_no_method: bool,
}

/// Authenticators a person can verify with (active, and neither the recovery code nor a
/// passkey: a passkey signs in, it is not a second factor, §S5.3 `usage: ["primary"]`).
pub fn usable(list: &[Authenticator]) -> impl Iterator<Item = &Authenticator> {
    list.iter()
        .filter(|a| a.active && !matches!(a.kind(), FactorKind::RecoveryCode | FactorKind::Passkey))
}

/// Whether the app offers to remove this authenticator. The recovery code is never offered:
/// a lost one is replaced by using it (`mfa-recovery-code` rotates it), and it goes with the
/// last factor.
pub fn removable(authenticator: &Authenticator) -> bool {
    authenticator.kind() != FactorKind::RecoveryCode
}

/// How many independent ways to pass MFA remain: SMS and voice to one phone are one way, and
/// each push enrollment is paired with an authenticator-app twin the MFA API lists separately.
pub fn independent_methods(list: &[Authenticator], listing: Listing) -> usize {
    let mut phones: Vec<&str> = usable(list)
        .filter(|a| matches!(a.kind(), FactorKind::Sms | FactorKind::Voice))
        .map(|a| suffix(&a.id))
        .collect();
    phones.sort_unstable();
    phones.dedup();
    let count = |kind| usable(list).filter(|a| a.kind() == kind).count();
    let push = count(FactorKind::Push);
    let twins = match listing {
        Listing::MfaApi => push,
        Listing::MyAccount => 0,
    };
    phones.len() + count(FactorKind::Email) + push + count(FactorKind::Otp).saturating_sub(twins)
}

/// What removing `id` would also remove, and whether the person would be left with nothing.
pub fn removal_of(list: &[Authenticator], id: &str, listing: Listing) -> Option<Removal> {
    let target = list.iter().find(|a| a.id == id)?;
    let kind = target.kind();
    let twins_listed = listing == Listing::MfaApi;
    let cascade = match kind {
        FactorKind::Sms | FactorKind::Voice => Some(Cascade::Phone),
        FactorKind::Push => Some(Cascade::Push),
        FactorKind::Otp if twins_listed && list.iter().any(|a| a.kind() == FactorKind::Push) => {
            Some(Cascade::Otp)
        }
        _ => None,
    };
    let mut rest: Vec<Authenticator> = list
        .iter()
        .filter(|a| !removed_with(target, a))
        .cloned()
        .collect();
    // The MFA API does not say which authenticator-app entry is a push's twin: assume the
    // worst, that one of them goes with it.
    if kind == FactorKind::Push && twins_listed {
        if let Some(at) = rest.iter().position(|a| a.kind() == FactorKind::Otp) {
            rest.remove(at);
        }
    }
    // Removing a passkey or the recovery code changes no way to pass MFA.
    let leaves_no_method = !matches!(kind, FactorKind::RecoveryCode | FactorKind::Passkey)
        && independent_methods(&rest, listing) == 0;
    Some(Removal {
        cascade,
        leaves_no_method,
    })
}

/// True when Auth0 deletes `other` together with `target` (the same id, or the SMS/voice twin
/// sharing its id suffix).
pub fn removed_with(target: &Authenticator, other: &Authenticator) -> bool {
    let phone = |a: &Authenticator| matches!(a.kind(), FactorKind::Sms | FactorKind::Voice);
    other.id == target.id
        || (phone(target) && phone(other) && suffix(&other.id) == suffix(&target.id))
}

/// The SMS/voice twin of a phone authenticator, for "call me instead" and "text me instead".
pub fn phone_twin<'a>(list: &'a [Authenticator], id: &str) -> Option<&'a Authenticator> {
    let target = list.iter().find(|a| a.id == id)?;
    let other = match target.kind() {
        FactorKind::Sms => FactorKind::Voice,
        FactorKind::Voice => FactorKind::Sms,
        _ => return None,
    };
    let twin_id = target.sibling_id(other)?;
    usable(list).find(|a| a.id == twin_id)
}

fn suffix(id: &str) -> &str {
    id.split_once('|').map_or(id, |(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticator(id: &str, active: bool) -> Authenticator {
        let (prefix, _) = id.split_once('|').unwrap();
        let (kind, channel) = match prefix {
            "totp" => ("otp", None),
            "recovery-code" => ("recovery-code", None),
            "push" => ("oob", Some("auth0")),
            other => ("oob", Some(other)),
        };
        Authenticator {
            id: id.into(),
            authenticator_type: kind.into(),
            active,
            oob_channel: channel.map(Into::into),
            oob_channels: None,
            name: None,
            kind_hint: None,
        }
    }

    fn list(ids: &[&str]) -> Vec<Authenticator> {
        ids.iter().map(|id| authenticator(id, true)).collect()
    }

    #[test]
    fn sms_and_voice_to_one_phone_are_one_method() {
        let all = list(&["sms|dev_A", "voice|dev_A", "recovery-code|dev_R"]);
        assert_eq!(independent_methods(&all, Listing::MfaApi), 1);
        let removal = removal_of(&all, "voice|dev_A", Listing::MfaApi).unwrap();
        assert_eq!(removal.cascade, Some(Cascade::Phone));
        assert!(removal.leaves_no_method);
        assert_eq!(phone_twin(&all, "sms|dev_A").unwrap().id, "voice|dev_A");
    }

    #[test]
    fn push_counts_once_with_its_twin_and_removal_assumes_the_twin_goes() {
        let all = list(&["push|dev_P", "totp|dev_T", "email|dev_E"]);
        assert_eq!(independent_methods(&all, Listing::MfaApi), 2);
        let removal = removal_of(&all, "push|dev_P", Listing::MfaApi).unwrap();
        assert_eq!(removal.cascade, Some(Cascade::Push));
        assert!(!removal.leaves_no_method);
        assert_eq!(
            removal_of(&all, "totp|dev_T", Listing::MfaApi)
                .unwrap()
                .cascade,
            Some(Cascade::Otp)
        );
        let only_push = list(&["push|dev_P", "totp|dev_T"]);
        assert!(
            removal_of(&only_push, "push|dev_P", Listing::MfaApi)
                .unwrap()
                .leaves_no_method
        );
    }

    #[test]
    fn a_recovery_code_alone_is_no_method_and_pending_ones_do_not_count() {
        let mut all = list(&["totp|dev_T", "recovery-code|dev_R"]);
        all.push(authenticator("sms|dev_S", false));
        assert_eq!(independent_methods(&all, Listing::MfaApi), 1);
        assert!(
            removal_of(&all, "totp|dev_T", Listing::MfaApi)
                .unwrap()
                .leaves_no_method
        );
        assert!(
            !removal_of(&all, "recovery-code|dev_R", Listing::MfaApi)
                .unwrap()
                .leaves_no_method
        );
        assert_eq!(removal_of(&all, "nope|x", Listing::MfaApi), None);
    }

    #[test]
    fn a_my_account_push_hides_its_twin_and_a_passkey_is_no_mfa_method() {
        let mut all = list(&["push|dev_P", "totp|dev_T"]);
        all.push(Authenticator {
            authenticator_type: "passkey".into(),
            oob_channel: None,
            ..authenticator("totp|dev_K", true)
        });
        all[2].id = "passkey|dev_K".into();
        assert_eq!(independent_methods(&all, Listing::MyAccount), 2);
        let push = removal_of(&all, "push|dev_P", Listing::MyAccount).unwrap();
        assert!(!push.leaves_no_method);
        assert_eq!(
            removal_of(&all, "totp|dev_T", Listing::MyAccount)
                .unwrap()
                .cascade,
            None
        );
        let key = removal_of(&all, "passkey|dev_K", Listing::MyAccount).unwrap();
        assert_eq!((key.cascade, key.leaves_no_method), (None, false));
        let only_key = &all[2..];
        assert_eq!(independent_methods(only_key, Listing::MyAccount), 0);
    }
}
