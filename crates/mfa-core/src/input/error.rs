//! Why something typed was refused before anything was sent.

use crate::error_code::ErrorCode;

/// Input that was refused before anything was sent. Each variant names one reason, so the
/// message at the field can say exactly what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("this field is empty")]
    Empty,
    #[error("this is longer than {max} characters")]
    TooLong { max: usize },
    #[error("this has more than one line")]
    MultipleLines,
    #[error("a code has exactly six digits")]
    NotASixDigitCode,
    #[error("a code has only digits (spaces and dashes may separate them)")]
    CodeNotDigits,
    #[error("a recovery code has 24 letters and digits")]
    NotARecoveryCode,
    #[error("this is not a valid phone number for the chosen country")]
    InvalidPhoneNumber,
    #[error("there is text beside the phone number")]
    PhoneExtraText,
    #[error("this kind of number cannot receive codes (premium-rate, toll-free, shared-cost…)")]
    UnsupportedPhone,
    #[error("unknown country")]
    UnknownCountry,
    #[error("this is not a valid email address")]
    InvalidEmail,
    #[error("an email address has an @")]
    EmailMissingAt,
    #[error("an email address has a name before the @")]
    EmailMissingLocalPart,
    #[error("an email address has a domain after the @")]
    EmailMissingDomain,
    #[error("the part after the @ is not a domain such as example.com")]
    EmailInvalidDomain,
    #[error("an email address has no spaces")]
    EmailHasSpaces,
    #[error("an email address is written with half-width (ASCII) characters")]
    EmailFullWidth,
    #[error("the username contains characters that are not allowed")]
    InvalidUsername,
    #[error("a username has no spaces")]
    UsernameHasSpaces,
    #[error("the password is longer than {max} characters")]
    PasswordTooLong { max: usize },
    #[error("this contains control characters")]
    ControlCharacters,
    #[error("this starts or ends with a space")]
    SurroundingSpaces,
}

impl InputError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Empty => ErrorCode::InputEmpty,
            Self::TooLong { .. } => ErrorCode::InputTooLong,
            Self::MultipleLines => ErrorCode::InputMultipleLines,
            Self::NotASixDigitCode => ErrorCode::InvalidCodeFormat,
            Self::CodeNotDigits => ErrorCode::CodeNotDigits,
            Self::NotARecoveryCode => ErrorCode::InvalidRecoveryCodeFormat,
            Self::InvalidPhoneNumber => ErrorCode::InvalidPhone,
            Self::PhoneExtraText => ErrorCode::PhoneExtraText,
            Self::UnsupportedPhone => ErrorCode::UnsupportedPhone,
            Self::UnknownCountry => ErrorCode::InvalidCountry,
            Self::InvalidEmail => ErrorCode::InvalidEmail,
            Self::EmailMissingAt => ErrorCode::EmailMissingAt,
            Self::EmailMissingLocalPart => ErrorCode::EmailMissingLocalPart,
            Self::EmailMissingDomain => ErrorCode::EmailMissingDomain,
            Self::EmailInvalidDomain => ErrorCode::EmailInvalidDomain,
            Self::EmailHasSpaces => ErrorCode::EmailHasSpaces,
            Self::EmailFullWidth => ErrorCode::EmailFullWidth,
            Self::InvalidUsername => ErrorCode::InvalidUsername,
            Self::UsernameHasSpaces => ErrorCode::UsernameHasSpaces,
            Self::PasswordTooLong { .. } => ErrorCode::PasswordTooLong,
            Self::ControlCharacters => ErrorCode::InputControlCharacters,
            Self::SurroundingSpaces => ErrorCode::InputSurroundingSpaces,
        }
    }
}
