//! The `authorization_code` grant: redeems a code from `/authorize`, once,
//! with PKCE S256 (RFC 7636 §4.6).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::token::issue::UserGrant;
use crate::token::TokenRequest;
use crate::wire::TokenResponse;

/// `BASE64URL(SHA256(verifier))`, the S256 challenge of a verifier.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl State {
    pub(super) fn authorization_code_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let code = req.require("code")?;
        // Recorded wording (spec §7.2, GO-REC TestLoginWithAuthCode).
        let invalid = || ApiError::new(403, "invalid_grant", "Invalid authorization code");
        // Single use: presenting a code spends it, whatever happens next.
        let rec = self.tokens.auth_codes.remove(code).ok_or_else(invalid)?;
        self.tokens.spent_auth_codes.push(code.to_owned());
        if rec.client_id != client.client_id || rec.expires_ms <= self.clock.now_ms() {
            return Err(invalid());
        }
        // ASSUMPTION: wording of the redirect_uri and PKCE failures.
        if req.get("redirect_uri") != Some(rec.redirect_uri.as_str()) {
            return Err(ApiError::new(
                403,
                "invalid_grant",
                "The redirect_uri does not match the one of the authorization request.",
            ));
        }
        if let Some(challenge) = &rec.code_challenge {
            let verified = req
                .get("code_verifier")
                .is_some_and(|v| s256(v) == *challenge);
            if !verified {
                return Err(ApiError::new(
                    403,
                    "invalid_grant",
                    "Failed to verify code verifier",
                ));
            }
        }
        if self.user_index(&rec.user_id).is_none() {
            return Err(invalid());
        }
        // §S1.2: no `gty` for authorization_code.
        Ok(self.issue_tokens(UserGrant {
            user_id: &rec.user_id,
            client_id: &rec.client_id,
            audience: &rec.audience,
            scope: &rec.scope,
            gty: None,
            sign_in: Some(&rec.sign_in),
            with_refresh: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc7636_appendix_b() {
        assert_eq!(
            super::s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
