//! What the Management API returns and accepts, as typed values. Every field that §12.2 of the
//! wire spec lists as optional is optional here, and unknown fields are ignored, so a newer
//! Auth0 answer never breaks the helpdesk. Serializing gives the same field names back (the
//! command line's `--json` output).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::input::RecoveryCode;
use crate::secret::SecretString;

use super::input::UserId;

/// A user as `GET /api/v2/users/{id}` and `GET /api/v2/users-by-email` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logins_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// Legacy MFA providers (`guardian`, `google-authenticator`, `duo`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multifactor: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Identity>,
}

impl User {
    /// The id as a typed value (Auth0 is trusted to send a well-formed one).
    pub fn id(&self) -> UserId {
        UserId::from_server(self.user_id.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// A string for database users; some social providers send a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<IdentityUserId>,
    #[serde(default, rename = "isSocial", skip_serializing_if = "Option::is_none")]
    pub is_social: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdentityUserId {
    Text(String),
    Number(u64),
}

/// The kinds of authentication method the Management API names, and any kind added later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum MethodType {
    RecoveryCode,
    Totp,
    Push,
    Phone,
    Email,
    EmailVerification,
    WebauthnRoaming,
    WebauthnPlatform,
    Guardian,
    Passkey,
    Password,
    /// A kind this version does not know; kept as Auth0 spelled it.
    Other(String),
}

const METHOD_TYPES: [(MethodType, &str); 11] = [
    (MethodType::RecoveryCode, "recovery-code"),
    (MethodType::Totp, "totp"),
    (MethodType::Push, "push"),
    (MethodType::Phone, "phone"),
    (MethodType::Email, "email"),
    (MethodType::EmailVerification, "email-verification"),
    (MethodType::WebauthnRoaming, "webauthn-roaming"),
    (MethodType::WebauthnPlatform, "webauthn-platform"),
    (MethodType::Guardian, "guardian"),
    (MethodType::Passkey, "passkey"),
    (MethodType::Password, "password"),
];

impl MethodType {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(name) => name,
            known => METHOD_TYPES
                .iter()
                .find(|(kind, _)| kind == known)
                .map(|(_, name)| *name)
                .unwrap_or_default(),
        }
    }
}

impl From<String> for MethodType {
    fn from(name: String) -> Self {
        METHOD_TYPES
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(kind, _)| kind.clone())
            .unwrap_or(Self::Other(name))
    }
}

impl From<MethodType> for String {
    fn from(kind: MethodType) -> Self {
        kind.as_str().to_owned()
    }
}

impl fmt::Display for MethodType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One authentication method (`GET /api/v2/users/{id}/authentication-methods[/{id}]`).
/// Phone numbers and emails arrive masked (`XXXXXXXXXXX5044`, `chuc****@exam*******`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthenticationMethod {
    pub id: String,
    /// Required by the OpenAPI; older answers may lack it.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MethodType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `sms` or `voice`, for phone methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_authentication_method: Option<String>,
    /// The MFA API ids inside a phone method (`sms|dev_X`, `voice|dev_X`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authentication_methods: Vec<LinkedMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolled_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_auth_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_device_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_backed_up: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aaguid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
}

impl AuthenticationMethod {
    /// What identifies the method to a person: its masked phone or email, else its name.
    pub fn detail(&self) -> Option<&str> {
        self.phone_number
            .as_deref()
            .or(self.email.as_deref())
            .or(self.name.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedMethod {
    pub id: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The list endpoint answers a bare array, or a page with `include_totals=true`
/// (`total` is absent when the list is empty).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum MethodsPage {
    Page {
        authenticators: Vec<AuthenticationMethod>,
        #[serde(default)]
        total: Option<usize>,
    },
    Bare(Vec<AuthenticationMethod>),
}

/// `POST /api/v2/guardian/enrollments/ticket`.
#[derive(Debug, Clone, Serialize)]
pub struct EnrollmentTicketRequest {
    pub user_id: UserId,
    /// Where to send the invitation when it is not the user's profile email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Auth0 emails the ticket link to the user.
    pub send_mail: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_locale: Option<String>,
    /// `push-notification`, `phone`, `email`, `otp`, `webauthn-roaming`, `webauthn-platform`
    /// (Universal Login only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_multiple_enrollments: Option<bool>,
}

impl EnrollmentTicketRequest {
    pub fn new(user_id: UserId) -> Self {
        Self {
            user_id,
            email: None,
            send_mail: false,
            email_locale: None,
            factor: None,
            allow_multiple_enrollments: None,
        }
    }
}

/// An enrollment ticket. Whoever holds the URL can enroll a factor for the user, so both
/// values are secrets: shown to the agent once, never logged, never in the audit log.
#[derive(Debug)]
pub struct EnrollmentTicket {
    pub ticket_id: SecretString,
    pub ticket_url: SecretString,
}

#[derive(Deserialize)]
pub(crate) struct RawEnrollmentTicket {
    pub ticket_id: String,
    pub ticket_url: String,
}

impl From<RawEnrollmentTicket> for EnrollmentTicket {
    fn from(raw: RawEnrollmentTicket) -> Self {
        Self {
            ticket_id: SecretString::from(raw.ticket_id),
            ticket_url: SecretString::from(raw.ticket_url),
        }
    }
}

/// `POST /api/v2/users/{id}/recovery-code-regeneration` answers `{"recovery_code": "…"}`.
#[derive(Deserialize)]
pub(crate) struct RawRecoveryCode {
    pub recovery_code: String,
}

impl From<RawRecoveryCode> for RecoveryCode {
    fn from(raw: RawRecoveryCode) -> Self {
        RecoveryCode::from_server(raw.recovery_code)
    }
}

/// The client-credentials token answer.
#[derive(Deserialize)]
pub(crate) struct RawToken {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub scope: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recorded_methods_parse_and_unknown_fields_are_ignored() {
        let phone: AuthenticationMethod = serde_json::from_value(json!({
            "id": "phone|dev_kXVq4drj3Mw6uCF5", "type": "phone", "confirmed": true,
            "name": "MyPhone", "phone_number": "XXXXXXXXXXX5044",
            "created_at": "2023-03-10T16:25:52.099Z", "preferred_authentication_method": "sms",
            "authentication_methods": [{"id": "sms|dev_kXVq4drj3Mw6uCF5", "type": "sms"}],
            "something_new": {"nested": 1}
        }))
        .unwrap();
        assert_eq!(phone.kind, Some(MethodType::Phone));
        assert_eq!(phone.detail(), Some("XXXXXXXXXXX5044"));
        assert_eq!(
            phone.authentication_methods[0].id,
            "sms|dev_kXVq4drj3Mw6uCF5"
        );
        let future: AuthenticationMethod =
            serde_json::from_value(json!({"id": "x|y", "type": "quantum-key"})).unwrap();
        assert_eq!(future.kind, Some(MethodType::Other("quantum-key".into())));
        assert_eq!(
            serde_json::to_value(&future).unwrap(),
            json!({"id": "x|y", "type": "quantum-key"})
        );
    }

    #[test]
    fn both_list_shapes_parse() {
        let bare: MethodsPage = serde_json::from_value(json!([{"id": "totp|dev_1"}])).unwrap();
        assert!(matches!(bare, MethodsPage::Bare(v) if v.len() == 1));
        let empty: MethodsPage =
            serde_json::from_value(json!({"authenticators": [], "start": 0, "limit": 50})).unwrap();
        assert!(matches!(empty, MethodsPage::Page { total: None, .. }));
    }

    #[test]
    fn users_with_numeric_identity_ids_parse() {
        let user: User = serde_json::from_value(json!({
            "user_id": "github|42", "email": "a@example.com",
            "identities": [{"provider": "github", "user_id": 42, "connection": "github", "isSocial": true}],
            "app_metadata": {"ignored": true}
        }))
        .unwrap();
        assert_eq!(user.identities[0].user_id, Some(IdentityUserId::Number(42)));
    }
}
