//! The wire contract: everything the webview is given, and nothing else. Each command answers
//! with one of these types or a [`CommandError`](crate::command_error::CommandError); fields
//! with a closed set of values are enums, and every rule a screen would otherwise decide for
//! itself (whether a method can be removed or used, whether SMS and voice can be switched,
//! whether an outcome is unknown) arrives already decided. Secrets appear only where the
//! person must see them: a recovery code, a TOTP key during enrollment.

pub mod browser;
pub mod demo;
pub mod enroll;
pub mod helpdesk;
pub mod helpdesk_agent;
mod helpdesk_flow;
pub mod methods;
pub mod recovery;
pub mod security_key;
pub mod session;

pub use browser::{BrowserStartedView, BrowserWaitView};
pub use enroll::{
    ChallengeView, ConfirmedView, EnrollmentView, OtpSetupView, PhoneView, PushSetupView,
};
pub use methods::MethodsView;
pub use recovery::RecoveryCodeView;
pub use security_key::SecurityKeyStepView;
pub use session::{AppStateView, SignInView};

use serde::Serialize;

/// Whether a file was saved (`false`: the person cancelled the dialog).
#[derive(Debug, Serialize)]
pub struct SavedView {
    pub saved: bool,
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
