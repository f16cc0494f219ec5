//! Compact JWS with RS256 (RFC 7515 §7.1): `header.claims.signature`, each
//! part base64url without padding.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::RSA_PKCS1_SHA256;
use serde::Serialize;

use super::SigningKey;

#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'a str,
    kid: &'a str,
}

impl SigningKey {
    /// Signs `claims`; `typ` is `JWT` (Auth0 profile) or `at+jwt` (RFC 9068
    /// profile), §S1.2.
    pub fn sign<T: Serialize>(&self, typ: &str, claims: &T) -> String {
        sign(self, typ, claims)
    }
}

fn sign<T: Serialize>(key: &SigningKey, typ: &str, claims: &T) -> String {
    let header = Header {
        alg: "RS256",
        typ,
        kid: &key.kid,
    };
    let encode = |v: Vec<u8>| URL_SAFE_NO_PAD.encode(v);
    let signing_input = format!(
        "{}.{}",
        encode(serde_json::to_vec(&header).expect("header serializes")),
        encode(serde_json::to_vec(claims).expect("claims serialize"))
    );
    let mut signature = vec![0; key.pair.public().modulus_len()];
    key.pair
        .sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .expect("an RSA-2048 key signs");
    format!("{signing_input}.{}", encode(signature))
}
