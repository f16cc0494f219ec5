//! Who may call the Management API: the bearer token's format, signature,
//! expiry and audience, then the endpoint's scopes (spec §12.3).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::boom::Boom;
use crate::state::State;
use crate::tokens::AccessTokenRec;

/// True when `part` is base64url-encoded JSON.
fn is_json_part(part: &str) -> bool {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.is_object())
}

impl State {
    /// The Management API token behind `Authorization`, if it may call.
    ///
    /// A token the tenant never issued cannot have a valid signature: the
    /// store stands in for signature verification.
    pub fn management_bearer(&self, authorization: Option<&str>) -> Result<AccessTokenRec, Boom> {
        let header = authorization.map(str::trim).unwrap_or_default();
        if header.is_empty() {
            return Err(Boom::new(401, "Missing authentication"));
        }
        let bad_format = || Boom::new(400, "Bad HTTP authentication header format").code("Bearer");
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(bad_format)?;
        let parts: Vec<&str> = token.split('.').collect();
        if parts.len() != 3 {
            // An mfa_token (`Fe26.2*…`) or anything else opaque.
            return Err(bad_format());
        }
        if !is_json_part(parts[0]) || !is_json_part(parts[1]) {
            return Err(Boom::jwt("Invalid token"));
        }
        let rec =
            self.tokens.access_tokens.get(token).ok_or_else(|| {
                Boom::jwt("Invalid signature received for JSON Web Token validation")
            })?;
        if rec.expires_ms <= self.clock.now_ms() {
            return Err(Boom::jwt(
                "Expired token received for JSON Web Token validation",
            ));
        }
        if rec.audience != self.management_audience() {
            return Err(Boom::jwt(&format!("Bad audience: {}", rec.audience)));
        }
        Ok(rec.clone())
    }
}

/// Passes when the token carries any of `scopes`.
pub fn require_scope(token: &AccessTokenRec, scopes: &[&str]) -> Result<(), Boom> {
    if scopes.iter().any(|s| token.has_scope(s)) {
        Ok(())
    } else {
        Err(Boom::insufficient_scope(scopes))
    }
}
