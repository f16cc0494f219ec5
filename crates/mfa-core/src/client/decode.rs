//! How the Authentication and MFA API's answers become an [`ApiError`]: which call was made
//! ([`Call`]) and what each of Auth0's error codes means for it.

use reqwest::header::HeaderMap;

use crate::error::ApiError;
use crate::model::MfaRequired;
use crate::transport::{retry_at, snippet, ErrorBody, FromAnswer, TransportFailure};

/// Which call an error answers. Auth0 reuses some codes (`invalid_grant`, `access_denied`)
/// for different situations; the call tells which one it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Call {
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

impl FromAnswer for ApiError {
    type Call = Call;
    const API: &'static str = "authentication";

    fn from_failure(failure: TransportFailure) -> Self {
        match failure {
            TransportFailure::Connect(detail) => Self::Connect(detail),
            TransportFailure::Lost(detail) => Self::ConnectionLost(detail),
            TransportFailure::Timeout => Self::Timeout,
        }
    }

    fn from_answer(call: Call, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        from_response(call, status, headers, body)
    }

    fn unreadable(status: u16, detail: String) -> Self {
        Self::UnexpectedResponse { status, detail }
    }
}

/// Turns a non-success answer into an [`ApiError`]. The decision keys on the error code; the
/// description only separates the cases Auth0 folds under one code (which token expired, a
/// malformed `mfa_token` versus a wrong code), where every SDK does the same.
fn from_response(call: Call, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let parsed = ErrorBody::parse(body);
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

#[cfg(test)]
mod tests {
    use super::*;

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
