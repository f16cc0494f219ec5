//! What the webview is given: plain data for rendering, secrets only where the person must
//! see them (a recovery code, a TOTP secret during enrollment).

use mfa_core::flow::{MfaSession, NextStep, OtpSetup};
use mfa_core::methods::{self, Cascade};
use mfa_core::model::Authenticator;
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use serde::Serialize;

pub mod helpdesk;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorView {
    pub id: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub active: bool,
    /// Can be chosen to verify a sign-in.
    pub usable: bool,
    /// What Auth0 removes along with this one.
    pub cascade: Option<Cascade>,
    /// Removing it would leave nothing to sign in with.
    pub removes_last_method: bool,
    /// The SMS/voice twin for "call me instead" / "text me instead".
    pub phone_twin: Option<String>,
}

/// A person's authenticators, with what the core says about them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodsView {
    pub authenticators: Vec<AuthenticatorView>,
    /// Everything rests on one device, number or address: suggest a backup.
    pub backup_suggested: bool,
}

impl MethodsView {
    pub fn new(list: &[Authenticator]) -> Self {
        let usable_ids: Vec<&str> = methods::usable(list).map(|a| a.id.as_str()).collect();
        let authenticators = list
            .iter()
            .map(|a| {
                let removal = methods::removal_of(list, &a.id);
                AuthenticatorView {
                    id: a.id.clone(),
                    kind: a.kind().as_str(),
                    name: a.name.clone(),
                    active: a.active,
                    usable: usable_ids.contains(&a.id.as_str()),
                    cascade: removal.and_then(|r| r.cascade),
                    removes_last_method: removal.is_some_and(|r| r.leaves_no_method),
                    phone_twin: methods::phone_twin(list, &a.id).map(|t| t.id.clone()),
                }
            })
            .collect();
        Self {
            authenticators,
            backup_suggested: methods::independent_methods(list) == 1,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodeView {
    pub code: String,
    pub groups: Vec<String>,
    pub account: String,
    pub tenant: String,
    pub issued_at: u64,
    pub reason: IssuedFor,
    pub stored_in_keyring: bool,
}

impl RecoveryCodeView {
    pub fn new(pending: &PendingRecoveryCode, tenant: &str, stored_in_keyring: bool) -> Self {
        Self {
            code: pending.code.expose().to_owned(),
            groups: pending.code.groups(),
            account: pending.account.clone(),
            tenant: tenant.to_owned(),
            issued_at: pending.issued_at,
            reason: pending.reason,
            stored_in_keyring,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtpSetupView {
    pub secret_groups: Vec<String>,
    pub qr_data_url: String,
    pub issuer: String,
    pub account: String,
    pub algorithm: String,
    pub digits: u8,
    pub period: u16,
}

impl OtpSetupView {
    /// The issuer is the one Auth0 wrote into the `otpauth` URI, else the tenant's name.
    pub fn new(setup: &OtpSetup, tenant_name: &str, account: &str) -> Self {
        let parameters = setup.parameters();
        Self {
            secret_groups: setup.grouped_secret(),
            qr_data_url: mfa_core::qr::svg_data_url(setup.barcode_uri.expose_secret())
                .unwrap_or_default(),
            issuer: parameters.issuer.unwrap_or_else(|| tenant_name.to_owned()),
            account: account.to_owned(),
            algorithm: parameters.algorithm,
            digits: parameters.digits,
            period: parameters.period,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSetupView {
    pub qr_data_url: String,
    pub expires_at: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentView {
    pub kind: &'static str,
    pub sent_to: Option<String>,
    pub otp: Option<OtpSetupView>,
    pub push: Option<PushSetupView>,
    pub resend_available_at: Option<u64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    pub kind: &'static str,
    pub sent_to: Option<String>,
    pub resend_available_at: Option<u64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInView {
    pub next: &'static str,
    pub account: String,
    #[serde(flatten)]
    pub methods: MethodsView,
}

impl SignInView {
    /// Where a new session goes next, who it is, and the authenticators listed so far.
    pub fn new(session: &MfaSession) -> Self {
        Self {
            next: match session.next_step() {
                NextStep::Enroll => "enroll",
                NextStep::Verify => "verify",
                NextStep::Done => "done",
            },
            account: session.account().to_owned(),
            methods: MethodsView::new(session.authenticators()),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedView {
    pub recovery_code: Option<RecoveryCodeView>,
    #[serde(flatten)]
    pub methods: MethodsView,
}

/// Whether a file was saved (`false`: the person cancelled the dialog).
#[derive(Debug, Serialize)]
pub struct SavedView {
    pub saved: bool,
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
