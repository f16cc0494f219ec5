//! MFA Desk, the desktop app: start-up, and the Tauri command layer over `mfa-core`.

mod command_error;
pub mod commands;
mod demo;
pub mod launch;
mod recovery_export;
pub mod state;
mod views;

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use mfa_core::secret_store::{KeyringStore, MemoryStore, SecretStore};
use mfa_core::{Auth0Client, TenantConfig};
use tauri::{Manager, Runtime};

use crate::launch::{Launch, ALL_FACTORS, DEMO_CLIENT_ID};
use crate::state::{AppState, ConfigProblem, Tenant, Wizard};

/// Starts the app as the command line asks (`--demo` runs against the embedded emulator).
pub fn run() {
    init_logging();
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
    use commands::{demo as demo_inbox, enroll, manage, recovery, session, verify};
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            session::app_state,
            session::sign_in,
            session::sign_out,
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
            demo_inbox::demo_outbox,
            demo_inbox::demo_push,
            demo_inbox::demo_totp,
        ])
}

/// Logs go to stderr, at the level `MFA_DESK_LOG` names (default `info`). Secrets are typed
/// and redact themselves, so even `trace` shows none.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MFA_DESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Builds the shared state: the tenant, the keyring (or memory when none is available) and
/// the language.
pub async fn prepare_state(launch: Launch) -> AppState {
    let (store, keyring_problem) = open_keyring();
    let mut demo = None;
    let tenant = match launch {
        Launch::Demo { emulator } => match demo::Demo::start(emulator).await {
            Ok(running) => {
                let tenant = tenant_for(
                    &running.base_url(),
                    DEMO_CLIENT_ID,
                    None,
                    "MFA Desk Demo",
                    Some("demo"),
                );
                demo = Some(running);
                tenant
            }
            Err(error) => Err(ConfigProblem {
                file: "--demo".into(),
                key: "emulator".into(),
                problem: error.to_string(),
            }),
        },
        Launch::Tenant {
            url,
            client_id,
            realm,
        } => tenant_for(&url, &client_id, realm, "", None),
        Launch::Configured => Err(ConfigProblem {
            file: String::new(),
            key: String::new(),
            problem: "no tenant is configured; start with --demo to try the app".into(),
        }),
    };
    let (tenant, config_problem) = match tenant {
        Ok(tenant) => (Some(tenant), None),
        Err(problem) => (None, Some(problem)),
    };
    AppState {
        tenant,
        config_problem,
        locale: system_locale(),
        locale_managed: false,
        helpdesk: None,
        demo,
        store,
        keyring_problem,
        session: tokio::sync::Mutex::new(None),
        wizard: Mutex::new(Wizard::default()),
        push_cancelled: AtomicBool::new(false),
    }
}

fn tenant_for(
    url: &str,
    client_id: &str,
    realm: Option<String>,
    name: &str,
    namespace: Option<&str>,
) -> Result<Tenant, ConfigProblem> {
    let problem = |key: &str, problem: String| ConfigProblem {
        file: "--tenant".into(),
        key: key.into(),
        problem,
    };
    let mut config =
        TenantConfig::new(url, client_id).map_err(|e| problem("domain", e.to_string()))?;
    config.realm = realm;
    let domain = config.domain();
    let client = Auth0Client::new(config).map_err(|e| problem("domain", e.to_string()))?;
    Ok(Tenant {
        client,
        name: if name.is_empty() {
            domain.clone()
        } else {
            name.to_owned()
        },
        keyring_namespace: namespace.map_or_else(|| domain.clone(), str::to_owned),
        domain,
        factors: ALL_FACTORS.to_vec(),
    })
}

/// The OS keyring if it answers; otherwise memory, and a problem code the UI explains.
/// A locked keyring may sit behind an unlock prompt nobody answers: the window must not wait
/// for it, so the probe gets a few seconds.
fn open_keyring() -> (Box<dyn SecretStore>, Option<&'static str>) {
    let (answer, probe) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = answer.send(KeyringStore::default().get("probe").map(drop));
    });
    let problem = match probe.recv_timeout(std::time::Duration::from_secs(3)) {
        Ok(Ok(())) => return (Box::new(KeyringStore::default()), None),
        Ok(Err(error)) => error.code(),
        Err(_) => "keyring_unavailable",
    };
    tracing::warn!(
        code = problem,
        "system keyring unavailable; secrets stay in memory"
    );
    (Box::new(MemoryStore::default()), Some(problem))
}

/// English, Japanese or French, following the system; English otherwise.
fn system_locale() -> String {
    let locale = sys_locale::get_locale()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["ja", "fr"]
        .into_iter()
        .find(|l| locale.starts_with(l))
        .unwrap_or("en")
        .to_owned()
}
