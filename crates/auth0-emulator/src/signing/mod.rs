//! The tenant's signing keys (§S1.4): RS256 keys with `kid`s, one signing at
//! a time, the next one already published, the previous one published until
//! the following rotation. Key material comes from `keys/pool.json` (made by
//! `keys/generate.sh`): RSA key generation takes seconds in a debug build,
//! so the emulator walks through eight fixed keys instead, and gives each
//! use of one a fresh `kid`.

mod jwt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::signature::RsaKeyPair;
use serde::{Deserialize, Serialize};

/// One entry of `keys/pool.json`.
#[derive(Deserialize)]
struct PoolEntry {
    /// PKCS#8 DER, standard base64.
    pkcs8: String,
    n: String,
    e: String,
    x5t: String,
    /// The self-signed certificate (DER, standard base64).
    x5c: String,
}

const POOL: &str = include_str!("../../keys/pool.json");

/// A key in use: its `kid`, its place in the pool and the parsed private key.
pub struct SigningKey {
    pub kid: String,
    pool_index: usize,
    pair: RsaKeyPair,
    /// Virtual epoch ms when it became the current key (`None`: not yet).
    pub current_since_ms: Option<u64>,
    /// ... and when it stopped being current.
    pub current_until_ms: Option<u64>,
    /// When it stopped being published.
    pub revoked_at_ms: Option<u64>,
}

impl std::fmt::Debug for SigningKey {
    // The private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish()
    }
}

/// A JWKS entry, fields in the order Auth0 sends them (§S1.4, DY-REC).
#[derive(Debug, Clone, Serialize)]
pub struct Jwk {
    pub alg: &'static str,
    pub kty: &'static str,
    #[serde(rename = "use")]
    pub key_use: &'static str,
    pub n: String,
    pub e: String,
    pub kid: String,
    pub x5t: String,
    pub x5c: Vec<String>,
}

/// `GET /.well-known/jwks.json`
#[derive(Debug, Clone, Serialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// The keys the tenant publishes.
#[derive(Debug)]
pub struct SigningKeys {
    pool: Vec<PoolEntry>,
    /// Index of the next pool entry to bring in.
    next_pool_index: usize,
    pub previous: Option<SigningKey>,
    pub current: SigningKey,
    pub next: SigningKey,
    /// Keys no longer published, oldest first (`GET /api/v2/keys/signing`).
    pub retired: Vec<SigningKey>,
}

impl std::fmt::Debug for PoolEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolEntry")
    }
}

/// A 21-character `[A-Za-z0-9_-]` kid, the shape of Auth0's newer keys (§S1.4).
fn new_kid() -> String {
    let bytes: [u8; 16] = rand::random();
    let mut kid = URL_SAFE_NO_PAD.encode(bytes);
    kid.truncate(21);
    kid
}

impl SigningKeys {
    /// The first two keys of the pool, from a random place in it so that two
    /// emulators rarely share a key.
    pub fn new(now_ms: u64) -> SigningKeys {
        let pool: Vec<PoolEntry> = serde_json::from_str(POOL).expect("keys/pool.json parses");
        let start = rand::random_range(0..pool.len());
        let mut current = load_key(&pool, start);
        current.current_since_ms = Some(now_ms);
        SigningKeys {
            next_pool_index: (start + 2) % pool.len(),
            previous: None,
            current,
            next: load_key(&pool, (start + 1) % pool.len()),
            retired: Vec::new(),
            pool,
        }
    }

    fn bring_in(&mut self) -> SigningKey {
        let i = self.next_pool_index;
        self.next_pool_index = (i + 1) % self.pool.len();
        load_key(&self.pool, i)
    }

    /// The next key becomes current, the current one previous, and the
    /// previous one is no longer published (§S1.4 rotation; the issue asks
    /// the previous key to stay until a second rotation).
    pub fn rotate(&mut self, now_ms: u64) {
        let fresh = self.bring_in();
        let mut current = std::mem::replace(&mut self.next, fresh);
        current.current_since_ms = Some(now_ms);
        let mut old = std::mem::replace(&mut self.current, current);
        old.current_until_ms = Some(now_ms);
        if let Some(mut dropped) = self.previous.replace(old) {
            dropped.revoked_at_ms = Some(now_ms);
            self.retired.push(dropped);
        }
    }

    /// Revokes the previous key (the only one that may be): it leaves the
    /// JWKS at once, and tokens it signed fail validation (§S1.4).
    pub fn revoke(&mut self, kid: &str, now_ms: u64) -> bool {
        let mut key = match self.previous.take() {
            Some(k) if k.kid == kid => k,
            other => {
                self.previous = other;
                return false;
            }
        };
        key.revoked_at_ms = Some(now_ms);
        self.retired.push(key);
        true
    }

    /// The certificate as PEM (`cert` of the Management API).
    pub fn cert_pem(&self, key: &SigningKey) -> String {
        let b64 = &self.pool[key.pool_index].x5c;
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\r\n{}\r\n-----END CERTIFICATE-----",
            lines.join("\r\n")
        )
    }

    /// The certificate's SHA-1 as upper-case hex (`thumbprint`).
    pub fn thumbprint_hex(&self, key: &SigningKey) -> String {
        let sha1 = URL_SAFE_NO_PAD
            .decode(&self.pool[key.pool_index].x5t)
            .expect("x5t is base64url");
        data_encoding::HEXUPPER.encode(&sha1)
    }

    /// Every published key: current, next, then previous.
    pub fn published(&self) -> Vec<&SigningKey> {
        let mut keys = vec![&self.current, &self.next];
        keys.extend(self.previous.as_ref());
        keys
    }

    /// The JWKS: current and next, and the previous key while it is kept.
    pub fn jwks(&self) -> Jwks {
        Jwks {
            keys: self.published().into_iter().map(|k| self.jwk(k)).collect(),
        }
    }

    fn jwk(&self, key: &SigningKey) -> Jwk {
        let entry = &self.pool[key.pool_index];
        Jwk {
            alg: "RS256",
            kty: "RSA",
            key_use: "sig",
            n: entry.n.clone(),
            e: entry.e.clone(),
            kid: key.kid.clone(),
            x5t: entry.x5t.clone(),
            x5c: vec![entry.x5c.clone()],
        }
    }
}

/// Parses pool entry `i` under a fresh kid.
fn load_key(pool: &[PoolEntry], i: usize) -> SigningKey {
    let der = STANDARD
        .decode(&pool[i].pkcs8)
        .expect("pool keys are base64");
    let pair = RsaKeyPair::from_pkcs8(&der).expect("pool keys are RSA PKCS#8");
    SigningKey {
        kid: new_kid(),
        pool_index: i,
        pair,
        current_since_ms: None,
        current_until_ms: None,
        revoked_at_ms: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_previous_key_until_the_next_rotation() {
        let mut keys = SigningKeys::new(0);
        let first = keys.current.kid.clone();
        let second = keys.next.kid.clone();
        assert_eq!(keys.jwks().keys.len(), 2);
        keys.rotate(1);
        assert_eq!(keys.current.kid, second);
        let kids: Vec<String> = keys.jwks().keys.into_iter().map(|k| k.kid).collect();
        assert_eq!(kids.len(), 3);
        assert!(kids.contains(&first));
        keys.rotate(2);
        let kids: Vec<String> = keys.jwks().keys.into_iter().map(|k| k.kid).collect();
        assert!(!kids.contains(&first));
        assert_eq!(keys.previous.as_ref().unwrap().kid, second);
    }

    #[test]
    fn kids_have_auth0s_newer_shape() {
        let kid = new_kid();
        assert_eq!(kid.len(), 21);
        assert!(kid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
