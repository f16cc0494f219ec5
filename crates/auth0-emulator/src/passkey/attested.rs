//! What §S5.2 lists of a new passkey but webauthn-rs-core keeps to itself: the COSE public
//! key exactly as the authenticator sent it, and the authenticator's AAGUID. Read from the
//! attestation object only after the library has verified it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::Deserialize;
use serde_cbor_2::Value;

/// `rpIdHash` (32) + flags (1) + `signCount` (4): where the attested credential data starts.
const ATTESTED_DATA_AT: usize = 37;

pub struct KeyFacts {
    /// The COSE key, base64.
    pub public_key: String,
    /// The AAGUID as a UUID string (all zeros for a `none` attestation).
    pub aaguid: String,
}

/// The attestation object's `authData`, then its attested credential data:
/// AAGUID (16), credential id length (2), credential id, COSE key (CBOR).
pub fn key_facts(attestation_object: &[u8]) -> Option<KeyFacts> {
    let object: Value = serde_cbor_2::from_slice(attestation_object).ok()?;
    let Value::Map(entries) = object else {
        return None;
    };
    let auth_data = entries.iter().find_map(|(k, v)| match (k, v) {
        (Value::Text(k), Value::Bytes(data)) if k == "authData" => Some(data),
        _ => None,
    })?;
    let attested = auth_data.get(ATTESTED_DATA_AT..)?;
    let aaguid = attested.get(..16)?;
    let id_len = u16::from_be_bytes([*attested.get(16)?, *attested.get(17)?]) as usize;
    let key_and_rest = attested.get(18 + id_len..)?;
    // The key is one CBOR item; extensions, when present, follow it.
    let mut reader = serde_cbor_2::Deserializer::from_slice(key_and_rest);
    Value::deserialize(&mut reader).ok()?;
    let key = &key_and_rest[..reader.byte_offset()];
    Some(KeyFacts {
        public_key: STANDARD.encode(key),
        aaguid: uuid_string(aaguid),
    })
}

fn uuid_string(bytes: &[u8]) -> String {
    let hex = data_encoding::HEXLOWER.encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
