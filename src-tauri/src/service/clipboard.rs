//! Copying a secret the person asked to copy (a recovery code, an authenticator key), and
//! clearing it again. Text only: the clipboard crate is built without image support, which
//! the app never needs and which would ship a whole image-decoding stack.

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
    with_clipboard(|c| c.set_text(text).ok())
        .flatten()
        .ok_or_else(|| AppError::ClipboardUnavailable.into())
}

/// What the clipboard holds now: perhaps still the secret, so typed as one.
fn get() -> Option<SecretString> {
    with_clipboard(|c| c.get_text().ok().map(SecretString::from)).flatten()
}
