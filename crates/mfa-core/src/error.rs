//! One error type per layer: [`InputError`] (what was typed), [`ApiError`] (what Auth0 or the
//! network answered) and [`FlowError`] (what a flow could not do). Each variant has a stable
//! [`code`](ApiError::code) that the UI looks up in its language catalogue; nobody matches on
//! message text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use serde::Deserialize;

pub use crate::error_code::ErrorCode;
use crate::model::MfaRequired;

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
        }
    }
}

/// A moment (seconds since the Unix epoch) before which retrying is pointless.
pub type RetryAt = Option<u64>;

/// Everything Auth0 or the network can answer instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("the account is blocked after too many failed sign-ins")]
    AccountBlocked { retry_at: RetryAt },
    #[error("multi-factor authentication is required")]
    MfaRequired(Box<MfaRequired>),
    #[error("the one-time code is wrong")]
    WrongOtp,
    #[error("the code from the message is wrong")]
    WrongBindingCode,
    #[error("the recovery code is wrong")]
    WrongRecoveryCode,
    #[error("the sign-in session (mfa_token) has expired")]
    MfaTokenExpired,
    #[error("the sign-in session (mfa_token) is not valid: {description}")]
    MfaTokenInvalid { description: String },
    #[error("the code has expired")]
    CodeExpired,
    #[error("the user already has an authenticator; verify it before adding another")]
    AlreadyEnrolled,
    #[error("the push notification has not been answered yet")]
    AuthorizationPending,
    #[error("polling too fast for the push answer")]
    SlowDown,
    #[error("the push notification was rejected")]
    PushRejected,
    #[error("none of the user's authenticators supports this kind of challenge")]
    UnsupportedChallengeType,
    #[error("the user has no authenticator yet")]
    AssociationRequired,
    #[error("this authenticator is unknown or not active")]
    InvalidAuthenticator,
    #[error("this kind of factor is not enabled on the tenant")]
    FactorNotEnabled,
    #[error("this application is not allowed to use this grant")]
    GrantNotAllowed,
    #[error("the application's credentials were refused")]
    InvalidClient,
    #[error("too many wrong codes")]
    TooManyAttempts { retry_at: RetryAt },
    #[error("too many requests")]
    RateLimited { retry_at: RetryAt },
    #[error("the token lacks a required permission")]
    InsufficientScope,
    #[error("access denied: {description}")]
    AccessDenied { description: String },
    #[error("the access token is missing, invalid or expired")]
    Unauthorized,
    #[error("not found")]
    NotFound,
    #[error("the request was refused: {description}")]
    InvalidRequest { description: String },
    #[error("Auth0 had a problem (HTTP {status})")]
    Server { status: u16 },
    #[error("Auth0 answered {status} {code}: {description}")]
    Other {
        status: u16,
        code: String,
        description: String,
    },
    /// The `authorization_code` grant refused the code: already used, expired, or not this
    /// app's (also a PKCE or `redirect_uri` mismatch, which Auth0 words differently).
    #[error("the sign-in code was refused: {description}")]
    AuthorizationCodeRejected { description: String },
    #[error("could not reach the tenant: {0}")]
    Connect(String),
    #[error("the connection was lost before an answer arrived: {0}")]
    ConnectionLost(String),
    #[error("no answer in time")]
    Timeout,
    #[error("unexpected answer (HTTP {status}): {detail}")]
    UnexpectedResponse { status: u16, detail: String },
}

impl ApiError {
    /// The stable code the UI translates (`error.<code>` in the catalogues).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::WrongCredentials => ErrorCode::WrongCredentials,
            Self::AccountBlocked { .. } => ErrorCode::AccountBlocked,
            Self::MfaRequired(_) => ErrorCode::MfaRequired,
            Self::WrongOtp => ErrorCode::WrongOtp,
            Self::WrongBindingCode => ErrorCode::WrongBindingCode,
            Self::WrongRecoveryCode => ErrorCode::WrongRecoveryCode,
            Self::MfaTokenExpired | Self::MfaTokenInvalid { .. } => ErrorCode::SessionExpired,
            Self::CodeExpired => ErrorCode::CodeExpired,
            Self::AlreadyEnrolled => ErrorCode::AlreadyEnrolled,
            Self::AuthorizationPending => ErrorCode::PushPending,
            Self::SlowDown => ErrorCode::PushSlowDown,
            Self::PushRejected => ErrorCode::PushRejected,
            Self::UnsupportedChallengeType => ErrorCode::UnsupportedChallengeType,
            Self::AssociationRequired => ErrorCode::AssociationRequired,
            Self::InvalidAuthenticator => ErrorCode::InvalidAuthenticator,
            Self::FactorNotEnabled => ErrorCode::FactorNotAllowed,
            Self::GrantNotAllowed => ErrorCode::GrantNotAllowed,
            Self::InvalidClient => ErrorCode::InvalidClient,
            Self::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::InsufficientScope => ErrorCode::InsufficientScope,
            Self::AccessDenied { .. } => ErrorCode::AccessDenied,
            Self::Unauthorized => ErrorCode::SessionExpired,
            Self::NotFound => ErrorCode::NotFound,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::Server { .. } => ErrorCode::ServerError,
            Self::AuthorizationCodeRejected { .. } => ErrorCode::BrowserCodeRejected,
            Self::Other { .. } => ErrorCode::Unknown,
            Self::Connect(_) => ErrorCode::Network,
            Self::ConnectionLost(_) => ErrorCode::ConnectionLost,
            Self::Timeout => ErrorCode::Timeout,
            Self::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
        }
    }

    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::AccountBlocked { retry_at }
            | Self::TooManyAttempts { retry_at }
            | Self::RateLimited { retry_at } => *retry_at,
            _ => None,
        }
    }

    /// True when the request may have reached Auth0 and been acted on although no answer came
    /// back. For a recovery-code sign-in this means the code may already be used up.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::ConnectionLost(_) | Self::Timeout)
    }

    /// True when the person has to sign in again (the short-lived MFA session is gone).
    pub fn needs_new_sign_in(&self) -> bool {
        matches!(
            self,
            Self::MfaTokenExpired | Self::MfaTokenInvalid { .. } | Self::Unauthorized
        )
    }
}

/// Which call an error answers. Auth0 reuses some codes (`invalid_grant`, `access_denied`)
/// for different situations; the call tells which one it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    PasswordGrant,
    OtpGrant,
    OobGrant,
    RecoveryCodeGrant,
    Associate,
    Challenge,
    ListAuthenticators,
    DeleteAuthenticator,
    AuthorizationCodeGrant,
}

/// Both error shapes Auth0 uses: OAuth (`error`/`error_description`) and the older and
/// Management API ones (`code`/`errorCode`, `description`/`message`).
#[derive(Deserialize, Default)]
struct ErrorBody {
    error: Option<String>,
    #[serde(rename = "errorCode")]
    error_code: Option<String>,
    code: Option<String>,
    error_description: Option<String>,
    description: Option<String>,
    message: Option<String>,
    mfa_token: Option<String>,
    mfa_requirements: Option<serde_json::Value>,
}

impl ErrorBody {
    /// Like auth0-java: `errorCode`, then `error`, then `code`.
    fn code(&self) -> Option<&str> {
        self.error_code
            .as_deref()
            .or(self.error.as_deref())
            .or(self.code.as_deref())
    }

    fn description(&self) -> String {
        self.error_description
            .as_deref()
            .or(self.description.as_deref())
            .or(self.message.as_deref())
            .unwrap_or_default()
            .to_owned()
    }
}

/// Turns a non-success answer into an [`ApiError`]. The decision keys on the error code; the
/// description only separates the cases Auth0 folds under one code (which token expired, a
/// malformed `mfa_token` versus a wrong code), where every SDK does the same.
pub(crate) fn from_response(call: Call, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let Some(parsed) = parsed.filter(|b| b.code().is_some()) else {
        return match status {
            429 => ApiError::RateLimited {
                retry_at: retry_at(headers),
            },
            500..=599 => ApiError::Server { status },
            404 if call == Call::DeleteAuthenticator => ApiError::NotFound,
            401 => ApiError::Unauthorized,
            _ => ApiError::UnexpectedResponse {
                status,
                detail: snippet(body),
            },
        };
    };
    let code = parsed.code().unwrap_or_default().to_owned();
    let description = parsed.description();
    let about_mfa_token = description.contains("mfa_token");
    match code.as_str() {
        "mfa_required" | "a0.mfa_required" => match parsed.mfa_token {
            Some(token) => ApiError::MfaRequired(Box::new(MfaRequired {
                mfa_token: crate::secret::secret(token),
                requirements: parsed
                    .mfa_requirements
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
            })),
            None => ApiError::UnexpectedResponse {
                status,
                detail: "mfa_required without mfa_token".into(),
            },
        },
        "invalid_grant" | "invalid_user_password" if about_mfa_token => {
            ApiError::MfaTokenInvalid { description }
        }
        "invalid_grant" | "invalid_user_password" | "a0.mfa_invalid_code" => match call {
            Call::PasswordGrant => ApiError::WrongCredentials,
            Call::OtpGrant => ApiError::WrongOtp,
            Call::OobGrant if description.contains("rejected") => ApiError::PushRejected,
            Call::OobGrant if description.contains("oob_code") => {
                ApiError::InvalidRequest { description }
            }
            Call::OobGrant => ApiError::WrongBindingCode,
            Call::RecoveryCodeGrant => ApiError::WrongRecoveryCode,
            Call::AuthorizationCodeGrant => ApiError::AuthorizationCodeRejected { description },
            _ => ApiError::MfaTokenInvalid { description },
        },
        "expired_token" if description.contains("oob_code") => ApiError::CodeExpired,
        "expired_token" => ApiError::MfaTokenExpired,
        "access_denied" => match call {
            Call::Associate if description.contains("already enrolled") => {
                ApiError::AlreadyEnrolled
            }
            Call::OobGrant => ApiError::PushRejected,
            _ => ApiError::AccessDenied { description },
        },
        "authorization_pending" => ApiError::AuthorizationPending,
        "slow_down" => ApiError::SlowDown,
        "unsupported_challenge_type" | "a0.mfa_registration_required" => {
            ApiError::UnsupportedChallengeType
        }
        "association_required" => ApiError::AssociationRequired,
        "invalid_authenticator_id" | "invalid_authenticator" => ApiError::InvalidAuthenticator,
        "unsupported_authenticator_type" => ApiError::FactorNotEnabled,
        "unauthorized_client" => ApiError::GrantNotAllowed,
        "invalid_client" => ApiError::InvalidClient,
        "too_many_attempts" if call == Call::PasswordGrant => ApiError::AccountBlocked {
            retry_at: retry_at(headers),
        },
        "too_many_attempts" => ApiError::TooManyAttempts {
            retry_at: retry_at(headers),
        },
        "too_many_requests" => ApiError::RateLimited {
            retry_at: retry_at(headers),
        },
        "insufficient_scope" => ApiError::InsufficientScope,
        "invalid_request" if about_mfa_token => ApiError::MfaTokenInvalid { description },
        "invalid_request" => ApiError::InvalidRequest { description },
        "not_found" | "authenticator_not_found" => ApiError::NotFound,
        "unauthorized" | "invalid_token" => ApiError::Unauthorized,
        _ if status == 429 => ApiError::RateLimited {
            retry_at: retry_at(headers),
        },
        _ if status >= 500 => ApiError::Server { status },
        _ => ApiError::Other {
            status,
            code,
            description,
        },
    }
}

/// When a rate-limited call may be retried: `Retry-After` (seconds or an HTTP date) first,
/// then `X-RateLimit-Reset` (Unix seconds), as Auth0's own SDKs do.
pub(crate) fn retry_at(headers: &HeaderMap) -> RetryAt {
    let now = SystemTime::now();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let from_retry_after = header("retry-after").and_then(|value| match value.parse::<u64>() {
        Ok(seconds) => Some(now + Duration::from_secs(seconds)),
        Err(_) => httpdate::parse_http_date(value).ok(),
    });
    let from_reset = || {
        header("x-ratelimit-reset")
            .and_then(|v| v.parse::<u64>().ok())
            .map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
    };
    from_retry_after
        .or_else(from_reset)
        .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut snippet: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        snippet.push('…');
    }
    snippet
}

/// What a flow could not do.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A recovery-code sign-in was sent but no answer came back: Auth0 may have used the code
    /// and rotated it, and retrying could only fail. The person must not be left guessing.
    #[error("the recovery code may have been used, but the answer was lost")]
    RecoveryOutcomeUnknown,
    #[error("this step needs a verified sign-in first")]
    VerificationRequired,
    #[error("there is nothing to confirm: start again")]
    NothingPending,
    #[error("this kind of factor is not offered here")]
    FactorNotOffered,
    #[error("waiting for the push answer was cancelled")]
    Cancelled,
    #[error("Auth0's answer lacked {0}")]
    Incomplete(&'static str),
    #[error(transparent)]
    Browser(#[from] crate::browser::BrowserError),
    /// After a browser sign-in there is no `mfa_token`, and this tenant does not accept the
    /// MFA-API access token in its place to confirm a new authenticator (spec §2.4,
    /// unconfirmed). The unconfirmed authenticator was removed again.
    #[error("the tenant does not let an access token confirm a new authenticator")]
    ConfirmationNeedsMfaToken,
}

impl FlowError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Input(e) => e.code(),
            Self::Api(e) => e.code(),
            Self::RecoveryOutcomeUnknown => ErrorCode::RecoveryOutcomeUnknown,
            Self::VerificationRequired => ErrorCode::VerificationRequired,
            Self::NothingPending => ErrorCode::NoPendingCode,
            Self::FactorNotOffered => ErrorCode::FactorNotAllowed,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::Incomplete(_) => ErrorCode::UnexpectedResponse,
            Self::Browser(e) => e.code(),
            Self::ConfirmationNeedsMfaToken => ErrorCode::EnrollConfirmUnsupported,
        }
    }

    pub fn retry_at(&self) -> RetryAt {
        match self {
            Self::Api(e) => e.retry_at(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn parse(call: Call, status: u16, body: &str) -> ApiError {
        from_response(call, status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn the_older_code_description_shape_is_understood() {
        let err = parse(
            Call::OtpGrant,
            403,
            r#"{"code":"invalid_grant","description":"Invalid otp_code."}"#,
        );
        assert!(matches!(err, ApiError::WrongOtp));
        let err = parse(
            Call::DeleteAuthenticator,
            404,
            r#"{"statusCode":404,"error":"Not Found","message":"Enrollment not found","errorCode":"enrollment_not_found"}"#,
        );
        assert!(matches!(err, ApiError::Other { ref code, .. } if code == "enrollment_not_found"));
    }

    #[test]
    fn retry_after_wins_over_the_reset_header() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("100"));
        assert_eq!(retry_at(&headers), Some(100));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2037 07:28:00 GMT"),
        );
        assert_eq!(retry_at(&headers), Some(2139722880));
    }

    #[test]
    fn html_from_a_proxy_is_a_server_error() {
        let err = parse(Call::Challenge, 502, "<html>Bad gateway</html>");
        assert!(matches!(err, ApiError::Server { status: 502 }));
        let err = parse(Call::Challenge, 400, "<html>?</html>");
        assert!(matches!(
            err,
            ApiError::UnexpectedResponse { status: 400, .. }
        ));
    }
}
