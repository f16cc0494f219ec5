//! RFC 6238 TOTP (SHA1, 6 digits, 30 s) and the `otpauth://` URIs of spec §11.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use totp_rs::{Algorithm, TOTP};

use crate::model::{Kind, User};

pub const STEP_SECS: u64 = 30;

/// Everything but RFC 3986 unreserved characters: space → %20, @ → %40,
/// `:` and `/` encoded too (as in the recorded push `base_url`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

fn totp(secret_b32: &str) -> Option<TOTP> {
    // As people copy secrets: any case, spaces, padding.
    let normal: String = secret_b32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = data_encoding::BASE32_NOPAD.decode(normal.as_bytes()).ok()?;
    // `new_unchecked`: tenant files may carry secrets shorter than 128 bits.
    Some(TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS,
        bytes,
        None,
        String::new(),
    ))
}

/// The 6-digit code an authenticator app holding `secret_base32` (RFC 6238:
/// SHA1, 30 s steps, as in every Auth0 `barcode_uri`) shows at `unix_time`.
/// `None` when the secret is not base32. Use the emulator's clock
/// (`GET /__emulator/clock`) for `unix_time` when it has been advanced.
pub fn totp_code(secret_base32: &str, unix_time: u64) -> Option<String> {
    code_at_step(secret_base32, unix_time / STEP_SECS)
}

/// The code for one 30 s step.
pub fn code_at_step(secret_b32: &str, step: u64) -> Option<String> {
    Some(totp(secret_b32)?.generate(step * STEP_SECS))
}

/// The TOTP authenticator of `user` that `code` belongs to, with the step it
/// matched. Only the current and the previous step count (spec §11), and
/// never a step at or before the last accepted one, which also blocks reuse.
/// Inactive push siblings are skipped: approving the push confirms them.
pub fn matching_authenticator(user: &User, code: &str, step: u64) -> Option<(String, u64)> {
    user.authenticators
        .iter()
        .filter(|a| a.kind == Kind::Totp && (a.active || a.sibling.is_none()))
        .find_map(|a| {
            let secret = a.secret.as_deref()?;
            [step, step.saturating_sub(1)].into_iter().find_map(|s| {
                // `None < Some(_)`: a never-used authenticator accepts any step.
                let fresh = a.last_otp_step < Some(s);
                (fresh && code_at_step(secret, s).as_deref() == Some(code))
                    .then(|| (a.id.clone(), s))
            })
        })
}

/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`
pub fn otp_barcode_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        encode(account)
    )
}

/// The Guardian enrollment URI: same prefix, but a transaction id and base URL.
pub fn push_barcode_uri(issuer: &str, account: &str, tx_id: &str, base_url: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?enrollment_tx_id={tx_id}&base_url={}",
        encode(issuer),
        encode(account),
        encode(base_url)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T=59 → 94287082 (8 digits);
        // the 6-digit code is the last six digits.
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(code_at_step(&secret, 59 / 30).unwrap(), "287082");
        let lower = secret.to_lowercase();
        assert_eq!(totp_code(&lower, 59).unwrap(), "287082");
        assert_eq!(totp_code("not base32!", 59), None);
    }

    #[test]
    fn barcode_shape() {
        assert_eq!(
            otp_barcode_uri("My Test Tenant", "user@example.com", "ABC"),
            "otpauth://totp/My%20Test%20Tenant:user%40example.com?secret=ABC&issuer=My%20Test%20Tenant&algorithm=SHA1&digits=6&period=30"
        );
    }
}
