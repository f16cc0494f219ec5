//! The enroll and verify wizards: what a new factor needs shown, what a challenge sent, and
//! what a confirmed step leads to.

use mfa_core::flow::OtpSetup;
use mfa_core::model::FactorKind;
use mfa_core::secret::ExposeSecret;
use serde::Serialize;

use super::{MethodsView, RecoveryCodeView};

/// A phone number as checked, for the "is this number right?" step.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView {
    pub e164: String,
    pub display: String,
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
    pub kind: FactorKind,
    pub sent_to: Option<String>,
    pub otp: Option<OtpSetupView>,
    pub push: Option<PushSetupView>,
    pub resend_available_at: Option<u64>,
    /// The other phone channel ("call me instead", "text me instead"), when IT offers both.
    pub switch_to: Option<FactorKind>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    pub kind: FactorKind,
    pub sent_to: Option<String>,
    pub resend_available_at: Option<u64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedView {
    pub recovery_code: Option<RecoveryCodeView>,
    #[serde(flatten)]
    pub methods: MethodsView,
}
