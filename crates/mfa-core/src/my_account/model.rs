//! What the My Account API sends back (§S5.2, §S5.3), as typed values; secrets move into
//! their secret types as soon as they are read.

use serde::{Deserialize, Serialize};

use crate::input::RecoveryCode;
use crate::model::FactorKind;
use crate::secret::SecretString;

/// One authentication method of `GET /me/v1/authentication-methods`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AuthenticationMethod {
    pub id: String,
    /// `totp`, `phone`, `email`, `push-notification`, `recovery-code`, `passkey`, …
    #[serde(rename = "type")]
    pub method_type: String,
    #[serde(default)]
    pub confirmed: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    /// `sms` or `voice`, for a phone.
    #[serde(default)]
    pub preferred_authentication_method: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

impl AuthenticationMethod {
    /// The kind the app knows it as: a phone is SMS or voice by its preferred channel.
    pub fn kind(&self) -> FactorKind {
        match self.method_type.as_str() {
            "totp" => FactorKind::Otp,
            "phone" if self.preferred_authentication_method.as_deref() == Some("voice") => {
                FactorKind::Voice
            }
            "phone" => FactorKind::Sms,
            "email" => FactorKind::Email,
            "push-notification" => FactorKind::Push,
            "recovery-code" => FactorKind::RecoveryCode,
            "passkey" => FactorKind::Passkey,
            _ => FactorKind::Unknown,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct MethodList {
    pub authentication_methods: Vec<AuthenticationMethod>,
}

/// The 202 of `POST /me/v1/authentication-methods` (§S5.3).
#[derive(Deserialize)]
pub(crate) struct RawStarted {
    pub id: Option<String>,
    pub auth_session: String,
    pub barcode_uri: Option<String>,
    pub manual_input_code: Option<String>,
    pub recovery_code: Option<String>,
}

/// An enrollment started: the method's id (as `Location` names it), the opaque
/// `auth_session` its verify call needs, and what the person must see to finish it.
#[derive(Debug)]
pub struct MethodStarted {
    pub id: String,
    pub auth_session: SecretString,
    /// Authenticator app: the `otpauth://` URI; push: Guardian's enrollment URI.
    pub barcode_uri: Option<SecretString>,
    /// Authenticator app: the key to type by hand.
    pub manual_input_code: Option<SecretString>,
    /// Recovery code: shown now, never again.
    pub recovery_code: Option<RecoveryCode>,
}

/// One factor of `GET /me/v1/factors`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Factor {
    #[serde(rename = "type")]
    pub factor_type: String,
    #[serde(default)]
    pub usage: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct FactorList {
    pub factors: Vec<Factor>,
}
