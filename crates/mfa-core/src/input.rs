//! What people type, normalised and checked before anything is sent. A value of one of these
//! types is known to be well-formed; a failure names exactly what is wrong and sends nothing.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

pub use crate::error::InputError;

/// Longest input accepted in any field: far above any real value, low enough that a pasted
/// novel is refused before it is processed.
pub const MAX_INPUT_CHARS: usize = 256;
const MAX_PASSWORD_CHARS: usize = 1024;

/// Full-width digits and letters (typed with a Japanese input method) to ASCII; everything
/// else unchanged.
fn to_ascii_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Separators people paste inside codes: spaces of every kind and dashes of every kind.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '.'
        )
}

fn too_long(raw: &str, max: usize) -> Result<(), InputError> {
    if raw.chars().count() > max {
        Err(InputError::TooLong { max })
    } else {
        Ok(())
    }
}

/// A six-digit one-time code (authenticator app, SMS, voice or email).
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(String);

impl OtpCode {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        too_long(raw, MAX_INPUT_CHARS)?;
        let digits: String = raw
            .chars()
            .map(to_ascii_width)
            .filter(|c| !is_separator(*c))
            .collect();
        if digits.is_empty() {
            return Err(InputError::Empty);
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() != 6 {
            return Err(InputError::NotASixDigitCode);
        }
        Ok(Self(digits))
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

/// A recovery code: 24 upper-case letters and digits. Auth0's exact alphabet is unconfirmed,
/// so any A–Z and 0–9 is accepted; people may type it in lower case, with spaces or dashes.
pub struct RecoveryCode(SecretString);

pub const RECOVERY_CODE_LEN: usize = 24;

impl RecoveryCode {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        too_long(raw, MAX_INPUT_CHARS)?;
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
        if code.is_empty() {
            return Err(InputError::Empty);
        }
        if !valid {
            code.zeroize();
            return Err(InputError::NotARecoveryCode);
        }
        Ok(Self(SecretString::from(code)))
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

/// A phone number in E.164 form (`+15555550123`), validated with Google's libphonenumber
/// metadata (the `phonenumber` crate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    e164: String,
    international: String,
}

impl PhoneNumber {
    /// `region` is the ISO 3166 country picked in the UI ("FR"); a number typed with a
    /// leading `+` or `00` is read as international whatever the region.
    pub fn parse(region: Option<&str>, raw: &str) -> Result<Self, InputError> {
        too_long(raw, 64)?;
        let cleaned: String = raw.chars().map(to_ascii_width).collect();
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            return Err(InputError::Empty);
        }
        let cleaned = match cleaned.strip_prefix("00") {
            Some(rest) if region.is_none() || !cleaned.starts_with("000") => format!("+{rest}"),
            _ => cleaned.to_owned(),
        };
        let country = match region {
            Some(code) => Some(
                code.trim()
                    .to_ascii_uppercase()
                    .parse::<phonenumber::country::Id>()
                    .map_err(|_| InputError::UnknownCountry)?,
            ),
            None => None,
        };
        let number =
            phonenumber::parse(country, &cleaned).map_err(|_| InputError::InvalidPhoneNumber)?;
        if !phonenumber::is_valid(&number) {
            return Err(InputError::InvalidPhoneNumber);
        }
        Ok(Self {
            e164: number.format().mode(phonenumber::Mode::E164).to_string(),
            international: number
                .format()
                .mode(phonenumber::Mode::International)
                .to_string(),
        })
    }

    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// `+33 6 12 34 56 78`, for the "is this number right?" step.
    pub fn international(&self) -> &str {
        &self.international
    }
}

/// An email address, checked for the shape Auth0 will accept (not a full RFC 5322 parser:
/// the real check is the code that arrives in the mailbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        too_long(raw, 254)?;
        let email = raw.trim();
        if email.is_empty() {
            return Err(InputError::Empty);
        }
        let (local, domain) = email.split_once('@').ok_or(InputError::InvalidEmail)?;
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        if !labels_ok || !local_ok {
            return Err(InputError::InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The sign-in name: an email or a username, trimmed.
pub fn username(raw: &str) -> Result<String, InputError> {
    too_long(raw, MAX_INPUT_CHARS)?;
    let name = raw.trim();
    if name.is_empty() {
        return Err(InputError::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(InputError::InvalidUsername);
    }
    Ok(name.to_owned())
}

/// The password, kept exactly as typed (spaces are significant), only bounded in size.
pub fn password(raw: String) -> Result<SecretString, InputError> {
    let mut raw = raw;
    let result = if raw.is_empty() {
        Err(InputError::Empty)
    } else if raw.chars().count() > MAX_PASSWORD_CHARS {
        Err(InputError::TooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else {
        return Ok(SecretString::from(raw));
    };
    raw.zeroize();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_pasted_separators_and_full_width_digits() {
        assert_eq!(OtpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("123-456").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("１２３４５６").unwrap().as_str(), "123456");
        assert_eq!(OtpCode::parse("12345"), Err(InputError::NotASixDigitCode));
        assert_eq!(OtpCode::parse("12345a"), Err(InputError::NotASixDigitCode));
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

    #[test]
    fn phone_numbers_become_e164() {
        let us = PhoneNumber::parse(Some("US"), "(201) 555-0123").unwrap();
        assert_eq!(us.e164(), "+12015550123");
        let fr = PhoneNumber::parse(Some("fr"), "06 12 34 56 78").unwrap();
        assert_eq!(fr.e164(), "+33612345678");
        assert_eq!(fr.international(), "+33 6 12 34 56 78");
        let jp = PhoneNumber::parse(Some("JP"), "090-1234-5678").unwrap();
        assert_eq!(jp.e164(), "+819012345678");
        assert_eq!(
            PhoneNumber::parse(None, "0033612345678").unwrap().e164(),
            "+33612345678"
        );
        assert_eq!(
            PhoneNumber::parse(Some("US"), "12"),
            Err(InputError::InvalidPhoneNumber)
        );
        assert_eq!(
            PhoneNumber::parse(Some("ZZ"), "0612345678"),
            Err(InputError::UnknownCountry)
        );
    }

    #[test]
    fn emails_are_checked_and_domains_lower_cased() {
        assert_eq!(
            Email::parse(" Ana@Example.COM ").unwrap().as_str(),
            "Ana@example.com"
        );
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "ana@ex..com",
        ] {
            assert_eq!(Email::parse(bad), Err(InputError::InvalidEmail), "{bad}");
        }
    }
}
