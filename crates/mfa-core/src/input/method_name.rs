//! The name a person gives one of their methods ("Work laptop key"), as the My Account API
//! stores it (`PATCH …/{id}` `{"name"}`, §S5.2).

use std::fmt;

use super::error::InputError;
use super::text::is_line_break;

/// Longest name the My Account API takes (the emulator's and MYACC-OAS's 1 to 100).
pub const MAX_METHOD_NAME_CHARS: usize = 100;

/// A method's name, exactly as typed: 1 to 100 characters on one line, no control
/// characters, no spaces around it. Nothing is trimmed or cut: what the person sees in the
/// field is what the list will show, or the field says what to fix.
#[derive(Clone, PartialEq, Eq)]
pub struct MethodName(String);

impl MethodName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MethodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MethodName({} chars)", self.0.chars().count())
    }
}

/// Checks a method name; see [`MethodName`].
pub fn method_name(raw: &str) -> Result<MethodName, InputError> {
    if raw.trim().is_empty() {
        return Err(InputError::Empty);
    }
    if raw.chars().nth(MAX_METHOD_NAME_CHARS).is_some() {
        return Err(InputError::TooLong {
            max: MAX_METHOD_NAME_CHARS,
        });
    }
    if raw.trim().chars().any(is_line_break) {
        return Err(InputError::MultipleLines);
    }
    if raw.chars().any(is_hidden_control) {
        return Err(InputError::ControlCharacters);
    }
    if raw.trim() != raw {
        return Err(InputError::SurroundingSpaces);
    }
    Ok(MethodName(raw.to_owned()))
}

/// Control characters, and the invisible ones that reorder text (a name shown right to
/// left could pass for another one).
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_exactly_as_typed() {
        for name in [
            "Work key",
            "会社の鍵",
            "Clé USB — bureau",
            "a",
            &"x".repeat(100),
        ] {
            assert_eq!(method_name(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn what_a_name_cannot_be() {
        let refused = |raw: &str| method_name(raw).unwrap_err();
        assert_eq!(refused(""), InputError::Empty);
        assert_eq!(refused("   "), InputError::Empty);
        assert_eq!(refused(&"x".repeat(101)), InputError::TooLong { max: 100 });
        assert_eq!(refused("two\nlines"), InputError::MultipleLines);
        assert_eq!(refused("tab\there"), InputError::ControlCharacters);
        assert_eq!(refused("bell\u{7}"), InputError::ControlCharacters);
        assert_eq!(refused("yek\u{202E}key"), InputError::ControlCharacters);
        assert_eq!(refused(" key"), InputError::SurroundingSpaces);
        assert_eq!(refused("key\n"), InputError::ControlCharacters);
    }
}
