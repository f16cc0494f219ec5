//! Screen protection: the window is hidden from screen capture and sharing while a recovery
//! code is on it, and only then (Windows and macOS; elsewhere the call does nothing).

use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// Call after anything that may show or hide a recovery code.
pub fn guard_screen<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let showing_code = state.wizard().recovery_code.is_some();
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_content_protected(showing_code);
    }
}
