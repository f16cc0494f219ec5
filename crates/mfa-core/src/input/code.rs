//! One-time codes and recovery codes.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use super::error::InputError;
use super::text::{at_most, is_separator, to_ascii_width, MAX_INPUT_CHARS};

/// Digits in a one-time code (authenticator app, SMS, voice or email): Auth0 always sends six.
pub const OTP_DIGITS: usize = 6;

/// A six-digit one-time code (authenticator app, SMS, voice or email).
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(String);

impl OtpCode {
    /// Spaces and dashes between the digits and full-width digits are accepted; anything else
    /// refuses the whole value. A pasted "123456 is your code" is not filtered down to its
    /// digits: it is refused, so a wrong paste never costs one of the few attempts allowed.
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        at_most(raw, MAX_INPUT_CHARS)?;
        let mut kept: String = raw
            .chars()
            .map(to_ascii_width)
            .filter(|c| !is_separator(*c))
            .collect();
        let result = if kept.is_empty() {
            Err(InputError::Empty)
        } else if !kept.chars().all(|c| c.is_ascii_digit()) {
            Err(InputError::CodeNotDigits)
        } else if kept.len() != OTP_DIGITS {
            Err(InputError::NotASixDigitCode)
        } else {
            return Ok(Self(kept));
        };
        kept.zeroize();
        result
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtpCode([REDACTED])")
    }
}

impl Drop for OtpCode {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Characters in a recovery code.
pub const RECOVERY_CODE_LEN: usize = 24;

/// A recovery code: 24 upper-case letters and digits. Auth0's exact alphabet is unconfirmed,
/// so any A–Z and 0–9 is accepted; people may type it in lower case, with spaces or dashes.
pub struct RecoveryCode(SecretString);

impl RecoveryCode {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        at_most(raw, MAX_INPUT_CHARS)?;
        let mut code: String = raw
            .chars()
            .map(to_ascii_width)
            .filter(|c| !is_separator(*c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == RECOVERY_CODE_LEN
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if valid {
            return Ok(Self(SecretString::from(code)));
        }
        let empty = code.is_empty();
        code.zeroize();
        Err(if empty {
            InputError::Empty
        } else {
            InputError::NotARecoveryCode
        })
    }

    /// A code that came from Auth0: kept exactly as sent.
    pub fn from_server(code: String) -> Self {
        Self(SecretString::from(code))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Groups of four, for reading aloud and copying by hand.
    pub fn groups(&self) -> Vec<String> {
        group(self.expose(), 4)
    }
}

/// A recovery code on the helpdesk service's wire (`Done.recovery_code`): written as the plain
/// code, because it is going to the agent who reads it out, and read straight into its secret
/// type so no plain copy lingers on the way.
pub mod optional_recovery_code_wire {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::RecoveryCode;

    pub fn serialize<S: Serializer>(code: &Option<RecoveryCode>, s: S) -> Result<S::Ok, S::Error> {
        match code {
            Some(code) => s.serialize_some(code.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RecoveryCode>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(RecoveryCode::from_server))
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode([REDACTED])")
    }
}

/// Splits `text` into chunks of `size` characters.
pub fn group(text: &str, size: usize) -> Vec<String> {
    text.chars()
        .collect::<Vec<_>>()
        .chunks(size)
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_pasted_separators_and_full_width_digits() {
        assert_eq!(OtpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("123-456").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("１２３４５６").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("123456\n").unwrap().as_str(), "123456");
    }

    #[test]
    fn codes_with_other_text_are_refused_whole() {
        assert_eq!(OtpCode::parse("12345"), Err(InputError::NotASixDigitCode));
        assert_eq!(OtpCode::parse("1234567"), Err(InputError::NotASixDigitCode));
        assert_eq!(OtpCode::parse("12345a"), Err(InputError::CodeNotDigits));
        assert_eq!(
            OtpCode::parse("123456 is your code"),
            Err(InputError::CodeNotDigits)
        );
        assert_eq!(OtpCode::parse("123.456"), Err(InputError::CodeNotDigits));
        assert_eq!(OtpCode::parse("  "), Err(InputError::Empty));
        assert_eq!(
            OtpCode::parse(&"1".repeat(300)),
            Err(InputError::TooLong { max: 256 })
        );
    }

    #[test]
    fn recovery_codes_are_upper_cased_and_stripped() {
        let code = RecoveryCode::parse("mzcr-k3yx 5v3a-knny y6je-bqcl").unwrap();
        assert_eq!(code.expose(), "MZCRK3YX5V3AKNNYY6JEBQCL");
        assert_eq!(
            code.groups(),
            ["MZCR", "K3YX", "5V3A", "KNNY", "Y6JE", "BQCL"]
        );
        assert!(matches!(
            RecoveryCode::parse("MZCRK3YX"),
            Err(InputError::NotARecoveryCode)
        ));
        assert!(format!("{code:?}").contains("REDACTED"));
    }
}
