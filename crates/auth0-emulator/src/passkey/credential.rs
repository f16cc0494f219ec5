//! A registered passkey and the hosted sign-in's pending assertions: what the user store
//! and the emulator's state keep (apart from the relying party, so neither depends on it).

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use webauthn_rs_core::proto::{AuthenticationState, Credential};

/// One registered passkey: what §S5.2 lists for it, and the credential the assertions are
/// checked against (its id, COSE public key and sign counter).
#[derive(Debug, Clone)]
pub struct Passkey {
    /// `passkey|dev_…`
    pub id: String,
    pub name: Option<String>,
    pub created_ms: u64,
    pub last_auth_ms: Option<u64>,
    pub credential: Credential,
    /// The credential's COSE key as the authenticator sent it, base64.
    pub public_key: String,
    /// The authenticator's AAGUID, as a UUID string.
    pub aaguid: String,
    pub transports: Vec<String>,
    /// The `User-Agent` of the verify request.
    pub user_agent: String,
    /// base64url of the `user.id` the creation options gave (the `user_id`).
    pub user_handle: String,
    pub relying_party_id: String,
}

impl Passkey {
    /// The credential id, base64url (`key_id`, §S5.2).
    pub fn key_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.credential.cred_id)
    }

    /// `multi_device` when the authenticator said the key may be backed up or synced.
    pub fn device_type(&self) -> &'static str {
        if self.credential.backup_eligible {
            "multi_device"
        } else {
            "single_device"
        }
    }
}

/// A hosted sign-in's assertion waiting for its answer.
#[derive(Debug, Clone)]
pub struct PendingAssertion {
    pub user_id: String,
    pub state: AuthenticationState,
    pub expires_ms: u64,
}

/// Assertion ceremonies of the hosted sign-in, by sign-in id. Answering one takes it out,
/// whatever the outcome, so a challenge is used once.
#[derive(Debug, Default)]
pub struct Ceremonies {
    pending: HashMap<String, PendingAssertion>,
}

impl Ceremonies {
    pub fn start(&mut self, login_id: &str, pending: PendingAssertion) {
        self.pending.insert(login_id.to_owned(), pending);
    }

    pub fn take(&mut self, login_id: &str, now_ms: u64) -> Option<PendingAssertion> {
        self.pending
            .remove(login_id)
            .filter(|p| p.expires_ms > now_ms)
    }
}
