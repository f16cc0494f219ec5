//! The wire shapes of the `/__emulator/*` control API. The server serializes
//! them and the control client (feature `client`) deserializes them, so the
//! two cannot drift apart. Faults are [`crate::Fault`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a message left the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Voice,
    Email,
}

/// `GET /__emulator/outbox`: one SMS, voice call or email the tenant "sent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub channel: Channel,
    /// Phone number or email address.
    pub to: String,
    /// The 6-digit code; empty for messages without one (enrollment invitations).
    pub code: String,
    /// Virtual epoch seconds.
    pub sent_at: u64,
    pub text: String,
    /// A link the message carries (an enrollment ticket URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PushState {
    Pending,
    Approved,
    Denied,
}

/// `GET /__emulator/push` (or `null`), and the answer to approve/deny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPush {
    pub oob_code: String,
    pub user_id: String,
    pub email: Option<String>,
    pub authenticator_id: String,
    /// True when the push confirms a new enrollment rather than a sign-in.
    pub enrollment: bool,
    pub decision: PushState,
    pub created_at: u64,
    pub expires_at: u64,
    /// The binding message of a CIBA request (§S3.4) the push carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding_message: Option<String>,
}

/// Body of `POST /__emulator/push/{approve,deny}`: the newest pending push
/// unless `oob_code` names one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oob_code: Option<String>,
}

/// `GET /__emulator/clock` and `POST /__emulator/clock/advance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReading {
    /// Virtual epoch seconds.
    pub now: u64,
}

/// Body of `POST /__emulator/clock/advance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockAdvance {
    pub seconds: i64,
}

/// `GET /__emulator/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub connections_accepted: u64,
    /// Requests per path (ids replaced by `{id}`); control paths excluded.
    pub requests: BTreeMap<String, u64>,
}

impl Stats {
    /// Requests to every Auth0 endpoint together.
    pub fn total_requests(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// One TOTP authenticator in `GET /__emulator/secrets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpSecret {
    pub authenticator_id: String,
    pub secret: String,
    /// The code for the emulator's current 30 s step.
    pub current_code: String,
    pub active: bool,
}

/// One user in `GET /__emulator/secrets`: what a human would read off a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSecrets {
    pub email: String,
    pub user_id: String,
    /// Oldest first.
    pub otp: Vec<OtpSecret>,
    pub recovery_code: Option<String>,
    pub phone: Option<String>,
}

impl UserSecrets {
    /// The most recently enrolled TOTP authenticator.
    pub fn newest_otp(&self) -> Option<&OtpSecret> {
        self.otp.last()
    }
}

/// `GET /__emulator/tokens`: every token the tenant issued, so a leak test
/// can search for each exact value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedTokens {
    pub mfa_tokens: Vec<String>,
    pub oob_codes: Vec<String>,
    pub access_tokens: Vec<String>,
    pub refresh_tokens: Vec<String>,
    pub id_tokens: Vec<String>,
    /// `/authorize` codes, redeemed or not.
    #[serde(default)]
    pub authorization_codes: Vec<String>,
    #[serde(default)]
    pub enrollment_tickets: Vec<String>,
}

impl IssuedTokens {
    /// All of them, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.mfa_tokens
            .iter()
            .chain(&self.oob_codes)
            .chain(&self.access_tokens)
            .chain(&self.refresh_tokens)
            .chain(&self.id_tokens)
            .chain(&self.authorization_codes)
            .chain(&self.enrollment_tickets)
            .map(String::as_str)
    }
}

/// Body of `POST /__emulator/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub password: String,
}

/// Answer of `POST /__emulator/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user_id: String,
}

/// One entry of `GET /__emulator/requests` (the newest 200, oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    /// The path as sent (percent-encoding kept), without the query.
    pub path: String,
    #[serde(default)]
    pub query: Option<String>,
    /// The `X-Correlation-ID` header, when sent.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// The status answered; `None` when a fault dropped the connection.
    #[serde(default)]
    pub status: Option<u16>,
    /// Virtual epoch seconds.
    pub at: u64,
}

/// `GET /__emulator/keys` and `POST /__emulator/keys/rotate`: the kids of
/// the published signing keys. Tokens are signed with `current`; the JWKS
/// lists `current`, `next` and, after a rotation, `previous` (dropped at the
/// following rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyIds {
    pub current: String,
    pub next: String,
    #[serde(default)]
    pub previous: Option<String>,
}
