//! The sign-in form: the name (an email address, or a username where the tenant uses them)
//! and the password.

use serde::Serialize;
use zeroize::Zeroize;

use super::email::{Email, MAX_EMAIL_CHARS};
use super::error::InputError;
use super::text::{at_most, is_line_break, one_line};
use crate::secret::Password;

/// The longest password accepted, in characters. Far above what any Auth0 connection stores
/// (database connections allow at most 128 characters, Active Directory 256), so a real
/// password is never refused; a longer one is a wrong paste, refused as too long and never
/// cut to fit.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// What people sign in with, as the tenant's connection expects it. The field's label follows.
/// IT's `username` setting chooses it (read by `settings`, with its own error messages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// An email address, checked as one before anything is sent (the usual case).
    #[default]
    Email,
    /// A username (the connection has "requires username"); such connections also accept
    /// the email address, so anything on one line without spaces is sent.
    Username,
}

/// The sign-in name, checked for its [`IdentifierKind`]: surrounding spaces dropped, and for
/// an email the domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInName(String);

impl SignInName {
    pub fn parse(kind: IdentifierKind, raw: &str) -> Result<Self, InputError> {
        match kind {
            IdentifierKind::Email => Email::parse(raw).map(|email| Self(email.as_str().into())),
            IdentifierKind::Username => {
                let name = one_line(raw)?;
                at_most(name, MAX_EMAIL_CHARS)?;
                if name.chars().any(char::is_whitespace) {
                    return Err(InputError::UsernameHasSpaces);
                }
                if name.chars().any(char::is_control) {
                    return Err(InputError::InvalidUsername);
                }
                Ok(Self(name.to_owned()))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The password, kept exactly as typed (spaces are significant). Refused when empty, longer
/// than [`MAX_PASSWORD_CHARS`], or holding a line break (no password field can hold one:
/// it is a second pasted line).
pub fn password(raw: String) -> Result<Password, InputError> {
    let mut raw = raw;
    let result = if raw.is_empty() {
        Err(InputError::Empty)
    } else if raw.chars().nth(MAX_PASSWORD_CHARS).is_some() {
        Err(InputError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else if raw.chars().any(is_line_break) {
        Err(InputError::MultipleLines)
    } else {
        return Ok(Password::from(raw));
    };
    raw.zeroize();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ExposeSecret;

    #[test]
    fn the_email_kind_checks_an_email() {
        let name = SignInName::parse(IdentifierKind::Email, " Ana@Example.com ").unwrap();
        assert_eq!(name.as_str(), "Ana@example.com");
        assert_eq!(
            SignInName::parse(IdentifierKind::Email, "ana"),
            Err(InputError::EmailMissingAt)
        );
    }

    #[test]
    fn the_username_kind_takes_one_word() {
        let name = SignInName::parse(IdentifierKind::Username, " ana.lopez ").unwrap();
        assert_eq!(name.as_str(), "ana.lopez");
        assert_eq!(
            SignInName::parse(IdentifierKind::Username, "ana lopez"),
            Err(InputError::UsernameHasSpaces)
        );
        assert_eq!(
            SignInName::parse(IdentifierKind::Username, "ana\nlopez"),
            Err(InputError::MultipleLines)
        );
        assert_eq!(
            SignInName::parse(IdentifierKind::Username, "ana\u{0}"),
            Err(InputError::InvalidUsername)
        );
    }

    #[test]
    fn passwords_are_never_cut() {
        let kept = password("  spaced out  ".into()).unwrap();
        assert_eq!(kept.expose_secret(), "  spaced out  ");
        let longest = "p".repeat(MAX_PASSWORD_CHARS);
        assert!(password(longest.clone()).is_ok());
        assert_eq!(
            password(longest + "p").unwrap_err(),
            InputError::PasswordTooLong { max: 1024 }
        );
        assert_eq!(password(String::new()).unwrap_err(), InputError::Empty);
        assert_eq!(
            password("secret\n".into()).unwrap_err(),
            InputError::MultipleLines
        );
    }
}
