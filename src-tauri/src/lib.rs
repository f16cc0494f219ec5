//! MFA Desk, the desktop app: start-up, and the Tauri command layer over `mfa-core`.

pub mod command_error;
pub mod commands;
mod demo;
pub mod launch;
mod recovery_export;
pub mod service;
mod startup;
pub mod state;
mod views;

use tauri::{Manager, Runtime};

use crate::launch::Launch;
pub use crate::startup::{prepare_state, prepare_state_with};
use crate::state::AppState;

/// When the process started, as near as the app can tell.
fn started() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Starts the app as the command line asks (`--demo` runs against the embedded emulator).
pub fn run() {
    started();
    init_logging();
    // The phone-number metadata takes ~0.1 s to load: do it while the window starts, so the
    // first "is this number right?" answers at once.
    std::thread::spawn(mfa_core::input::PhoneNumber::preload);
    let launch = Launch::from_args(std::env::args());
    let state = tauri::async_runtime::block_on(prepare_state(launch));
    let builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the running window forward instead of opening another.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    with_commands(builder, state)
        .run(tauri::generate_context!())
        .expect("MFA Desk could not start its window");
}

/// Plugins, state and commands: shared by `run` and by the command-layer tests, which use
/// Tauri's mock runtime.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    use commands::{
        browser, demo as demo_inbox, enroll, helpdesk, manage, recovery, session, verify,
    };
    let demo = state.demo.is_some();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        // Rust opens the browser sign-in and the helpdesk link; no JS permission is granted,
        // and links in the webview are not turned into browser launches.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .setup(move |app| {
            if demo {
                app.add_capability(demo_inbox_capability())?;
            }
            Ok(())
        })
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            session::app_state,
            session::first_screen_shown,
            session::sign_in,
            session::sign_out,
            browser::browser_sign_in_start,
            browser::browser_sign_in_wait,
            browser::browser_sign_in_cancel,
            browser::open_helpdesk,
            enroll::normalize_phone,
            enroll::enroll_start,
            enroll::enroll_resend,
            enroll::enroll_confirm,
            enroll::push_wait,
            enroll::push_cancel,
            verify::verify_start,
            verify::verify_resend,
            verify::verify_confirm,
            recovery::recover,
            manage::list_authenticators,
            manage::remove_authenticator,
            recovery::recovery_code_copy,
            recovery::recovery_code_save,
            recovery::recovery_code_confirm,
            recovery::copy_text_secret,
            helpdesk::helpdesk_status,
            helpdesk::helpdesk_store_secret,
            helpdesk::helpdesk_begin,
            helpdesk::helpdesk_end,
            helpdesk::helpdesk_find,
            helpdesk::helpdesk_open_caller,
            helpdesk::helpdesk_verify_caller,
            helpdesk::helpdesk_remove_method,
            helpdesk::helpdesk_reset,
            helpdesk::helpdesk_issue_recovery_code,
            helpdesk::helpdesk_send_enrollment,
            helpdesk::helpdesk_forget_browsers,
            helpdesk::helpdesk_history,
            helpdesk::helpdesk_history_export,
            demo_inbox::demo_outbox,
            demo_inbox::demo_push,
            demo_inbox::demo_totp,
        ])
}

/// The demo inbox's commands are granted only when the app runs in demo mode, at run time:
/// an installed app against a real tenant never exposes them to its webview.
fn demo_inbox_capability() -> tauri::ipc::CapabilityBuilder {
    tauri::ipc::CapabilityBuilder::new("demo-inbox")
        .window("main")
        .permission("allow-demo-outbox")
        .permission("allow-demo-push")
        .permission("allow-demo-totp")
}

/// Logs go to stderr, at the level `MFA_DESK_LOG` names (default `info`). Secrets are typed
/// and redact themselves, so even `trace` shows none.
fn init_logging() {
    let level = std::env::var("MFA_DESK_LOG")
        .ok()
        .and_then(|level| {
            level
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .ok()
        })
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}
