//! Every way a ceremony can end without a credential, each its own variant, and how each
//! maps into the app's one error-code contract ([`ErrorCode`]).

use mfa_core::ErrorCode;
use webauthn_authenticator_rs::error::{CtapError, WebauthnCError};

use crate::pin::NewPinProblem;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CeremonyError {
    /// No security key was plugged in before the wait ran out.
    #[error("no security key was found")]
    NoKeyFound,
    /// The key was not touched in time (the client's wait, or the key's own
    /// `CTAP2_ERR_USER_ACTION_TIMEOUT`).
    #[error("the security key was not touched in time")]
    TimedOut,
    /// The PIN was entered wrong until the key locked it (`CTAP2_ERR_PIN_BLOCKED`): only a
    /// reset of the key (which erases it) helps.
    #[error("the security key's PIN is blocked")]
    PinBlocked,
    /// Three wrong PINs in a row (`CTAP2_ERR_PIN_AUTH_BLOCKED`): the key takes no PIN until it
    /// is unplugged and plugged in again.
    #[error("the security key must be removed and inserted again")]
    ReinsertKey,
    /// A new PIN the key refuses, or that breaks the length rules.
    #[error("the new PIN is not allowed: {0:?}")]
    NewPin(NewPinProblem),
    /// The key's own PIN policy refused a new PIN of allowed length
    /// (`CTAP2_ERR_PIN_POLICY_VIOLATION`).
    #[error("the security key refused the new PIN")]
    PinRefused,
    /// The key already holds a credential of this person's for this tenant
    /// (`CTAP2_ERR_CREDENTIAL_EXCLUDED`).
    #[error("this security key is already registered")]
    AlreadyRegistered,
    /// The key has no room for another passkey (`CTAP2_ERR_KEY_STORE_FULL`).
    #[error("the security key has no room for another passkey")]
    KeyFull,
    /// The person cancelled (in the app, or on the key).
    #[error("cancelled")]
    Cancelled,
    /// Nothing on this computer can make this credential: no way to reach keys, a key that
    /// speaks no CTAP2, or user verification required from a key that cannot do it.
    #[error("not supported on this computer: {0}")]
    NotSupported(String),
    /// Anything else the library or the key reported.
    #[error("the security key failed: {0}")]
    Failed(String),
}

impl CeremonyError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NoKeyFound => ErrorCode::SecurityKeyNotFound,
            Self::TimedOut => ErrorCode::SecurityKeyTimedOut,
            Self::PinBlocked => ErrorCode::SecurityKeyPinBlocked,
            Self::ReinsertKey => ErrorCode::SecurityKeyReinsert,
            Self::NewPin(NewPinProblem::TooShort { .. }) => ErrorCode::SecurityKeyPinTooShort,
            Self::NewPin(NewPinProblem::TooLong) => ErrorCode::SecurityKeyPinTooLong,
            Self::NewPin(NewPinProblem::ControlCharacters) => ErrorCode::InputControlCharacters,
            Self::NewPin(NewPinProblem::Mismatch) => ErrorCode::SecurityKeyPinMismatch,
            Self::PinRefused => ErrorCode::SecurityKeyPinRefused,
            Self::AlreadyRegistered => ErrorCode::SecurityKeyAlreadyRegistered,
            Self::KeyFull => ErrorCode::SecurityKeyFull,
            Self::Cancelled => ErrorCode::SecurityKeyCancelled,
            Self::NotSupported(_) => ErrorCode::SecurityKeyNotSupported,
            Self::Failed(_) => ErrorCode::SecurityKeyFailed,
        }
    }
}

impl From<WebauthnCError> for CeremonyError {
    fn from(error: WebauthnCError) -> Self {
        use CtapError::*;
        match error {
            WebauthnCError::Cancelled
            | WebauthnCError::Ctap(Ctap2KeepAliveCancel | Ctap2OperationDenied) => Self::Cancelled,
            WebauthnCError::Ctap(Ctap1Timeout | Ctap2UserActionTimeout | Ctap2ActionTimeout) => {
                Self::TimedOut
            }
            WebauthnCError::Ctap(Ctap2PinBlocked) => Self::PinBlocked,
            WebauthnCError::Ctap(Ctap2PinAuthBlocked) => Self::ReinsertKey,
            WebauthnCError::Ctap(Ctap2CredentialExcluded) => Self::AlreadyRegistered,
            WebauthnCError::Ctap(Ctap2KeyStoreFull) => Self::KeyFull,
            WebauthnCError::Ctap(Ctap2PinPolicyViolation) => Self::PinRefused,
            WebauthnCError::PinTooShort => Self::NewPin(NewPinProblem::TooShort {
                min_length: crate::pin::DEFAULT_MIN_PIN_LENGTH,
            }),
            WebauthnCError::PinTooLong => Self::NewPin(NewPinProblem::TooLong),
            WebauthnCError::PinContainsNull => Self::NewPin(NewPinProblem::ControlCharacters),
            WebauthnCError::NoHidDevices => Self::NoKeyFound,
            e @ (WebauthnCError::NotSupported
            | WebauthnCError::UserVerificationRequired
            | WebauthnCError::PermissionDenied
            | WebauthnCError::Ctap(Ctap2UnsupportedAlgorithm | Ctap2UnsupportedOption)) => {
                Self::NotSupported(format!("{e:?}"))
            }
            other => Self::Failed(format!("{other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_answer_is_its_own_error() {
        let from = |e: CtapError| CeremonyError::from(WebauthnCError::Ctap(e)).code();
        assert_eq!(
            from(CtapError::Ctap2CredentialExcluded),
            ErrorCode::SecurityKeyAlreadyRegistered
        );
        assert_eq!(
            from(CtapError::Ctap2PinBlocked),
            ErrorCode::SecurityKeyPinBlocked
        );
        assert_eq!(
            from(CtapError::Ctap2PinAuthBlocked),
            ErrorCode::SecurityKeyReinsert
        );
        assert_eq!(
            from(CtapError::Ctap2UserActionTimeout),
            ErrorCode::SecurityKeyTimedOut
        );
        assert_eq!(
            from(CtapError::Ctap2KeepAliveCancel),
            ErrorCode::SecurityKeyCancelled
        );
        assert_eq!(
            from(CtapError::Ctap2KeyStoreFull),
            ErrorCode::SecurityKeyFull
        );
        assert_eq!(
            from(CtapError::Ctap2PinPolicyViolation),
            ErrorCode::SecurityKeyPinRefused
        );
        assert_eq!(
            from(CtapError::Ctap2UnsupportedAlgorithm),
            ErrorCode::SecurityKeyNotSupported
        );
        assert_eq!(
            from(CtapError::Ctap2InvalidCBOR),
            ErrorCode::SecurityKeyFailed
        );
        let code = |e| CeremonyError::from(e).code();
        assert_eq!(
            code(WebauthnCError::Cancelled),
            ErrorCode::SecurityKeyCancelled
        );
        assert_eq!(
            code(WebauthnCError::PinTooLong),
            ErrorCode::SecurityKeyPinTooLong
        );
        assert_eq!(
            code(WebauthnCError::UserVerificationRequired),
            ErrorCode::SecurityKeyNotSupported
        );
    }
}
