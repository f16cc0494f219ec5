//! MFA Desk, the desktop app: start-up, and the Tauri command layer over `mfa-core`.

pub mod app_state;
pub mod command_error;
pub mod commands;
mod demo;
pub mod launch;
mod recovery_export;
pub mod service;
mod start_clock;
mod startup;
pub mod state;
pub mod test_hooks;
mod views;

use tauri::{Manager, Runtime};

use crate::app_state::AppState;
use crate::launch::Launch;
pub use crate::startup::{prepare_state, prepare_state_with};

/// Starts the app as the command line asks (`--demo` runs against the embedded emulator).
///
/// Nothing slow stands before the window: the state (keyring probe, IT's configuration, the
/// demo tenant) is prepared on its own thread while GTK and the webview start, and joins in
/// `setup`, before the event loop can deliver the webview's first command.
pub fn run() {
    start_clock::mark();
    without_dmabuf_renderer();
    without_javascript_jit();
    without_admin_secret();
    init_logging();
    let launch = Launch::from_args(std::env::args());
    let demo = matches!(launch, Launch::Demo { .. });
    let preparing = std::thread::spawn(|| tauri::async_runtime::block_on(prepare_state(launch)));
    let builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the running window forward instead of opening another.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    with_plugins_and_commands(builder.plugin(page_facts(demo)))
        .setup(move |app| {
            let state = preparing.join().expect("preparing the app state panicked");
            tracing::debug!(
                since_start_ms = start_clock::since_start_ms(),
                "window created, state ready"
            );
            grant_demo_inbox(app, &state)?;
            app.manage(state);
            // A recovery code left unconfirmed is read from the keyring (D-Bus) while the page
            // loads, so that `app_state`, the first screen's one round trip, finds it read.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                handle.state::<AppState>().codes.load_pending().await;
            });
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("MFA Desk could not start its window");
}

/// What the page needs to know before its first layout, told by an init script (Tauri runs
/// it once the document element exists, before the page's own scripts), not by a command
/// round trip (issue 24):
/// - the platform, whose font stack `styles.css` picks: on Linux `system-ui` costs WebKitGTK
///   a fontconfig search of its own at the first layout;
/// - demo mode, so that the demo inbox's code is fetched beside the first screen's and both
///   show in one frame (what the inbox shows comes from its commands).
///
/// Hints only: a page that set them itself would change a font or load a module.
fn page_facts<R: Runtime>(demo: bool) -> tauri::plugin::TauriPlugin<R> {
    let platform = if cfg!(target_os = "windows") {
        "windows"
    } else if cfg!(target_os = "macos") {
        "macos"
    } else {
        "linux"
    };
    let mut script = format!("document.documentElement.dataset.platform = '{platform}';");
    if demo {
        script.push_str("window.__MFA_DESK_DEMO__ = true;");
    }
    tauri::plugin::Builder::new("page-facts")
        .js_init_script(script)
        .build()
}

/// The app with `state` ready at build time: the command-layer tests, on Tauri's mock
/// runtime, which has no event loop to run `setup`.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    with_plugins_and_commands(builder)
        .manage(state)
        .setup(|app| {
            grant_demo_inbox(app, &app.state::<AppState>())?;
            Ok(())
        })
}

/// Plugins and commands, shared by `run` and `with_commands`.
fn with_plugins_and_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::{
        browser, demo as demo_inbox, enroll, helpdesk, helpdesk_actions, manage, recovery,
        security_key, session, verify,
    };
    builder
        .plugin(tauri_plugin_dialog::init())
        // Rust opens the browser sign-in and the helpdesk link; no JS permission is granted,
        // and links in the webview are not turned into browser launches.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .invoke_handler(tauri::generate_handler![
            session::app_state,
            session::first_screen_shown,
            session::sign_in,
            session::sign_out,
            browser::browser_sign_in_start,
            browser::browser_sign_in_wait,
            browser::browser_sign_in_cancel,
            browser::open_helpdesk,
            enroll::prepare_phone_check,
            enroll::normalize_phone,
            enroll::enroll_start,
            enroll::enroll_resend,
            enroll::enroll_confirm,
            enroll::copy_totp_secret,
            enroll::push_wait,
            enroll::push_cancel,
            verify::verify_start,
            verify::verify_resend,
            verify::verify_confirm,
            recovery::recover,
            manage::list_authenticators,
            manage::remove_authenticator,
            manage::rename_method,
            manage::set_phone_channel,
            recovery::recovery_code_new,
            recovery::recovery_code_copy,
            recovery::recovery_code_save,
            recovery::recovery_code_confirm,
            security_key::security_key_offered,
            security_key::security_key_start,
            security_key::security_key_next,
            security_key::security_key_pin,
            security_key::security_key_set_pin,
            security_key::security_key_cancel,
            helpdesk::helpdesk_status,
            helpdesk::helpdesk_agent_sign_in_start,
            helpdesk::helpdesk_agent_sign_in_wait,
            helpdesk::helpdesk_end,
            helpdesk::helpdesk_wait_end,
            helpdesk::helpdesk_find,
            helpdesk::helpdesk_open_caller,
            helpdesk::helpdesk_caller_events,
            helpdesk::helpdesk_verify_caller,
            helpdesk::helpdesk_verify_push,
            helpdesk::helpdesk_push_wait,
            helpdesk_actions::helpdesk_remove_method,
            helpdesk_actions::helpdesk_reset,
            helpdesk_actions::helpdesk_issue_recovery_code,
            helpdesk_actions::helpdesk_send_enrollment,
            helpdesk_actions::helpdesk_forget_browsers,
            helpdesk_actions::helpdesk_end_sessions,
            helpdesk_actions::helpdesk_unblock,
            helpdesk_actions::helpdesk_approvals,
            helpdesk_actions::helpdesk_approval_wait,
            helpdesk_actions::helpdesk_approve,
            helpdesk_actions::helpdesk_refuse,
            helpdesk_actions::helpdesk_playbook_plan,
            helpdesk_actions::helpdesk_playbook_step,
            helpdesk_actions::helpdesk_playbook_cancel,
            helpdesk_actions::helpdesk_history,
            helpdesk_actions::helpdesk_history_export,
            demo_inbox::demo_outbox,
            demo_inbox::demo_push,
            demo_inbox::demo_pending_push,
            demo_inbox::demo_totp,
        ])
}

/// The demo inbox's commands are granted only when the app runs in demo mode, at run time:
/// an installed app against a real tenant never exposes them to its webview.
fn grant_demo_inbox<R: Runtime>(app: &tauri::App<R>, state: &AppState) -> tauri::Result<()> {
    if state.demo.is_some() {
        app.add_capability(demo_inbox_capability())?;
    }
    Ok(())
}

fn demo_inbox_capability() -> tauri::ipc::CapabilityBuilder {
    tauri::ipc::CapabilityBuilder::new("demo-inbox")
        .window("main")
        .permission("allow-demo-outbox")
        .permission("allow-demo-push")
        .permission("allow-demo-pending-push")
        .permission("allow-demo-totp")
}

/// WebKitGTK hands each rendered frame from its web process to the window as a DMA-BUF,
/// which keeps an OpenGL compositor and its buffers in the web process (Mesa's software
/// rasteriser on machines without a GPU driver: virtual desktops, Xvfb). Without it the web
/// process holds far less memory and the window shows no later (measured both ways by
/// `scripts/bench-startup`; figures in the README, "Performance"). So the app uses WebKit's
/// shared-memory path unless whoever starts it chose otherwise
/// (`WEBKIT_DISABLE_DMABUF_RENDERER=0`). Called first, before any thread exists, because it
/// changes the environment that WebKit's processes inherit.
fn without_dmabuf_renderer() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// The webview's JavaScript runs in JavaScriptCore's interpreter: the UI's scripts are small
/// and wait on people, and the JIT's compilers and code cost the web process about 5 MiB
/// (measured by `scripts/bench-startup`; README, "Performance"), with no screen shown later.
/// No memory is then both writable and executable there either. `JSC_useJIT=1` brings the JIT
/// back. Called before any thread exists, as above.
fn without_javascript_jit() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("JSC_useJIT").is_none() {
        std::env::set_var("JSC_useJIT", "0");
    }
}

/// `MFA_DESK_ADMIN_SECRET` is for `mfa-desk-admin` (scripts of IT's): the app never reads
/// it, and takes it out of its environment before any thread exists, so neither WebKit's
/// processes nor the browser opened for a sign-in inherit it.
fn without_admin_secret() {
    std::env::remove_var(mfa_core::management::credentials::SECRET_ENV);
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
