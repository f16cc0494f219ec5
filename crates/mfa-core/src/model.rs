//! What Auth0 sends and receives, as typed values. Responses accept the optional and legacy
//! fields the spec lists and ignore unknown ones; secrets are moved into their secret types
//! (`crate::secret`) as soon as they are parsed.

use serde::{Deserialize, Serialize};

use crate::input::RecoveryCode;
use crate::secret::{secret, AccessToken, IdToken, MfaToken, OobCode, RefreshToken, SecretString};

/// Tokens from a successful `/oauth/token` call.
#[derive(Debug)]
pub struct TokenSet {
    pub access_token: AccessToken,
    pub token_type: String,
    pub expires_in: u64,
    pub scope: Option<String>,
    pub id_token: Option<IdToken>,
    pub refresh_token: Option<RefreshToken>,
    /// The *new* recovery code after a recovery-code sign-in; the old one no longer works.
    pub recovery_code: Option<RecoveryCode>,
}

#[derive(Deserialize)]
pub(crate) struct RawTokenSet {
    access_token: String,
    #[serde(default = "bearer")]
    token_type: String,
    #[serde(default)]
    expires_in: u64,
    scope: Option<String>,
    id_token: Option<String>,
    refresh_token: Option<String>,
    recovery_code: Option<String>,
}

fn bearer() -> String {
    "Bearer".to_owned()
}

impl From<RawTokenSet> for TokenSet {
    fn from(raw: RawTokenSet) -> Self {
        Self {
            access_token: AccessToken::from(raw.access_token),
            token_type: raw.token_type,
            expires_in: raw.expires_in,
            scope: raw.scope,
            id_token: raw.id_token.map(IdToken::from),
            refresh_token: raw.refresh_token.map(RefreshToken::from),
            recovery_code: raw.recovery_code.map(RecoveryCode::from_server),
        }
    }
}

impl TokenSet {
    pub fn has_scope(&self, wanted: &str) -> bool {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .any(|s| s == wanted)
    }
}

/// The `mfa_required` answer to a sign-in: a short-lived `mfa_token` and, on tenants that
/// customise factors with Actions, what the person may use.
#[derive(Debug)]
pub struct MfaRequired {
    pub mfa_token: MfaToken,
    pub requirements: MfaRequirements,
}

/// `mfa_requirements`; missing or in an unknown shape means "no constraints" (as Auth0's SDKs
/// do, spec §2.2). A list that is present limits its step to the types it names (the rules
/// live in `flow::factor_rules`).
#[derive(Debug, Default, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct MfaRequirements {
    #[serde(default)]
    pub challenge: Option<Vec<FactorRequirement>>,
    #[serde(default)]
    pub enroll: Option<Vec<FactorRequirement>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct FactorRequirement {
    #[serde(rename = "type")]
    pub kind: String,
}

/// Which kind of factor an authenticator is, derived from `authenticator_type` and `oob_channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorKind {
    Otp,
    Sms,
    Voice,
    Email,
    Push,
    RecoveryCode,
    /// A security key or passkey (WebAuthn), enrolled through the My Account API only: the
    /// MFA API neither lists nor enrolls them (§S5.2).
    Passkey,
    Unknown,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Otp => "otp",
            Self::Sms => "sms",
            Self::Voice => "voice",
            Self::Email => "email",
            Self::Push => "push",
            Self::RecoveryCode => "recovery-code",
            Self::Passkey => "passkey",
            Self::Unknown => "unknown",
        }
    }

    /// Factors whose code arrives in a message and is sent back as a `binding_code`.
    pub fn sends_code(self) -> bool {
        matches!(self, Self::Sms | Self::Voice | Self::Email)
    }
}

/// One entry of `GET /mfa/authenticators`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Authenticator {
    pub id: String,
    pub authenticator_type: String,
    #[serde(default)]
    pub active: bool,
    #[serde(default)]
    pub oob_channel: Option<String>,
    /// Legacy single-string form, still modelled by Auth0's SDKs.
    #[serde(default, skip_serializing)]
    pub oob_channels: Option<String>,
    /// A masked phone number or email, or a push device name.
    #[serde(default)]
    pub name: Option<String>,
    /// Newer, feature-flagged field (`phone`, `email`, `otp`, ...).
    #[serde(default, rename = "type")]
    pub kind_hint: Option<String>,
}

impl Authenticator {
    pub fn kind(&self) -> FactorKind {
        let channel = self.oob_channel.as_deref().or(self.oob_channels.as_deref());
        match (self.authenticator_type.as_str(), channel) {
            ("otp", _) => FactorKind::Otp,
            ("recovery-code", _) => FactorKind::RecoveryCode,
            // Only a My Account listing has passkeys (`flow::my_account`).
            ("passkey", _) => FactorKind::Passkey,
            ("oob", Some("sms")) => FactorKind::Sms,
            ("oob", Some("voice")) => FactorKind::Voice,
            ("oob", Some("email")) => FactorKind::Email,
            ("oob", Some("auth0")) => FactorKind::Push,
            _ => FactorKind::Unknown,
        }
    }

    /// The authenticator that shares this one's device: SMS and voice for one phone share the
    /// id suffix (`sms|dev_X`, `voice|dev_X`).
    pub fn sibling_id(&self, kind: FactorKind) -> Option<String> {
        let (_, suffix) = self.id.split_once('|')?;
        Some(format!("{}|{suffix}", kind.as_str()))
    }
}

/// The body of `POST /mfa/associate`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AssociateRequest {
    pub authenticator_types: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_channels: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The answer to `POST /mfa/associate`.
#[derive(Debug)]
pub struct Association {
    pub authenticator_type: String,
    pub oob_channel: Option<String>,
    /// TOTP only: the shared secret (base32). Shown once, on purpose, for manual entry.
    pub secret: Option<SecretString>,
    /// TOTP: `otpauth://totp/...?secret=...`; push: the Guardian enrollment URI.
    pub barcode_uri: Option<SecretString>,
    pub oob_code: Option<OobCode>,
    pub binding_method: Option<String>,
    /// Only on the person's first enrollment, when the tenant has recovery codes on.
    pub recovery_code: Option<RecoveryCode>,
}

#[derive(Deserialize)]
pub(crate) struct RawAssociation {
    authenticator_type: String,
    oob_channel: Option<String>,
    oob_channels: Option<String>,
    secret: Option<String>,
    barcode_uri: Option<String>,
    oob_code: Option<String>,
    binding_method: Option<String>,
    #[serde(default)]
    recovery_codes: Vec<String>,
}

impl From<RawAssociation> for Association {
    fn from(raw: RawAssociation) -> Self {
        Self {
            authenticator_type: raw.authenticator_type,
            oob_channel: raw.oob_channel.or(raw.oob_channels),
            secret: raw.secret.map(secret),
            barcode_uri: raw.barcode_uri.map(secret),
            oob_code: raw.oob_code.map(OobCode::from),
            binding_method: raw.binding_method,
            recovery_code: raw
                .recovery_codes
                .into_iter()
                .next()
                .map(RecoveryCode::from_server),
        }
    }
}

/// The body of `POST /mfa/challenge` (without the credentials the client adds).
#[derive(Debug, Clone, Default)]
pub struct ChallengeRequest {
    /// `otp`, `oob` or a space-separated list; `None` means any.
    pub challenge_type: Option<String>,
    pub authenticator_id: Option<String>,
}

/// The answer to `POST /mfa/challenge`.
#[derive(Debug)]
pub struct Challenge {
    pub challenge_type: String,
    pub oob_code: Option<OobCode>,
    pub binding_method: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct RawChallenge {
    challenge_type: String,
    oob_code: Option<String>,
    binding_method: Option<String>,
}

impl From<RawChallenge> for Challenge {
    fn from(raw: RawChallenge) -> Self {
        Self {
            challenge_type: raw.challenge_type,
            oob_code: raw.oob_code.map(OobCode::from),
            binding_method: raw.binding_method,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authenticators_accept_legacy_and_unknown_fields() {
        let list: Vec<Authenticator> = serde_json::from_str(
            r#"[{"id":"sms|dev_klnv5yshzzoosSUm","authenticator_type":"oob","active":false,"oob_channel":"sms","name":"XXXXXXXXX9167","future":1},
                {"id":"push|dev_BBTKYpxKHOXVBnql","authenticator_type":"oob","oob_channels":"auth0"},
                {"id":"recovery-code|dev_i1kgKoFSZLbPt6G1","authenticator_type":"recovery-code","active":true,"type":"recovery-code"}]"#,
        )
        .unwrap();
        let kinds: Vec<_> = list.iter().map(Authenticator::kind).collect();
        assert_eq!(
            kinds,
            [FactorKind::Sms, FactorKind::Push, FactorKind::RecoveryCode]
        );
        assert_eq!(
            list[0].sibling_id(FactorKind::Voice).unwrap(),
            "voice|dev_klnv5yshzzoosSUm"
        );
    }
}
