//! What the app was started with, fixed for its whole run: the tenant and how people sign in
//! to it, IT's helpdesk contact, the language, and what went wrong reading the configuration.
//! Nothing here changes after start-up, so it needs no lock; what does change belongs to the
//! service that changes it (see `app_state.rs`).

use mfa_core::browser::BrowserOptions;
use mfa_core::input::IdentifierKind;
use mfa_core::model::FactorKind;
use mfa_core::{Auth0Client, ErrorCode};

use crate::command_error::{AppError, CommandResult};

/// The tenant as people see it, and the client that talks to it.
pub struct Tenant {
    pub client: Auth0Client,
    pub domain: String,
    pub name: String,
    /// Keyring namespace: the domain, or "demo" so demo runs find their own entries again.
    pub keyring_namespace: String,
    pub factors: Vec<FactorKind>,
    /// What the sign-in field asks for: an email address unless IT's configuration says the
    /// connection uses usernames (its `username` key). The label and the check follow it.
    pub sign_in_identifier: IdentifierKind,
    /// How people sign in: a password in the app, or the system browser (IT's `sign_in`).
    pub sign_in: SignInMode,
}

/// IT's `sign_in` setting, with the browser options when it is `"browser"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SignInMode {
    #[default]
    Password,
    Browser(BrowserOptions),
}

/// Where people who are stuck get help: IT's wording and link.
#[derive(Debug, Clone)]
pub struct HelpdeskContact {
    pub text: Option<String>,
    pub url: Option<String>,
}

/// What is wrong with the configuration, and where.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    pub file: String,
    pub key: String,
    pub problem: String,
}

/// The app's configuration for this run.
pub struct AppConfig {
    pub tenant: Option<Tenant>,
    pub problem: Option<ConfigProblem>,
    pub locale: String,
    pub locale_managed: bool,
    pub helpdesk_contact: Option<HelpdeskContact>,
    /// Set when the OS keyring could not be used: the session still works, in memory only.
    pub keyring_problem: Option<ErrorCode>,
}

impl AppConfig {
    pub fn tenant(&self) -> CommandResult<&Tenant> {
        self.tenant.as_ref().ok_or(AppError::NotConfigured.into())
    }
}
