//! A browser sign-in: when the app stops waiting, and what the wait ended with.

use mfa_core::ErrorCode;
use serde::Serialize;

use super::SignInView;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrowserStartedView {
    /// When the app stops waiting (seconds since the epoch), for the countdown.
    pub expires_at: u64,
}

/// What a wait ended with: signed in, or a callback for another sign-in was refused and the
/// person should hear of it while the wait goes on, or the tenant has no My Account API for
/// this app (`code` says which answer) and the MFA-API sign-in opened in a new tab, with its
/// own deadline, while the wait goes on.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum BrowserWaitView {
    SignedIn(SignInView),
    Ignored {
        code: ErrorCode,
    },
    #[serde(rename_all = "camelCase")]
    Restarted {
        expires_at: u64,
        code: ErrorCode,
    },
}
