//! Passkeys (§S5): the relying party the tenant is, the credentials people register through
//! the My Account API, and the hosted sign-in's assertion ceremonies. The WebAuthn checks
//! themselves (challenge, origin, RP ID hash, signature, sign counter) are
//! webauthn-rs-core's; this module only says which RP ID and origins apply.

mod attested;
mod credential;

use std::time::Duration;

use url::Url;
use webauthn_rs_core::proto::UserVerificationPolicy;
use webauthn_rs_core::WebauthnCore;

pub use attested::key_facts;
pub use credential::{Ceremonies, Passkey, PendingAssertion};

use crate::state::State;

/// The options' `timeout` in milliseconds (§S5.3 example: 60000).
pub const TIMEOUT_MS: u64 = 60_000;

/// "Auth0 has a limit of 20 passkeys per user" (DOCS `authenticate/database-connections/passkeys`).
pub const MAX_PER_USER: usize = 20;

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
