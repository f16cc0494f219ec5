//! The app's own rules, the ones that span several commands: how a signed-in session is used
//! and dropped, how a rotated recovery code is kept before anyone sees it, when the screen is
//! protected, when "resend" is offered, and helpdesk mode's session and actions. Commands
//! call these; they never call each other.
//!
//! Auth0's rules live in `mfa-core`; this module holds only what the desktop app adds.

pub mod browser_sign_in;
pub mod clipboard;
pub mod enrollment;
pub mod helpdesk;
pub mod recovery_code;
pub mod save_file;
pub mod screen_guard;
pub mod screen_lock;
pub mod security_key;
pub mod session;

use std::time::Duration;

use mfa_core::model::FactorKind;

use crate::views::now_secs;

/// A resend is offered after this long; Auth0's own limits (and their 429 reset time) come on
/// top of it, through the error the next attempt gets.
pub const RESEND_COOLDOWN: Duration = Duration::from_secs(30);

/// When "send again" becomes available for a code just sent, if the kind sends one.
pub fn resend_available_at(kind: FactorKind) -> Option<u64> {
    kind.sends_code()
        .then(|| now_secs() + RESEND_COOLDOWN.as_secs())
}

/// Runs keyring (D-Bus) and other blocking work on a blocking thread, never on the async
/// runtime's workers.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}
