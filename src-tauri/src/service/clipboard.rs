//! Copying a secret the person asked to copy (a recovery code, an authenticator key), and
//! clearing it again. Text only: the clipboard crate is built without image support, which
//! the app never needs and which would ship a whole image-decoding stack.
//!
//! The copy is marked as a secret where the platform has a way to say so, so clipboard
//! histories and managers leave it out: Windows' clipboard history and cloud clipboard
//! (the `CanIncludeInClipboardHistory` and `CanUploadToCloudClipboard` formats set to 0), the
//! `x-kde-passwordManagerHint` type on Linux (KDE's Klipper, GNOME and other managers that
//! follow it), and `org.nspasteboard.ConcealedType` on macOS. A manager that ignores these
//! still loses the copy after `CLEAR_AFTER`.

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use mfa_core::secret::ExposeSecret;
use mfa_core::SecretString;

use crate::command_error::{AppError, CommandResult};
use crate::service::blocking;

/// The clipboard is cleared this long after a copy, if it still holds what we put there.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Puts `text` on the system clipboard, then clears it after [`CLEAR_AFTER`] unless the
/// person has copied something else since.
pub async fn copy_then_clear(text: SecretString) -> CommandResult<()> {
    copy_then_clear_after(text, CLEAR_AFTER).await
}

/// As [`copy_then_clear`], clearing after `delay` (tests use a short one).
pub async fn copy_then_clear_after(text: SecretString, delay: Duration) -> CommandResult<()> {
    let copied = text.clone();
    blocking(move || set(copied.expose_secret())).await?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        blocking(move || {
            if get().is_some_and(|now| now.expose_secret() == text.expose_secret()) {
                let _ = set("");
            }
        })
        .await;
    });
    Ok(())
}

/// Clears the clipboard now if it still holds `text` (a caller's code whose helpdesk session
/// just ended), off the async runtime.
pub fn clear_if_holding(text: SecretString) {
    tauri::async_runtime::spawn(blocking(move || {
        if get().is_some_and(|now| now.expose_secret() == text.expose_secret()) {
            let _ = set("");
        }
    }));
}

/// One clipboard handle for the app's life: on X11 and Wayland the copied text is served by
/// the process that copied it, so the handle must outlive the command that copied.
fn with_clipboard<T>(use_it: impl FnOnce(&mut arboard::Clipboard) -> T) -> Option<T> {
    static CLIPBOARD: OnceLock<Option<Mutex<arboard::Clipboard>>> = OnceLock::new();
    let clipboard = CLIPBOARD.get_or_init(|| arboard::Clipboard::new().ok().map(Mutex::new));
    let mut clipboard = clipboard
        .as_ref()?
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    Some(use_it(&mut clipboard))
}

fn set(text: &str) -> CommandResult<()> {
    with_clipboard(|c| secret_copy(c.set()).text(text).ok())
        .flatten()
        .ok_or_else(|| AppError::ClipboardUnavailable.into())
}

/// Marks what is set as a secret, to be kept out of histories, on each platform.
fn secret_copy(set: arboard::Set<'_>) -> arboard::Set<'_> {
    #[cfg(windows)]
    {
        use arboard::SetExtWindows;
        set.exclude_from_history().exclude_from_cloud()
    }
    #[cfg(target_os = "macos")]
    {
        use arboard::SetExtApple;
        set.exclude_from_history()
    }
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    }
    #[cfg(not(any(windows, unix)))]
    set
}

/// What the clipboard holds now: perhaps still the secret, so typed as one.
fn get() -> Option<SecretString> {
    with_clipboard(|c| c.get_text().ok().map(SecretString::from)).flatten()
}
