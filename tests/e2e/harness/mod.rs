//! The end-to-end harness: one Auth0 emulator, one `tauri-driver` and one WebDriver session
//! on the real built app per test, plus the helpers that keep each test readable.
//!
//! Each test runs through [`run`], which starts everything, runs the scenario, and on failure
//! keeps a screenshot (`zz-failure.png`), the page source and the driver log before cleaning up.
//! Screenshots go to `target/e2e-screenshots/<test-name>/<nn>-<screen>.png`.
//!
//! Split by job: `process` (driver, app, D-Bus and keyring processes), `page` (WebDriver
//! helpers by `data-testid`), `emulator` (the local Auth0 through its typed control client)
//! and `steps` (what a person does in the app: sign in, submit a code, save a code).

use std::fs;
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use auth0_emulator::{RunningEmulator, Tenant};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Map, Value};

/// The demo tenant's password, also used for every user a test creates.
pub const PASSWORD: &str = "correct horse battery staple";
/// The demo user with a TOTP authenticator, a phone and a recovery code.
pub const ENROLLED: &str = "enrolled@example.com";
pub const DEMO_RECOVERY_CODE: &str = "7KQ9XW2MFDEMQ4RECV8YCDEZ";

/// How long an element or an emulator state is waited for.
pub const WAIT: Duration = Duration::from_secs(10);
/// Push answers: the app polls every 5 s (Rust side).
pub const PUSH_WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(100);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Fr => "fr",
        }
    }

    fn posix_locale(self) -> &'static str {
        match self {
            Lang::En => "en_US.UTF-8",
            Lang::Ja => "ja_JP.UTF-8",
            Lang::Fr => "fr_FR.UTF-8",
        }
    }
}

/// How the recovery code dialog is satisfied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Save,
    Copy,
}

/// The CSS selector of a `data-testid`.
pub fn tid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// `ABCD EFGH …`: how the app writes a recovery code for people.
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whitespace collapsed (and no-break spaces made plain), to compare texts.
pub fn squash(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/`, wherever cargo put it.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir().join("target"))
}

pub fn screenshots_root() -> PathBuf {
    target_dir().join("e2e-screenshots")
}

/// A UI message catalogue (`ui/i18n/<lang>.json`), read at test time.
pub fn catalogue(lang: Lang) -> Result<Map<String, Value>> {
    let path = manifest_dir()
        .join("ui/i18n")
        .join(format!("{}.json", lang.code()));
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

mod browser;
mod emulator;
mod keyring;
mod other_app;
mod page;
mod ports;
mod process;
mod steps;

/// Runs one end-to-end scenario against a fresh emulator (serving `tenant`) and a fresh app
/// in `lang`, then cleans up whatever happened. A failed scenario panics with its error,
/// after saving `zz-failure.png`, the page source and the driver log.
pub async fn run(
    name: &str,
    lang: Lang,
    tenant: Tenant,
    scenario: impl AsyncFnOnce(&mut E2e) -> Result<()>,
) {
    run_with_args(name, lang, tenant, None, scenario).await
}

/// [`run`], with the app's command line replaced (`None`: `--demo --tenant <emulator>`).
pub async fn run_with_args(
    name: &str,
    lang: Lang,
    tenant: Tenant,
    args: Option<&[&str]>,
    scenario: impl AsyncFnOnce(&mut E2e) -> Result<()>,
) {
    let options = Options {
        args: args.map(|args| args.iter().map(|a| a.to_string()).collect()),
        ..Options::default()
    };
    run_with(name, lang, tenant, options, scenario).await
}

/// How a test wants the app started, beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The app's command line (`None`: `--demo --tenant <emulator>`).
    pub args: Option<Vec<String>>,
    /// Extra environment for tauri-driver, hence WebKitWebDriver and the app.
    pub env: Vec<(String, String)>,
    /// No Secret Service at all: the app gets a D-Bus session address nothing listens on.
    pub no_secret_service: bool,
    /// The app binary (`None`: the one cargo built; the packaging check passes the installed one).
    pub app: Option<PathBuf>,
    /// Read the managed configuration from its real system-wide path, as an installed app
    /// does. Otherwise each test gets its own (absent) file, whatever this machine has in
    /// /etc/mfa-desk.
    pub real_system_config: bool,
    /// A managed configuration to deploy before the app starts; the text `$EMULATOR` in it
    /// becomes the emulator's URL, and `$HELPDESK_SERVICE` the helpdesk service's.
    pub managed_config: Option<Value>,
}

/// A D-Bus address with nobody behind it (for [`Options::no_secret_service`]).
pub const NO_BUS: &str = "unix:path=/nonexistent/mfa-desk-e2e-no-bus";

/// [`run`], with [`Options`].
pub async fn run_with(
    name: &str,
    lang: Lang,
    tenant: Tenant,
    options: Options,
    scenario: impl AsyncFnOnce(&mut E2e) -> Result<()>,
) {
    // One app at a time, whatever --test-threads says: a WebKit app per core is already a
    // lot on a small machine, and the waits below are sized for an unloaded one.
    // (nextest runs each test in its own process; `.config/nextest.toml` serialises those.)
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let mut e2e = match E2e::start(name, lang, tenant, options).await {
        Ok(e2e) => e2e,
        Err(error) => panic!("[{name}] could not start the app: {error:#}"),
    };
    let result = scenario(&mut e2e).await;
    e2e.finish(result).await;
    eprintln!(
        "[{name}] passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// One app under test, with its emulator, driver, session and folders.
pub struct E2e {
    pub name: String,
    pub lang: Lang,
    emulator: RunningEmulator,
    /// The helpdesk service beside the local Auth0 (its address: `service.base_url()`).
    pub service: helpdesk_service::demo::DemoService,
    driver: Option<Child>,
    client: Option<Client>,
    /// Per-test temporary folder (XDG dirs, driver log, saved files).
    pub dir: PathBuf,
    /// `MFA_DESK_E2E_SAVE_DIR`: where "Save as text file" writes.
    pub save_dir: PathBuf,
    shots: PathBuf,
    shot_n: u32,
    http: reqwest::Client,
    catalogue: Map<String, Value>,
    app_binary: PathBuf,
    driver_binary: PathBuf,
    /// tauri-driver's WebDriver port and the session's capabilities, for a new session.
    port: u16,
    /// tauri-driver's and WebKitWebDriver's ports, kept from other tests while this one runs.
    _ports: [ports::ReservedPort; 2],
    capabilities: Map<String, Value>,
}
