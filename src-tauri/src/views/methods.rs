//! A person's own authenticators, with what the core says about each.

use mfa_core::flow::MfaSession;
use mfa_core::methods::{self, Cascade};
use mfa_core::model::FactorKind;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorView {
    pub id: String,
    pub kind: FactorKind,
    pub name: Option<String>,
    pub active: bool,
    /// Can be chosen to verify a sign-in (the recovery code has its own path), and the
    /// tenant's `challenge` rule allows its kind (spec §2.2).
    pub usable: bool,
    /// Can be removed from the list (the recovery code goes only with the last factor).
    pub removable: bool,
    /// What Auth0 removes along with this one.
    pub cascade: Option<Cascade>,
    /// Removing it would leave nothing to sign in with.
    pub removes_last_method: bool,
    /// The SMS/voice twin for "call me instead" / "text me instead".
    pub phone_twin: Option<String>,
    /// Can be given a name (My Account API sessions, §S5.2 `PATCH`).
    pub renamable: bool,
    /// A My Account phone whose codes can come the other way: `voice` or `sms`.
    pub switch_channel_to: Option<FactorKind>,
}

/// A person's authenticators, with what the core says about them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodsView {
    pub authenticators: Vec<AuthenticatorView>,
    /// Everything rests on one device, number or address: suggest a backup.
    pub backup_suggested: bool,
    /// Methods are managed through the My Account API (§S5): a new recovery code can be had.
    pub through_my_account: bool,
}

impl MethodsView {
    pub fn new(session: &MfaSession) -> Self {
        let (list, rules, listing) = (
            session.authenticators(),
            session.requirements(),
            session.listing(),
        );
        let usable_ids: Vec<&str> = methods::usable(list)
            .filter(|a| rules.may_challenge(a.kind()))
            .map(|a| a.id.as_str())
            .collect();
        let can_rename = session.can_rename();
        let authenticators = list
            .iter()
            .map(|a| {
                let removal = methods::removal_of(list, &a.id, listing);
                let kind = a.kind();
                AuthenticatorView {
                    id: a.id.clone(),
                    kind,
                    name: a.name.clone(),
                    active: a.active,
                    usable: usable_ids.contains(&a.id.as_str()),
                    removable: methods::removable(a),
                    cascade: removal.and_then(|r| r.cascade),
                    removes_last_method: removal.is_some_and(|r| r.leaves_no_method),
                    phone_twin: methods::phone_twin(list, &a.id).map(|t| t.id.clone()),
                    renamable: can_rename && a.active && kind != FactorKind::RecoveryCode,
                    switch_channel_to: match kind {
                        FactorKind::Sms if can_rename && a.active => Some(FactorKind::Voice),
                        FactorKind::Voice if can_rename && a.active => Some(FactorKind::Sms),
                        _ => None,
                    },
                }
            })
            .collect();
        Self {
            authenticators,
            backup_suggested: methods::independent_methods(list, listing) == 1,
            through_my_account: session.my_account_token().is_some(),
        }
    }
}
