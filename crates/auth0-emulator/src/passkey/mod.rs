//! Passkeys (§S5): the relying party the tenant is, the credentials people register through
//! the My Account API, and the hosted sign-in's assertion ceremonies. The WebAuthn checks
//! themselves (challenge, origin, RP ID hash, signature, sign counter) are
//! webauthn-rs-core's; this module only says which RP ID and origins apply.

mod attested;

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use url::Url;
use webauthn_rs_core::proto::{AuthenticationState, Credential, UserVerificationPolicy};
use webauthn_rs_core::WebauthnCore;

pub use attested::key_facts;

use crate::state::State;

/// The options' `timeout` in milliseconds (§S5.3 example: 60000).
pub const TIMEOUT_MS: u64 = 60_000;

/// "Auth0 has a limit of 20 passkeys per user" (DOCS `authenticate/database-connections/passkeys`).
pub const MAX_PER_USER: usize = 20;

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

/// `required`, `preferred` or `discouraged` (checked when the tenant loads).
pub fn verification_policy(setting: &str) -> UserVerificationPolicy {
    match setting {
        "required" => UserVerificationPolicy::Required,
        "discouraged" => UserVerificationPolicy::Discouraged_DO_NOT_USE,
        _ => UserVerificationPolicy::Preferred,
    }
}

impl State {
    /// §S5.3: the custom domain (or the parent domain set for it), else the tenant's own
    /// host: here the host of the base URL.
    pub fn passkey_rp_id(&self) -> String {
        self.tenant
            .settings
            .passkey_rp_id
            .clone()
            .unwrap_or_else(|| {
                Url::parse(&self.base_url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_default()
            })
    }

    /// The origins a `clientDataJSON` may name: the tenant's setting, else
    /// `https://<rp id>` (§S5.3 UNCONFIRMED: a desktop client passing `rp.id` to the
    /// platform API) and, when the RP ID is its host, the emulator's own origin (its hosted
    /// pages; a browser lets no other origin use that RP ID).
    fn passkey_origins(&self) -> Vec<Url> {
        let configured = &self.tenant.settings.passkey_origins;
        let rp_id = self.passkey_rp_id();
        let mut origins: Vec<String> = configured.clone();
        if configured.is_empty() {
            origins.push(format!("https://{rp_id}"));
            let own = Url::parse(&self.base_url).ok();
            if own.is_some_and(|u| u.host_str() == Some(rp_id.as_str())) {
                origins.push(self.base_url.clone());
            }
        }
        origins.iter().filter_map(|o| Url::parse(o).ok()).collect()
    }

    /// The tenant as a WebAuthn relying party: its RP ID and origins, exact ports, no
    /// subdomains (what an origin may differ in is the tenant's `passkey_origins`).
    pub fn relying_party(&self) -> WebauthnCore {
        WebauthnCore::new_unsafe_experts_only(
            &self.tenant.friendly_name,
            &self.passkey_rp_id(),
            self.passkey_origins(),
            Duration::from_millis(TIMEOUT_MS),
            Some(false),
            Some(false),
        )
    }
}
