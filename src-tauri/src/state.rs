//! The one piece of state the commands share. The webview never holds a token: it talks to
//! this state through commands, and the session lives here, in Rust memory only.

use std::sync::{Arc, Mutex};

use mfa_core::browser::BrowserOptions;
use mfa_core::flow::{CancellationToken, EnrollRequest, MfaSession};
use mfa_core::input::IdentifierKind;
use mfa_core::model::FactorKind;
use mfa_core::secret::SecretString;
use mfa_core::secret_store::{PendingRecoveryCode, SecretStore};
use mfa_core::Auth0Client;
use serde::Serialize;

use crate::command_error::{AppError, CommandResult};
use crate::service::helpdesk::{HelpdeskSession, HelpdeskSetup};

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

impl SignInMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Browser(_) => "browser",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Helpdesk {
    pub text: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigProblem {
    pub file: String,
    pub key: String,
    pub problem: String,
}

/// Steps a wizard needs to remember between two commands.
#[derive(Default)]
pub struct Wizard {
    /// The enrollment in progress, so "resend" can associate again with the same destination.
    pub enrollment: Option<EnrollRequest>,
    /// The authenticator-app key of that enrollment, for its Copy button: the webview shows
    /// the key but never hands it back, so Copy can put nothing else on the clipboard.
    pub otp_secret: Option<SecretString>,
    /// A recovery code Auth0 returned, kept until the person confirms they stored it.
    pub recovery_code: Option<PendingRecoveryCode>,
    pub recovery_code_in_keyring: bool,
}

impl Wizard {
    /// Forgets the enrollment in progress and its key (confirmed, abandoned or signed out).
    pub fn end_enrollment(&mut self) {
        self.enrollment = None;
        self.otp_secret = None;
    }
}

pub struct AppState {
    pub tenant: Option<Tenant>,
    pub config_problem: Option<ConfigProblem>,
    pub locale: String,
    pub locale_managed: bool,
    pub helpdesk: Option<Helpdesk>,
    /// Helpdesk mode, when IT turned it on (or in demo mode).
    pub helpdesk_setup: Option<HelpdeskSetup>,
    /// The admitted agent's session; never held while the MFA `session` lock is taken.
    pub helpdesk_session: tokio::sync::Mutex<Option<HelpdeskSession>>,
    pub demo: Option<crate::demo::Demo>,
    /// Shared so keyring calls can run on a blocking thread.
    pub store: Arc<dyn SecretStore>,
    /// Set when the OS keyring could not be used: the session still works, in memory only.
    pub keyring_problem: Option<mfa_core::ErrorCode>,
    pub session: tokio::sync::Mutex<Option<MfaSession>>,
    pub wizard: Mutex<Wizard>,
    /// Cancels the push wait in progress, if any.
    pub push_wait: Mutex<CancellationToken>,
    /// The browser sign-in in progress (its loopback listener), between start and callback.
    pub browser_sign_in: tokio::sync::Mutex<Option<crate::service::browser_sign_in::Pending>>,
    /// Cancels the browser sign-in in progress, if any.
    pub browser_wait: Mutex<CancellationToken>,
    /// Set once the keyring was read for a code left pending by an earlier run.
    pub pending_loaded: tokio::sync::OnceCell<()>,
}

impl AppState {
    pub fn tenant(&self) -> CommandResult<&Tenant> {
        self.tenant.as_ref().ok_or(AppError::NotConfigured.into())
    }

    /// A fresh cancellation for a new push wait; the previous one, if any, is cancelled.
    pub fn start_push_wait(&self) -> CancellationToken {
        let token = CancellationToken::new();
        let previous = std::mem::replace(
            &mut *self.push_wait.lock().unwrap_or_else(|p| p.into_inner()),
            token.clone(),
        );
        previous.cancel();
        token
    }

    /// A fresh cancellation for a new browser sign-in; the previous one, if any, is cancelled.
    pub fn start_browser_wait(&self) -> CancellationToken {
        let token = CancellationToken::new();
        let previous = std::mem::replace(
            &mut *self.browser_wait.lock().unwrap_or_else(|p| p.into_inner()),
            token.clone(),
        );
        previous.cancel();
        token
    }

    /// The cancellation of the browser sign-in in progress.
    pub fn browser_wait(&self) -> CancellationToken {
        self.browser_wait
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn cancel_push_wait(&self) {
        self.push_wait
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .cancel();
    }

    pub fn wizard(&self) -> std::sync::MutexGuard<'_, Wizard> {
        self.wizard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
