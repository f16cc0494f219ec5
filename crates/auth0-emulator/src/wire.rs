//! Response bodies of the Authentication and MFA APIs, one struct per wire
//! shape, field for field as in spec §2-7. Absent optional fields are left
//! out, never sent as `null`.

use serde::Serialize;

/// `POST /oauth/token` 200 (spec §2.1, §7, §12.1).
#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The rotated code after an `mfa-recovery-code` grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
}

/// One `{"type": …}` entry of `mfa_requirements`.
#[derive(Debug, Clone, Serialize)]
pub struct FactorType {
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// `mfa_requirements` of an `mfa_required` error (spec §2.2).
#[derive(Debug, Clone, Serialize)]
pub struct MfaRequirements {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Vec<FactorType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enroll: Option<Vec<FactorType>>,
}

/// One entry of `GET /mfa/authenticators` (spec §3).
#[derive(Debug, Clone, Serialize)]
pub struct AuthenticatorView {
    pub id: String,
    pub authenticator_type: &'static str,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_channel: Option<&'static str>,
    /// A masked phone number or email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Feature-flagged on Auth0; a tenant setting here.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

/// `POST /mfa/associate` 200 (spec §4.3).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AssociateResponse {
    pub authenticator_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barcode_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_code: Option<String>,
    /// Only on the user's first association (one code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_codes: Option<Vec<String>>,
}

/// `POST /mfa/challenge` 200 (spec §6).
#[derive(Debug, Clone, Serialize)]
pub struct ChallengeResponse {
    pub challenge_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_method: Option<&'static str>,
}
