//! Random identifiers and opaque token strings in the shapes Auth0 uses.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;

/// Alphabet of recovery codes: no 0, I or O (spec §10, inferred).
pub const RECOVERY_ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

pub fn alnum(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// `dev_` + 16 `[A-Za-z0-9]`: the part after `kind|` in authenticator ids.
pub fn device_suffix() -> String {
    format!("dev_{}", alnum(16))
}

pub fn user_id() -> String {
    let bytes: [u8; 12] = rand::rng().random();
    format!("auth0|{}", data_encoding::HEXLOWER.encode(&bytes))
}

pub fn recovery_code() -> String {
    let mut rng = rand::rng();
    (0..24)
        .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect()
}

pub fn six_digit_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// 20 random bytes as unpadded base32: 32 characters (spec §11).
pub fn totp_secret() -> String {
    let bytes: [u8; 20] = rand::rng().random();
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

fn b64(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::rng().fill(&mut bytes[..]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An iron-sealed-looking string:
/// `Fe26.2*<keyId>*<salt>*<iv>*<ciphertext>*<expiryMs>*<hmacSalt>*<hmac>`.
/// Nothing is really sealed; the emulator looks the string up server-side.
pub fn fe26(expiry_ms: u64) -> String {
    let salt: [u8; 32] = rand::rng().random();
    let hmac_salt: [u8; 32] = rand::rng().random();
    format!(
        "Fe26.2*1*{}*{}*{}*{}*{}*{}",
        data_encoding::HEXLOWER.encode(&salt),
        b64(16),
        b64(96),
        expiry_ms,
        data_encoding::HEXLOWER.encode(&hmac_salt),
        b64(32)
    )
}

/// True when `s` has the eight-part iron layout (any content).
pub fn is_fe26_shaped(s: &str) -> bool {
    s.starts_with("Fe26.2*") && s.split('*').count() == 8
}

pub fn refresh_token() -> String {
    alnum(48)
}
