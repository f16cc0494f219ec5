//! Token checks as the helpdesk service makes them: `jsonwebtoken`, RS256,
//! the key picked by `kid` from the tenant's JWKS.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::Env;

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// No key in the JWKS has the token's kid.
    UnknownKid,
    Invalid(jsonwebtoken::errors::ErrorKind),
}

pub async fn jwks(env: &Env) -> JwkSet {
    env.http
        .get(env.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Verifies `token` for `audience`, issuer `<base_url>/`, against a freshly
/// fetched JWKS; the claims.
pub async fn verify(env: &Env, token: &str, audience: &str) -> Result<Value, Refused> {
    let keys = jwks(env).await;
    let kid = decode_header(token).unwrap().kid.expect("a kid");
    let jwk = keys.find(&kid).ok_or(Refused::UnknownKid)?;
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[env.url("/")]);
    decode::<Value>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| Refused::Invalid(e.into_kind()))
}

/// The claims without any check (for tokens whose audience is a client id).
pub fn claims(token: &str) -> Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
