//! A security key's PIN: typed so that it is never logged (redacted `Debug`) and its bytes
//! are wiped when dropped, and the rules a new PIN must meet, checked at the field before the
//! key is asked (CTAP 2.1 §6.5.5.5 "Setting a New PIN").

use zeroize::Zeroizing;

/// The most a PIN may be: 63 bytes of UTF-8 (the key receives it padded to 64 with NULs).
pub const MAX_PIN_BYTES: usize = 63;

/// What a key asks for at least when it does not say (CTAP 2.1 `minPINLength` defaults to 4).
pub const DEFAULT_MIN_PIN_LENGTH: usize = 4;

/// A PIN as the person typed it.
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(pin: String) -> Self {
        Self(Zeroizing::new(pin))
    }

    /// The PIN for the library, which takes it as a `&str` (and keeps a copy of its own only
    /// for the hash it sends).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Checks this PIN as a new one, against its repetition (see [`check_new_pin`]).
    pub fn check_as_new(&self, repeat: &Pin, min_length: usize) -> Result<(), NewPinProblem> {
        check_new_pin(&self.0, &repeat.0, min_length)
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin([REDACTED])")
    }
}

/// Why a new PIN cannot be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPinProblem {
    /// Fewer Unicode characters than the key's `minPINLength`.
    TooShort { min_length: usize },
    /// More than [`MAX_PIN_BYTES`] bytes of UTF-8.
    TooLong,
    /// A control character (a NUL would cut the PIN short on the key).
    ControlCharacters,
    /// The two entries differ.
    Mismatch,
}

/// Checks a new PIN and its repetition, as the key would (length) and as the person meant
/// (the same twice). Nothing is trimmed: a PIN is exactly what was typed.
pub fn check_new_pin(pin: &str, repeat: &str, min_length: usize) -> Result<(), NewPinProblem> {
    if pin.chars().any(char::is_control) {
        return Err(NewPinProblem::ControlCharacters);
    }
    if pin.chars().count() < min_length {
        return Err(NewPinProblem::TooShort { min_length });
    }
    if pin.len() > MAX_PIN_BYTES {
        return Err(NewPinProblem::TooLong);
    }
    if pin != repeat {
        return Err(NewPinProblem::Mismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_never_shows_in_debug() {
        assert_eq!(format!("{:?}", Pin::new("1234".into())), "Pin([REDACTED])");
    }

    #[test]
    fn new_pin_rules_count_characters_and_bytes() {
        assert_eq!(check_new_pin("1234", "1234", 4), Ok(()));
        assert_eq!(
            check_new_pin("123", "123", 4),
            Err(NewPinProblem::TooShort { min_length: 4 })
        );
        // Four characters, twelve bytes: long enough.
        assert_eq!(check_new_pin("暗証番号", "暗証番号", 4), Ok(()));
        let long = "a".repeat(64);
        assert_eq!(check_new_pin(&long, &long, 4), Err(NewPinProblem::TooLong));
        assert_eq!(
            check_new_pin(&"é".repeat(32), &"é".repeat(32), 4),
            Err(NewPinProblem::TooLong)
        );
        assert_eq!(
            check_new_pin("12\u{0}34", "12\u{0}34", 4),
            Err(NewPinProblem::ControlCharacters)
        );
        assert_eq!(
            check_new_pin("1234", "1243", 4),
            Err(NewPinProblem::Mismatch)
        );
    }
}
