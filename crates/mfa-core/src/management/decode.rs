//! How the Management API's answers (and its token endpoint's) become a [`ManagementError`].

use reqwest::header::HeaderMap;

use super::error::ManagementError;
use crate::transport::{retry_at, snippet, ErrorBody, FromAnswer, TransportFailure};

/// Which kind of endpoint answered: it decides what a bare 404 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// `/oauth/token` (OAuth error bodies).
    Token,
    /// A Management path about a user (`/users/{id}…`, `/users-by-email`, tickets).
    User,
    /// A Management path about one method of a user (`…/authentication-methods/{id}`).
    Method,
}

impl FromAnswer for ManagementError {
    type Call = Target;
    const API: &'static str = "management";

    fn from_failure(failure: TransportFailure) -> Self {
        match failure {
            TransportFailure::Connect(detail) => Self::Connect(detail),
            TransportFailure::Lost(detail) => Self::AnswerLost(detail),
            TransportFailure::Timeout => Self::Timeout,
        }
    }

    fn from_answer(target: Target, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        from_response(target, status, headers, body)
    }

    fn unreadable(status: u16, detail: String) -> Self {
        Self::Unexpected { status, detail }
    }
}

/// Turns a non-success answer into a [`ManagementError`]. Decisions key on `errorCode` (or
/// the OAuth `error`) and the status; the message text is read only to name the missing
/// scopes, which Auth0 gives nowhere else.
fn from_response(target: Target, status: u16, headers: &HeaderMap, body: &[u8]) -> ManagementError {
    let parsed = ErrorBody::parse(body).unwrap_or_default();
    if status == 429 {
        return ManagementError::RateLimited {
            retry_at: retry_at(headers),
        };
    }
    if target == Target::Token {
        return token_error(status, parsed, body);
    }
    let message = parsed.message.clone().unwrap_or_default();
    match (status, parsed.error_code.as_deref()) {
        (_, Some("insufficient_scope")) | (403, None)
            if message.starts_with(INSUFFICIENT_SCOPE) =>
        {
            ManagementError::InsufficientScope {
                scopes: expected_scopes(&message),
            }
        }
        (_, Some("insufficient_scope")) => ManagementError::InsufficientScope { scopes: vec![] },
        (404, Some("inexistent_user")) => ManagementError::UserNotFound,
        (404, _) if target == Target::Method => ManagementError::MethodNotFound,
        (404, _) => ManagementError::UserNotFound,
        (401, _) => ManagementError::TokenRejected { message },
        // An opaque bearer (not a JWT) is refused with 400 and errorCode "Bearer".
        (400, Some("Bearer")) => ManagementError::TokenRejected { message },
        (403, _) => ManagementError::NotAllowed {
            description: message,
        },
        (400, _) if parsed.message.is_some() => ManagementError::InvalidRequest { message },
        (500..=599, _) => ManagementError::Server { status },
        _ => ManagementError::Unexpected {
            status,
            detail: snippet(body),
        },
    }
}

fn token_error(status: u16, parsed: ErrorBody, body: &[u8]) -> ManagementError {
    let description = parsed
        .error_description
        .or(parsed.message)
        .unwrap_or_default();
    match (status, parsed.error.as_deref()) {
        // A wrong secret answers 401 access_denied "Unauthorized" (spec §12.3).
        (401, _) | (_, Some("invalid_client")) => ManagementError::BadCredentials,
        (_, Some("unauthorized_client" | "access_denied")) => {
            ManagementError::NotAllowed { description }
        }
        (400, Some(_)) => ManagementError::InvalidRequest {
            message: description,
        },
        (500..=599, _) => ManagementError::Server { status },
        _ => ManagementError::Unexpected {
            status,
            detail: snippet(body),
        },
    }
}

const INSUFFICIENT_SCOPE: &str = "Insufficient scope";

/// `"Insufficient scope, expected any of: read:users,update:users"` → both scopes.
fn expected_scopes(message: &str) -> Vec<String> {
    message
        .split_once(':')
        .map(|(_, list)| {
            list.split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn parse(target: Target, status: u16, body: &str) -> ManagementError {
        from_response(target, status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn the_missing_scopes_are_named() {
        let err = parse(
            Target::User,
            403,
            r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: delete:authentication_methods,delete:guardian_enrollments","errorCode":"insufficient_scope"}"#,
        );
        let ManagementError::InsufficientScope { scopes } = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            scopes,
            [
                "delete:authentication_methods",
                "delete:guardian_enrollments"
            ]
        );
    }

    #[test]
    fn a_404_names_the_user_or_the_method() {
        let user = r#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#;
        assert!(matches!(
            parse(Target::Method, 404, user),
            ManagementError::UserNotFound
        ));
        let method = r#"{"statusCode":404,"error":"Not Found","message":"The authentication method could not be found."}"#;
        assert!(matches!(
            parse(Target::Method, 404, method),
            ManagementError::MethodNotFound
        ));
        assert!(matches!(
            parse(Target::User, 404, method),
            ManagementError::UserNotFound
        ));
    }

    #[test]
    fn token_errors_separate_bad_secrets_from_missing_grants() {
        let wrong = r#"{"error":"access_denied","error_description":"Unauthorized"}"#;
        assert!(matches!(
            parse(Target::Token, 401, wrong),
            ManagementError::BadCredentials
        ));
        let no_grant =
            r#"{"error":"access_denied","error_description":"Client has not been granted scopes"}"#;
        assert!(matches!(
            parse(Target::Token, 403, no_grant),
            ManagementError::NotAllowed { .. }
        ));
    }

    #[test]
    fn rate_limits_carry_the_retry_time() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("2000000000"));
        let err = from_response(Target::User, 429, &headers, b"{}");
        assert_eq!(err.retry_at(), Some(2_000_000_000));
        headers.insert("retry-after", HeaderValue::from_static("0"));
        let err = from_response(Target::User, 429, &headers, b"");
        assert!(err.retry_at().unwrap() < 2_000_000_000);
    }

    #[test]
    fn opaque_bearers_and_bad_audiences_are_token_rejections() {
        let opaque = r#"{"statusCode":400,"error":"Bad Request","message":"Bad HTTP authentication header format","errorCode":"Bearer"}"#;
        assert!(matches!(
            parse(Target::User, 400, opaque),
            ManagementError::TokenRejected { .. }
        ));
        let audience =
            r#"{"statusCode":401,"error":"Unauthorized","message":"Bad audience: http://x/mfa/"}"#;
        assert!(matches!(
            parse(Target::User, 401, audience),
            ManagementError::TokenRejected { .. }
        ));
    }
}
