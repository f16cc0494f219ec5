//! Locking the screen ends helpdesk mode: an agent who locks their computer and walks away
//! leaves no session behind the lock screen for whoever unlocks it next.
//!
//! One contract, one small file per OS, each calling `on_lock` on every lock for the app's
//! whole run:
//! - Linux (`linux.rs`): the desktop's screen saver or logind's `Lock`, over D-Bus. Compiled
//!   and tested end to end here.
//! - Windows (`windows.rs`): `WTSRegisterSessionNotification` on a message-only window of
//!   its own, `WM_WTSSESSION_CHANGE` with `WTS_SESSION_LOCK`.
//! - macOS (`macos.rs`): the distributed notification `com.apple.screenIsLocked`.
//!
//! The Windows and macOS files are written against their crates' APIs but are not compiled
//! for their systems by the Linux machine that builds and tests this project (no cross
//! targets; they were only type-checked there against the crates' declarations): the release
//! workflow's Windows and macOS runners are the first to build them (README, "Security").
//! Where nothing can be heard, the idle limit and the maximum length still end the session.

use std::future::Future;
use std::sync::Arc;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

/// Calls `on_lock` each time the screen locks, for the app's whole run.
pub fn on_lock<F, Fut>(on_lock: F)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let on_lock = Arc::new(on_lock);
    #[cfg(target_os = "linux")]
    linux::watch(on_lock);
    #[cfg(windows)]
    windows::watch(on_lock);
    #[cfg(target_os = "macos")]
    macos::watch(on_lock);
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    drop(on_lock);
}
