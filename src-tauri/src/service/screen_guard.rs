//! Screen protection: the window is hidden from screen capture and sharing while a recovery
//! code is on it, and only then (Windows and macOS; elsewhere the call does nothing).

use tauri::{AppHandle, Manager, Runtime};

use super::recovery_code::RecoveryCodes;

/// Call after anything that may show or hide a recovery code.
pub fn guard_screen<R: Runtime>(app: &AppHandle<R>, codes: &RecoveryCodes) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_content_protected(codes.is_showing());
    }
}
