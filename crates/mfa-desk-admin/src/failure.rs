//! Why a command stopped: the exit code, the stable error code (the same `error.<code>` the
//! desktop app translates) and one sentence for the agent.

use std::time::{SystemTime, UNIX_EPOCH};

use mfa_core::audit::AuditError;
use mfa_core::config::ConfigError;
use mfa_core::management::credentials::CredentialError;
use mfa_core::management::{ManagementError, ManagementInputError};
use mfa_core::ErrorCode;
use serde::Serialize;

/// The documented exit codes (0 is success).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Other = 1,
    /// Bad usage or bad input: nothing was sent.
    Usage = 2,
    NotFound = 3,
    /// Credentials or permission refused.
    Refused = 4,
    /// Rate limited or network failure.
    Unavailable = 5,
    /// Not signed in, or the sign-in expired or was refused: run `login`.
    NotSignedIn = 6,
    /// The caller is not verified, or the verification expired, was denied or is another
    /// caller's.
    NotVerified = 7,
    /// Waiting for another agent's approval (four eyes): nothing was changed yet.
    AwaitingApproval = 8,
}

#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub code: ErrorCode,
    pub message: String,
    /// Unix seconds after which retrying makes sense, when Auth0 said so.
    pub retry_at: Option<u64>,
    /// Extra facts for `--json` (the users sharing an email, say).
    pub details: Option<Details>,
}

/// Extra facts a failure gives scripts.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Details {
    /// The users who share the email that was given.
    UserIds { user_ids: Vec<String> },
}

/// `--json` form of a failure: `{"error": {"code", "message", "exit_code", "retry_at"?, …}}`.
#[derive(Serialize)]
pub struct FailureReport<'a> {
    pub error: ErrorReport<'a>,
}

#[derive(Serialize)]
pub struct ErrorReport<'a> {
    code: ErrorCode,
    message: &'a str,
    exit_code: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a Details>,
}

impl Failure {
    pub fn new(exit: Exit, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            exit,
            code,
            message: message.into(),
            retry_at: None,
            details: None,
        }
    }

    pub fn with_details(mut self, details: Details) -> Self {
        self.details = Some(details);
        self
    }

    /// A bad value for `what` (named as the agent typed it: "--reason", "USER").
    pub fn input(what: &str, error: ManagementInputError) -> Self {
        Self::new(
            Exit::Usage,
            error.code(),
            format!(
                "{what}: {}; nothing was sent.",
                capitalised(&error.to_string())
            ),
        )
    }

    /// The `error` member of the `--json` document.
    pub fn report(&self) -> ErrorReport<'_> {
        ErrorReport {
            code: self.code,
            message: &self.message,
            exit_code: self.exit as i32,
            retry_at: self.retry_at,
            details: self.details.as_ref(),
        }
    }

    /// A failure of a call to Auth0. `changing` says whether the call was a change, which
    /// decides what a lost answer means for the agent.
    pub fn management(error: ManagementError, changing: bool, timeout_secs: u64) -> Self {
        use ManagementError as E;
        let code = error.code();
        let uncertain = if changing {
            " The change may or may not have been made: check with `methods` before repeating it."
        } else {
            ""
        };
        let (exit, message) = match &error {
            E::UserNotFound => (Exit::NotFound, "No such user exists on this tenant.".into()),
            E::MethodNotFound => (
                Exit::NotFound,
                "The user has no authentication method with this id; list them with `methods`."
                    .into(),
            ),
            E::InsufficientScope { scopes } if !scopes.is_empty() => (
                Exit::Refused,
                format!(
                    "The helpdesk application lacks {}: grant it to the application on the Management API in the Auth0 dashboard.",
                    match scopes.as_slice() {
                        [one] => format!("the permission {one}"),
                        many => format!("one of the permissions {}", many.join(", ")),
                    }
                ),
            ),
            E::InsufficientScope { .. } => (
                Exit::Refused,
                "The helpdesk application lacks a permission this needs on the Management API."
                    .into(),
            ),
            E::BadCredentials => (
                Exit::Refused,
                "The tenant refused the helpdesk application's client id or secret: check --client-id and MFA_DESK_ADMIN_SECRET (or the keyring entry).".into(),
            ),
            E::NotAllowed { description } => (
                Exit::Refused,
                format!(
                    "The helpdesk application may not use the Management API ({description}): authorize it in the Auth0 dashboard."
                ),
            ),
            E::TokenRejected { message } => (
                Exit::Refused,
                format!("The Management API refused the access token ({message})."),
            ),
            E::RateLimited { retry_at } => (Exit::Unavailable, rate_limited(*retry_at)),
            E::Connect(detail) => (
                Exit::Unavailable,
                format!("Could not connect to the tenant ({detail}); nothing was sent."),
            ),
            E::AnswerLost(detail) => (
                Exit::Unavailable,
                format!("The connection was lost before Auth0 answered ({detail}).{uncertain}"),
            ),
            E::Timeout => (
                Exit::Unavailable,
                format!(
                    "Auth0 did not answer within {timeout_secs} second{}.{uncertain}",
                    if timeout_secs == 1 { "" } else { "s" }
                ),
            ),
            E::RecoveryCodeAnswerLost => (
                Exit::Unavailable,
                "A new recovery code may have been issued but the answer was lost, so the user's previous code may no longer work: run `recovery-code` again to issue one you can give them.".into(),
            ),
            E::InvalidRequest { message } => {
                (Exit::Other, format!("Auth0 refused the request: {message}."))
            }
            E::Server { status } => (
                Exit::Other,
                format!("Auth0 had a problem (HTTP {status}); try again in a moment."),
            ),
            E::Unexpected { status, detail } => (
                Exit::Other,
                format!("Auth0 sent an answer this tool does not understand (HTTP {status}: {detail})."),
            ),
        };
        Self {
            exit,
            code,
            message,
            retry_at: error.retry_at(),
            details: None,
        }
    }
}

fn rate_limited(retry_at: Option<u64>) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    match retry_at {
        Some(at) => format!(
            "Auth0 is limiting the rate of requests: try again in {} seconds.",
            at.saturating_sub(now).max(1)
        ),
        None => "Auth0 is limiting the rate of requests: try again in a minute.".into(),
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        let message = match &error {
            ConfigError::InvalidUrl(url) => format!("--tenant: {url:?} is not a valid address."),
            ConfigError::InsecureUrl(url) => format!(
                "--tenant: {url} must use https:// (plain http is only allowed on this computer)."
            ),
            ConfigError::MissingClientId => "--client-id is empty.".into(),
            ConfigError::HttpClient(detail) => {
                return Self::new(
                    Exit::Other,
                    ErrorCode::Unknown,
                    format!("Could not set up HTTPS: {detail}."),
                )
            }
        };
        Self::new(Exit::Usage, ErrorCode::HelpdeskNotConfigured, message)
    }
}

impl From<CredentialError> for Failure {
    fn from(error: CredentialError) -> Self {
        Self::new(
            Exit::Usage,
            error.code(),
            format!("{}; nothing was sent.", capitalised(&error.to_string())),
        )
    }
}

impl From<AuditError> for Failure {
    fn from(error: AuditError) -> Self {
        Self::new(
            Exit::Other,
            error.code(),
            format!("{}.", capitalised(&error.to_string())),
        )
    }
}

pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
