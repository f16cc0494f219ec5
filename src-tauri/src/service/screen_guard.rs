//! Screen protection: the window is hidden from screen capture and sharing while a recovery
//! code is on it, and only then (Windows and macOS; elsewhere the call does nothing).

use tauri::{AppHandle, Manager, Runtime};

/// Call after anything that may show or hide a recovery code, saying whether one shows now
/// (the employee's own, `RecoveryCodes::is_showing`, or a caller's just issued).
pub fn guard_screen<R: Runtime>(app: &AppHandle<R>, code_showing: bool) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_content_protected(code_showing);
    }
}
