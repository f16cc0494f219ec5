//! The authenticator's half of PIN/UV auth protocol one (CTAP 2.1 §6.5.6): a fresh P-256
//! key-agreement key for each exchange, the shared secret SHA-256 of the ECDH x-coordinate,
//! AES-256-CBC with a zero IV, HMAC-SHA-256 cut to 16 bytes.

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, ECDH_P256};
use ring::rand::SystemRandom;
use serde_cbor_2::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

/// The key-agreement key of the current exchange, used once.
pub struct KeyAgreement {
    private: EphemeralPrivateKey,
    public: Vec<u8>,
}

impl KeyAgreement {
    pub fn new() -> Self {
        let private =
            EphemeralPrivateKey::generate(&ECDH_P256, &SystemRandom::new()).expect("a P-256 key");
        let public = private
            .compute_public_key()
            .expect("its public key")
            .as_ref()
            .to_vec();
        Self { private, public }
    }

    /// `getPublicKey()` as the COSE key CTAP wants: kty EC2, alg -25 (ECDH-ES+HKDF-256, as the
    /// specification says to label it), crv P-256, x, y.
    pub fn cose(&self) -> Value {
        let (x, y) = self.public[1..].split_at(32);
        Value::Map(BTreeMap::from([
            (Value::Integer(1), Value::Integer(2)),
            (Value::Integer(3), Value::Integer(-25)),
            (Value::Integer(-1), Value::Integer(1)),
            (Value::Integer(-2), Value::Bytes(x.to_vec())),
            (Value::Integer(-3), Value::Bytes(y.to_vec())),
        ]))
    }

    /// `decapsulate(peerCoseKey)`: SHA-256 of the shared point's x-coordinate.
    pub fn shared_secret(self, peer: &Value) -> Option<[u8; 32]> {
        let Value::Map(peer) = peer else { return None };
        let coordinate = |label: i128| match peer.get(&Value::Integer(label)) {
            Some(Value::Bytes(b)) if b.len() == 32 => Some(b.clone()),
            _ => None,
        };
        let mut point = vec![4u8];
        point.extend(coordinate(-2)?);
        point.extend(coordinate(-3)?);
        let peer = UnparsedPublicKey::new(&ECDH_P256, point);
        agreement::agree_ephemeral(self.private, &peer, |z| {
            let digest: [u8; 32] = Sha256::digest(z).into();
            digest
        })
        .ok()
    }
}

/// `encrypt(key, demPlaintext)`; the plaintext is whole AES blocks.
pub fn encrypt(key: &[u8; 32], plaintext: &[u8]) -> Vec<u8> {
    let mut buffer = plaintext.to_vec();
    let length = buffer.len();
    Encryptor::new(key.into(), &[0u8; 16].into())
        .encrypt_padded_mut::<NoPadding>(&mut buffer, length)
        .expect("whole blocks")
        .to_vec()
}

/// `decrypt(key, demCiphertext)`: `None` unless it is whole AES blocks.
pub fn decrypt(key: &[u8; 32], ciphertext: &[u8]) -> Option<Vec<u8>> {
    let mut buffer = ciphertext.to_vec();
    Decryptor::new(key.into(), &[0u8; 16].into())
        .decrypt_padded_mut::<NoPadding>(&mut buffer)
        .ok()
        .map(<[u8]>::to_vec)
}

/// `verify(key, message, signature)`: the first 16 bytes of HMAC-SHA-256, in constant time.
pub fn verify(key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.verify_truncated_left(signature).is_ok() && signature.len() == 16
}

/// LEFT(SHA-256(pin), 16), what the key keeps of its PIN.
pub fn pin_hash(pin: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(pin);
    let mut left = [0u8; 16];
    left.copy_from_slice(&digest[..16]);
    left
}
