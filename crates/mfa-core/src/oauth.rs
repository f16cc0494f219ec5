//! The two random values of one browser sign-in: the PKCE verifier, whose S256 challenge goes
//! to `/authorize` and which proves at the token endpoint that the code was asked for by this
//! app (RFC 7636), and the `state`, which ties the callback to this very request (RFC 6749
//! §10.12). Both come straight from the operating system's random source.
//!
//! A leaf module (it needs only [`crate::secret`]): the client redeems a code with the verifier
//! and the errors carry [`NoRandomness`], while `browser/` stands above both.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::TryRngCore as _;
use sha2::{Digest, Sha256};

use crate::secret::{secret, ExposeSecret};

/// 32 random bytes: a 43-character verifier, as RFC 7636 §4.1 recommends, and a `state`
/// nobody can guess.
const RANDOM_BYTES: usize = 32;

/// The operating system could not give random bytes (practically never; then nothing is sent).
#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no random bytes: {0}")]
pub struct NoRandomness(String);

fn random_text() -> Result<String, NoRandomness> {
    let mut bytes = [0u8; RANDOM_BYTES];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| NoRandomness(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

crate::secret::secret_role! {
    /// The PKCE `code_verifier`. Secret until the token request: whoever holds it and the
    /// code can redeem the code, so it is redacted in logs and zeroized when dropped.
    PkceVerifier;
}

impl PkceVerifier {
    pub fn new() -> Result<Self, NoRandomness> {
        Ok(secret(random_text()?))
    }

    /// `BASE64URL(SHA256(verifier))`: the `code_challenge` for `code_challenge_method=S256`.
    pub fn s256_challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.expose_secret().as_bytes()))
    }
}

/// The `state` sent to `/authorize` and expected back on the callback.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthState(String);

impl std::fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not a long-lived secret, but it is what makes a forged callback fail: keep it out of logs.
        f.write_str("OAuthState([REDACTED])")
    }
}

impl OAuthState {
    pub fn new() -> Result<Self, NoRandomness> {
        Ok(Self(random_text()?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in constant time, so timing tells a local attacker nothing about the value.
    pub fn matches(&self, received: &str) -> bool {
        let (ours, theirs) = (self.0.as_bytes(), received.as_bytes());
        ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_rfc_7636_s256() {
        // RFC 7636, appendix B.
        let verifier = PkceVerifier::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned());
        assert_eq!(
            verifier.s256_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_and_states_are_fresh_url_safe_and_long_enough() {
        let (a, b) = (PkceVerifier::new().unwrap(), PkceVerifier::new().unwrap());
        assert_ne!(a.expose_secret(), b.expose_secret());
        // RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~].
        assert_eq!(a.expose_secret().len(), 43);
        assert!(a
            .expose_secret()
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert!(!format!("{a:?}").contains(a.expose_secret()));

        let state = OAuthState::new().unwrap();
        assert_ne!(state, OAuthState::new().unwrap());
        assert!(state.matches(state.as_str()));
        assert!(!state.matches(&state.as_str()[1..]));
        assert!(!state.matches(""));
        assert!(!format!("{state:?}").contains(state.as_str()));
    }
}
