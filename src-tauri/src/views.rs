//! What the webview is given: plain data for rendering, secrets only where the person must
//! see them (a recovery code, a TOTP secret during enrollment).

use mfa_core::flow::OtpSetup;
use mfa_core::model::Authenticator;
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorView {
    pub id: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub active: bool,
}

impl From<&Authenticator> for AuthenticatorView {
    fn from(a: &Authenticator) -> Self {
        Self {
            id: a.id.clone(),
            kind: a.kind().as_str(),
            name: a.name.clone(),
            active: a.active,
        }
    }
}

pub fn authenticator_views(list: &[Authenticator]) -> Vec<AuthenticatorView> {
    list.iter().map(AuthenticatorView::from).collect()
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
    pub secret: String,
    pub secret_groups: Vec<String>,
    pub qr_data_url: String,
    pub issuer: String,
    pub account: String,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: u16,
}

impl OtpSetupView {
    pub fn new(setup: &OtpSetup, issuer: &str, account: &str) -> Self {
        Self {
            secret: setup.secret.expose_secret().to_owned(),
            secret_groups: setup.grouped_secret(),
            qr_data_url: mfa_core::qr::svg_data_url(setup.barcode_uri.expose_secret())
                .unwrap_or_default(),
            issuer: issuer.to_owned(),
            account: account.to_owned(),
            algorithm: "SHA1",
            digits: 6,
            period: 30,
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
    pub authenticators: Vec<AuthenticatorView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedView {
    pub recovery_code: Option<RecoveryCodeView>,
    pub authenticators: Vec<AuthenticatorView>,
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The issuer shown next to the QR code, read back from the `otpauth` URI Auth0 produced.
pub fn issuer_of(barcode_uri: &str) -> Option<String> {
    let query = barcode_uri.split_once('?')?.1;
    let issuer = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("issuer="))?;
    Some(
        percent_encoding::percent_decode_str(issuer)
            .decode_utf8_lossy()
            .into_owned(),
    )
}
