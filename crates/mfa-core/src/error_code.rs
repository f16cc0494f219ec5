//! The one list of error codes the core can report. The UI looks each code up in its language
//! catalogues (`error.<code>`), the app and its tests match on the variants, and the catalogue
//! test iterates [`ErrorCode::iter`] so that no code ships without a message in every language.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// A stable, machine-readable reason. Serialized in `snake_case` (`"wrong_otp"`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    // What was typed, refused before anything was sent.
    InputEmpty,
    InputTooLong,
    InputMultipleLines,
    InvalidCodeFormat,
    CodeNotDigits,
    InvalidRecoveryCodeFormat,
    InvalidPhone,
    PhoneExtraText,
    UnsupportedPhone,
    InvalidCountry,
    InvalidEmail,
    EmailMissingAt,
    EmailMissingLocalPart,
    EmailMissingDomain,
    EmailInvalidDomain,
    EmailHasSpaces,
    EmailFullWidth,
    InvalidUsername,
    UsernameHasSpaces,
    PasswordTooLong,
    // What Auth0 answered.
    WrongCredentials,
    AccountBlocked,
    MfaRequired,
    WrongOtp,
    WrongBindingCode,
    WrongRecoveryCode,
    SessionExpired,
    CodeExpired,
    AlreadyEnrolled,
    PushPending,
    PushSlowDown,
    PushRejected,
    UnsupportedChallengeType,
    AssociationRequired,
    InvalidAuthenticator,
    FactorNotAllowed,
    GrantNotAllowed,
    InvalidClient,
    TooManyAttempts,
    RateLimited,
    InsufficientScope,
    AccessDenied,
    NotFound,
    MyAccountUnavailable,
    InvalidRequest,
    ServerError,
    Unknown,
    // What the network did.
    Network,
    ConnectionLost,
    Timeout,
    UnexpectedResponse,
    // What a flow could not do.
    RecoveryOutcomeUnknown,
    VerificationRequired,
    NoPendingCode,
    Cancelled,
    EnrollConfirmUnsupported,
    // A browser sign-in's round trip.
    BrowserSignInDenied,
    BrowserSignInRefused,
    BrowserStateMismatch,
    BrowserCodeRejected,
    BrowserSignInTimedOut,
    BrowserSignInCancelled,
    /// A sign-in asked to be fresh (helpdesk mode) came back from an older one (§S6).
    BrowserSignInNotFresh,
    RedirectPortUnavailable,
    // The OS keyring.
    KeyringUnavailable,
    KeyringError,
    // The helpdesk: its input, the Management API, its audit log and its command line.
    InputControlCharacters,
    InvalidUserId,
    InvalidMethodId,
    InvalidUserReference,
    InvalidCorrelationId,
    UserNotFound,
    MethodNotFound,
    AmbiguousEmail,
    MissingScope,
    HelpdeskCredentialsRefused,
    HelpdeskNotAllowed,
    HelpdeskNotConfigured,
    HelpdeskSecretMissing,
    ManagementTokenRejected,
    RecoveryCodeAnswerLost,
    AuditLogUnwritable,
    AuditLogUnreadable,
    Usage,
    // Helpdesk mode in the app: agents, their session, and verifying the caller.
    NotAHelpdeskAgent,
    AgentEmailUnverified,
    AgentIdentityUnknown,
    HelpdeskSessionExpired,
    HelpdeskSessionTooLong,
    CallerNotVerified,
    ResetConfirmationMismatch,
    CallerHasNoEmail,
    // The helpdesk service: agents' sign-ins, caller verifications, approvals, idempotency.
    AgentTokenMissing,
    AgentTokenInvalid,
    AgentTokenExpired,
    AgentMfaMissing,
    AgentSignInTooOld,
    AgentPermissionMissing,
    VerificationExpired,
    VerificationOtherCaller,
    PushNotEnrolled,
    PushExpired,
    SelfApproval,
    ApprovalClosed,
    RecoveryCodeRecentlyIssued,
    IdempotencyKeyMissing,
    IdempotencyKeyMismatch,
    IdempotencyKeyInProgress,
    OutcomeUnknown,
    // Issue 23 part 3: the app's WebAuthn client and a security key or passkey.
    SecurityKeyNotFound,
    SecurityKeyTimedOut,
    SecurityKeyPinWrong,
    SecurityKeyPinBlocked,
    SecurityKeyReinsert,
    SecurityKeyPinTooShort,
    SecurityKeyPinTooLong,
    SecurityKeyPinRefused,
    SecurityKeyPinMismatch,
    SecurityKeyAlreadyRegistered,
    SecurityKeyFull,
    SecurityKeyCancelled,
    SecurityKeyNotSupported,
    SecurityKeyFailed,
    // Issue 23 part 2: methods managed through the My Account API.
    InputSurroundingSpaces,
    /// Renaming, a phone's channel, a new recovery code at will: My Account API only.
    MyAccountRequired,
    /// The My Account API token came without the scopes to manage methods.
    MyAccountScopesMissing,
}

impl ErrorCode {
    /// The code as the UI and logs spell it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Situations the person cannot get out of alone: the message points to the helpdesk.
    pub fn needs_helpdesk(self) -> bool {
        matches!(
            self,
            Self::AccountBlocked
                | Self::RecoveryOutcomeUnknown
                | Self::TooManyAttempts
                | Self::GrantNotAllowed
                | Self::WrongRecoveryCode
                | Self::FactorNotAllowed
                | Self::EnrollConfirmUnsupported
                | Self::BrowserSignInRefused
                | Self::RedirectPortUnavailable
                | Self::SecurityKeyPinBlocked
        )
    }

    /// Every code, for catalogue checks.
    pub fn iter() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_and_as_str_agree() {
        for code in ErrorCode::iter() {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
