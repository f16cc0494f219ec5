//! What people type, normalised and checked before anything is sent: one type or function per
//! field. A value of one of these types is known to be well-formed; a failure names exactly
//! what is wrong (an [`InputError`] variant, hence an `ErrorCode`) and nothing is sent.
//!
//! The only changes made to what was typed are these documented normalisations:
//! - codes: spaces and dashes between the digits, full-width digits ([`OtpCode`]);
//! - recovery codes: the same, and letter case ([`RecoveryCode`]);
//! - phone numbers: spaces, dashes, dots, brackets and full-width digits ([`PhoneNumber`]);
//! - email addresses and usernames: surrounding spaces, and the domain's case ([`Email`],
//!   [`SignInName`]).
//!
//! Passwords and method names are never changed: one that is too long is refused, never cut
//! ([`password`], [`method_name`]).

mod code;
mod email;
mod error;
mod method_name;
mod phone;
mod sign_in;
mod text;

pub use code::{
    group, optional_recovery_code_wire, OtpCode, RecoveryCode, OTP_DIGITS, RECOVERY_CODE_LEN,
};
pub use email::{Email, MAX_EMAIL_CHARS};
pub use error::InputError;
pub use method_name::{method_name, MethodName, MAX_METHOD_NAME_CHARS};
pub use phone::{PhoneNumber, MAX_PHONE_CHARS};
pub use sign_in::{password, IdentifierKind, SignInName, MAX_PASSWORD_CHARS};
pub use text::MAX_INPUT_CHARS;
