//! The end-to-end harness: one Auth0 emulator, one `tauri-driver` and one WebDriver session
//! on the real built app per test, plus the helpers that keep each test readable.
//!
//! Each test runs through [`run`], which starts everything, runs the scenario, and on failure
//! keeps a screenshot (`zz-failure.png`), the page source and the driver log before cleaning up.
//! Screenshots go to `target/e2e-screenshots/<test-name>/<nn>-<screen>.png`.

use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
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

/// A UI message catalogue (`ui/i18n/<lang>.js`), read at test time.
pub fn catalogue(lang: Lang) -> Result<Map<String, Value>> {
    let path = manifest_dir()
        .join("ui/i18n")
        .join(format!("{}.js", lang.code()));
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let body = text
        .trim()
        .strip_prefix("export default")
        .context("catalogue does not start with `export default`")?;
    let body = body.trim().trim_end_matches(';');
    serde_json::from_str(body)
        .with_context(|| format!("{} is not JSON after `export default`", path.display()))
}

fn tauri_driver_path() -> Result<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        candidates.push(PathBuf::from(path));
    }
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        candidates.push(Path::new(&home).join("bin/tauri-driver"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".cargo/bin/tauri-driver"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|dir| dir.join("tauri-driver")));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .context("tauri-driver not found (set TAURI_DRIVER, or `cargo install tauri-driver --version ^2 --locked`)")
}

/// Run by `sh -c` inside the test's own D-Bus session: a fresh keyring, then tauri-driver.
/// The daemon claims `org.freedesktop.secrets` a little after `--unlock` returns; an app
/// asking before that activates a second daemon, which cannot start next to the first, and
/// the app falls back to memory. So wait (up to 10 s) until the name has its owner. The
/// daemon's complaints go to the driver log.
const UNLOCK_KEYRING_THEN_EXEC: &str = r#"echo -n e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null
if command -v dbus-send >/dev/null; then
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    i=$((i + 1))
    if [ "$i" -ge 100 ]; then echo "e2e: no Secret Service on the test's bus after 10 s" >&2; break; fi
    sleep 0.1
  done
fi
exec "$0" "$@""#;

/// How long tauri-driver may take to listen: its own start, plus up to ten seconds of
/// keyring start-up above when the test has its own D-Bus session.
const DRIVER_START: Duration = Duration::from_secs(20);

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, driver: &mut Child, log: &Path) -> Result<()> {
    let deadline = Instant::now() + DRIVER_START;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = driver.try_wait()? {
            bail!(
                "tauri-driver exited ({status}) before listening:\n{}",
                tail(log, 40)
            );
        }
        ensure!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}:\n{}",
            tail(log, 40)
        );
        std::thread::sleep(POLL);
    }
    Ok(())
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

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
    /// becomes the emulator's URL.
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
    capabilities: Map<String, Value>,
}

impl E2e {
    pub async fn start(name: &str, lang: Lang, tenant: Tenant, options: Options) -> Result<E2e> {
        let app_binary = options
            .app
            .clone()
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_mfa-desk")));
        ensure!(
            app_binary.is_file(),
            "{} is missing: build it with `cargo build --bin mfa-desk`",
            app_binary.display()
        );
        let app_binary = app_binary.canonicalize()?;
        let driver_binary = tauri_driver_path()?;
        let catalogue = catalogue(lang)?;

        // Short: gnome-keyring puts its control socket under XDG_CACHE_HOME, and a Unix
        // socket path longer than 108 bytes cannot be bound (it then fails with "Address
        // already in use" and the test runs without a keyring).
        let short_name: String = name.chars().take(20).collect();
        let dir = std::env::temp_dir()
            .join("mfa-e2e")
            .join(format!("{short_name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let save_dir = dir.join("saved");
        for sub in ["config", "data", "cache", "saved"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        let shots = screenshots_root().join(name);
        let _ = fs::remove_dir_all(&shots);
        fs::create_dir_all(&shots)?;

        let emulator = auth0_emulator::start("127.0.0.1:0".parse()?, tenant)
            .await
            .context("starting the emulator")?;
        let system_config = match options.real_system_config {
            true => PathBuf::from("/etc/mfa-desk/config.json"),
            false => dir.join("managed/config.json"),
        };
        if let Some(config) = &options.managed_config {
            let text =
                serde_json::to_string_pretty(config)?.replace("$EMULATOR", &emulator.base_url());
            fs::create_dir_all(system_config.parent().expect("a folder"))?;
            fs::write(&system_config, text)
                .with_context(|| format!("writing {}", system_config.display()))?;
        }

        let (port, native_port) = (free_port()?, free_port()?);
        let log_path = dir.join("tauri-driver.log");
        let log = fs::File::create(&log_path)?;
        // Each app gets its own D-Bus session with its own keyring (stored in this test's
        // folder): nothing is shared with other tests or the developer's keyring, and the
        // single-instance plugin (D-Bus on Linux) cannot see another test's app.
        let own_bus = !options.no_secret_service
            && std::env::var_os("MFA_DESK_E2E_SHARED_DBUS").is_none()
            && on_path("dbus-run-session")
            && on_path("gnome-keyring-daemon");
        let driver_args = [
            "--port".to_owned(),
            port.to_string(),
            "--native-port".to_owned(),
            native_port.to_string(),
        ];
        let mut command = if own_bus {
            let mut command = Command::new("dbus-run-session");
            command
                .args(["--", "sh", "-c", UNLOCK_KEYRING_THEN_EXEC])
                .arg(&driver_binary)
                .args(&driver_args);
            command
        } else {
            let mut command = Command::new(&driver_binary);
            command.args(&driver_args);
            command
        };
        command
            .env("LANG", lang.posix_locale())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env("NO_AT_BRIDGE", "1")
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .env("MFA_DESK_E2E_SAVE_DIR", &save_dir)
            .envs(options.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        if options.no_secret_service {
            command.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
        }
        if !options.real_system_config {
            command.env("MFA_DESK_SYSTEM_CONFIG", &system_config);
        }
        let driver = command
            .spawn()
            .with_context(|| format!("starting {}", driver_binary.display()))?;

        let mut e2e = E2e {
            name: name.to_owned(),
            lang,
            emulator,
            driver: Some(driver),
            client: None,
            dir,
            save_dir,
            shots,
            shot_n: 0,
            http: reqwest::Client::new(),
            catalogue,
            app_binary,
            driver_binary: driver_binary.canonicalize()?,
            port,
            capabilities: Map::new(),
        };
        // tauri-driver forwards to WebKitWebDriver, which starts listening a little later.
        wait_for_port(port, e2e.driver.as_mut().expect("just set"), &log_path)?;
        wait_for_port(
            native_port,
            e2e.driver.as_mut().expect("just set"),
            &log_path,
        )?;

        let app_args: Vec<String> = match options.args {
            Some(args) => args,
            None => vec!["--demo".into(), "--tenant".into(), e2e.base_url()],
        };
        e2e.capabilities.insert("browserName".into(), json!("wry"));
        e2e.capabilities.insert(
            "tauri:options".into(),
            json!({
                "application": e2e.app_binary,
                "args": app_args,
            }),
        );
        e2e.new_session().await?;
        Ok(e2e)
    }

    /// Opens a WebDriver session (WebKitWebDriver starts the app) and waits for a screen.
    pub async fn new_session(&mut self) -> Result<()> {
        let log_path = self.dir.join("tauri-driver.log");
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(self.capabilities.clone());
        let mut attempt = 1;
        let client = loop {
            match builder
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => break client,
                // Nothing was launched when the driver could not even be reached.
                Err(
                    fantoccini::error::NewSessionError::Failed(_)
                    | fantoccini::error::NewSessionError::FailedC(_),
                ) if attempt < 3 => attempt += 1,
                Err(error) => bail!("no WebDriver session: {error}\n{}", tail(&log_path, 40)),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        self.client = Some(client);
        self.wait_css("main [data-screen]")
            .await
            .context("the app showed no screen")?;
        Ok(())
    }

    /// The environment entry every process of this test carries (see [`our_processes`]).
    fn marker(&self) -> String {
        format!("MFA_DESK_E2E_SAVE_DIR={}", self.save_dir.display())
    }

    /// Starts the app a second time, exactly as the running one was started (same command
    /// line and environment, so the same display and D-Bus session), and waits for it to end.
    pub fn launch_again(&self) -> Result<std::process::ExitStatus> {
        let pid = *self.app_pids().first().context("the app is not running")?;
        let read = |what: &str| fs::read(format!("/proc/{pid}/{what}"));
        let split = |bytes: Vec<u8>| -> Vec<String> {
            bytes
                .split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect()
        };
        let args = split(read("cmdline")?);
        let env = split(read("environ")?);
        let mut second = Command::new(&self.app_binary)
            .args(&args[1..])
            .env_clear()
            .envs(env.iter().filter_map(|var| var.split_once('=')))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = second.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                let _ = second.kill();
                bail!("the second instance did not exit: the app is not single-instance");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// This test's running app processes.
    pub fn app_pids(&self) -> Vec<i32> {
        our_processes(&self.marker())
            .into_iter()
            .filter(|(_, exe)| *exe == self.app_binary)
            .map(|(pid, _)| pid)
            .collect()
    }

    /// Kills the app with SIGKILL, as a crash would (no destructor, no exit handler runs),
    /// waits until it is gone, and drops the WebDriver session that drove it.
    /// WebKitWebDriver and tauri-driver stay up for [`E2e::new_session`].
    pub async fn kill_app(&mut self) -> Result<()> {
        let pids = self.app_pids();
        ensure!(
            !pids.is_empty(),
            "no running app process of this test to kill"
        );
        for pid in &pids {
            // SAFETY: kill(2) with a pid we found; no memory is involved.
            unsafe {
                libc::kill(*pid, libc::SIGKILL);
            }
        }
        let deadline = Instant::now() + WAIT;
        while !self.app_pids().is_empty() {
            ensure!(
                Instant::now() < deadline,
                "the app ({pids:?}) still runs after SIGKILL"
            );
            tokio::time::sleep(POLL).await;
        }
        if let Some(client) = self.client.take() {
            // The browser is gone: ending the session only tidies WebKitWebDriver up.
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        Ok(())
    }

    /// Ends the WebDriver session the normal way (the app closes its window and exits) and
    /// waits for the app process to be gone, so that everything it writes is on disk.
    pub async fn close_app(&mut self) -> Result<()> {
        if let Some(client) = self.client.take() {
            tokio::time::timeout(Duration::from_secs(10), client.close())
                .await
                .context("closing the WebDriver session timed out")?
                .context("closing the WebDriver session")?;
        }
        let deadline = Instant::now() + WAIT;
        while !self.app_pids().is_empty() {
            ensure!(
                Instant::now() < deadline,
                "the app still runs after its session was closed"
            );
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    /// `DBUS_SESSION_BUS_ADDRESS` of the session tauri-driver (hence the app) runs in.
    pub fn bus_address(&self) -> Result<String> {
        let marker = self.marker();
        let driver = our_processes(&marker)
            .into_iter()
            .find(|(_, exe)| *exe == self.driver_binary)
            .context("tauri-driver is not running")?;
        let environ = fs::read(format!("/proc/{}/environ", driver.0))?;
        environ
            .split(|b| *b == 0)
            .find_map(|var| var.strip_prefix(b"DBUS_SESSION_BUS_ADDRESS="))
            .map(|address| String::from_utf8_lossy(address).into_owned())
            .context("tauri-driver has no DBUS_SESSION_BUS_ADDRESS")
    }

    /// Reads the app's keyring entry `key` (service `mfa-desk`) from the Secret Service of
    /// this test's D-Bus session, through `mfa_core`'s own `KeyringStore`. The lookup runs in a
    /// child process (this test binary, running only [`keyring_probe`]) so that this process's
    /// environment never changes. `Ok(None)`: there is no such entry.
    pub fn keyring_get(&self, key: &str) -> Result<Option<String>> {
        let output = Command::new(std::env::current_exe()?)
            .args([
                "--ignored",
                "--exact",
                "harness::keyring_probe",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", self.bus_address()?)
            .env(KEYRING_PROBE_KEY, key)
            .stdin(Stdio::null())
            .output()
            .context("running the keyring probe")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let answer = stdout
            .lines()
            // (libtest writes `test harness::keyring_probe ... ` before it.)
            .find_map(|line| {
                line.split_once(KEYRING_PROBE_PREFIX)
                    .map(|(_, answer)| answer)
            })
            .with_context(|| {
                format!(
                    "the keyring probe gave no answer ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        match answer.split_once(' ').unwrap_or((answer, "")) {
            ("none", _) => Ok(None),
            ("found", hex) => {
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
                    .collect::<Result<Vec<u8>, _>>()?;
                Ok(Some(String::from_utf8(bytes)?))
            }
            (_, error) => bail!("the keyring could not be read: {error}"),
        }
    }

    fn c(&self) -> &Client {
        self.client.as_ref().expect("the WebDriver session is open")
    }

    pub fn base_url(&self) -> String {
        self.emulator.base_url()
    }

    /// `127.0.0.1:PORT`: the tenant domain the app shows and writes in the recovery file.
    pub fn domain(&self) -> String {
        self.base_url().trim_start_matches("http://").to_owned()
    }

    // ---------------------------------------------------------------- catalogue

    /// The current language's text for `key` (English when the catalogue lacks it, as the app does).
    pub fn t(&self, key: &str) -> String {
        match self.catalogue.get(key).and_then(Value::as_str) {
            Some(text) => text.to_owned(),
            None => catalogue(Lang::En)
                .ok()
                .and_then(|en| en.get(key).and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| panic!("no catalogue key {key}")),
        }
    }

    /// Fails unless the visible element's text is the catalogue's `key`.
    pub async fn expect_text_css(&self, css: &str, key: &str) -> Result<()> {
        let want = squash(&self.t(key));
        let deadline = Instant::now() + WAIT;
        loop {
            let got = squash(&self.text_css(css).await?);
            if got == want {
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "{css}: expected {key} = {want:?} ({}), found {got:?}",
                self.lang.code()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn expect_text(&self, testid: &str, key: &str) -> Result<()> {
        self.expect_text_css(&tid(testid), key).await
    }

    /// The screen's `<h1>` is the catalogue's `key`.
    pub async fn expect_heading(&self, key: &str) -> Result<()> {
        self.expect_text_css("main h1, #main h1", key).await
    }

    // ---------------------------------------------------------------- elements

    /// The first visible element matching `css`, waited for up to [`WAIT`].
    pub async fn wait_css(&self, css: &str) -> Result<Element> {
        self.wait_css_for(css, WAIT).await
    }

    pub async fn wait_css_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(el) = self.visible(css).await {
                return Ok(el);
            }
            if Instant::now() >= deadline {
                bail!(
                    "no visible {css} after {timeout:?} (screen: {})",
                    self.screen().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn visible(&self, css: &str) -> Option<Element> {
        for el in self.c().find_all(Locator::Css(css)).await.ok()? {
            if el.is_displayed().await.unwrap_or(false) {
                return Some(el);
            }
        }
        None
    }

    pub async fn wait_for(&self, testid: &str) -> Result<Element> {
        self.wait_css(&tid(testid)).await
    }

    /// Waits until nothing visible matches `css`.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while self.visible(css).await.is_some() {
            ensure!(
                Instant::now() < deadline,
                "{css} still visible after {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    pub async fn is_visible(&self, css: &str) -> bool {
        self.visible(css).await.is_some()
    }

    /// Clicks the visible, enabled element once it is both (re-finding it if the DOM changed).
    pub async fn click_css(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let el = self.wait_css(css).await?;
            let error = match el.is_enabled().await {
                Ok(true) => match el.click().await {
                    Ok(()) => return Ok(()),
                    Err(error) => error.to_string(),
                },
                Ok(false) => "disabled".to_owned(),
                Err(error) => error.to_string(),
            };
            ensure!(Instant::now() < deadline, "could not click {css}: {error}");
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        self.click_css(&tid(testid)).await
    }

    /// Types into the field (after emptying it if it held something).
    pub async fn fill_css(&self, css: &str, text: &str) -> Result<()> {
        let el = self.wait_css(css).await?;
        if el.prop("value").await?.is_some_and(|v| !v.is_empty()) {
            el.clear().await?;
        }
        el.send_keys(text)
            .await
            .with_context(|| format!("typing into {css}"))?;
        Ok(())
    }

    pub async fn fill(&self, testid: &str, text: &str) -> Result<()> {
        self.fill_css(&tid(testid), text).await
    }

    /// The element's text content (as in the DOM, whitespace squashed).
    pub async fn text_css(&self, css: &str) -> Result<String> {
        let el = self.wait_css(css).await?;
        Ok(squash(&el.prop("textContent").await?.unwrap_or_default()))
    }

    pub async fn text(&self, testid: &str) -> Result<String> {
        self.text_css(&tid(testid)).await
    }

    pub async fn attr(&self, testid: &str, name: &str) -> Result<Option<String>> {
        Ok(self.wait_for(testid).await?.attr(name).await?)
    }

    pub async fn is_enabled(&self, testid: &str) -> Result<bool> {
        Ok(self.wait_for(testid).await?.is_enabled().await?)
    }

    /// Waits until the element's `disabled` state is `!enabled`.
    pub async fn wait_enabled(&self, testid: &str, enabled: bool) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while self.is_enabled(testid).await? != enabled {
            ensure!(
                Instant::now() < deadline,
                "{testid} did not become {}",
                if enabled { "enabled" } else { "disabled" }
            );
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    pub async fn select_value(&self, testid: &str, value: &str) -> Result<()> {
        self.wait_for(testid).await?.select_by_value(value).await?;
        Ok(())
    }

    /// `<html lang>`, which the app sets to the language it shows.
    pub async fn html_lang(&self) -> Result<String> {
        let lang = self
            .c()
            .execute("return document.documentElement.lang", vec![])
            .await?;
        Ok(lang.as_str().unwrap_or_default().to_owned())
    }

    /// The screen shown in `<main>` (`data-screen`), or "?".
    pub async fn screen(&self) -> String {
        let Some(client) = &self.client else {
            return "(no session)".into();
        };
        match client.find(Locator::Css("main [data-screen]")).await {
            Ok(el) => el
                .attr("data-screen")
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| "?".into()),
            Err(_) => "?".into(),
        }
    }

    pub async fn wait_screen(&self, name: &str) -> Result<()> {
        self.wait_css(&tid(&format!("screen-{name}")))
            .await
            .map(|_| ())
    }

    /// The error banner with this `data-code`, visible.
    pub async fn wait_error(&self, code: &str) -> Result<()> {
        let css = format!("{}[data-code=\"{code}\"]", tid("error-banner"));
        if let Err(error) = self.wait_css(&css).await {
            let shown = match self.visible(&tid("error-banner")).await {
                Some(el) => el
                    .attr("data-code")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                None => "none".into(),
            };
            bail!("{error}; banner shown: {shown}");
        }
        Ok(())
    }

    // ---------------------------------------------------------------- screenshots

    /// Saves `<nn>-<label>.png` in this test's screenshot folder.
    pub async fn shot(&mut self, label: &str) -> Result<()> {
        self.shot_n += 1;
        // Two animation frames: what the DOM holds has been painted.
        let painted = "const done = arguments[arguments.length - 1];\n\
                       requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.c()
            .execute_async(painted, vec![])
            .await
            .context("waiting for a paint")?;
        let png = self.c().screenshot().await.context("taking a screenshot")?;
        ensure!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        fs::write(
            self.shots.join(format!("{:02}-{label}.png", self.shot_n)),
            png,
        )?;
        Ok(())
    }

    // ---------------------------------------------------------------- emulator

    pub async fn get_json(&self, path: &str) -> Result<Value> {
        let response = self
            .http
            .get(format!("{}{path}", self.base_url()))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        ensure!(status.is_success(), "GET {path}: {status} {body}");
        Ok(body)
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Result<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url()))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        ensure!(status.is_success(), "POST {path}: {status} {body}");
        Ok(body)
    }

    /// A fresh user with no factor (unique per test, so rate limits never collide).
    pub async fn create_user(&self, local: &str) -> Result<String> {
        let email = format!("{local}.{}@example.com", self.name.replace('_', "-"));
        self.post_json(
            "/__emulator/users",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await?;
        Ok(email)
    }

    pub async fn outbox(&self) -> Result<Vec<Value>> {
        Ok(self
            .get_json("/__emulator/outbox")
            .await?
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The newest code sent on `channel` ("sms", "voice", "email"), waiting for it.
    pub async fn outbox_code(&self, channel: &str) -> Result<String> {
        self.outbox_code_after(channel, 0).await
    }

    /// The newest code sent on `channel` once more than `seen` messages went out on it.
    pub async fn outbox_code_after(&self, channel: &str, seen: usize) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let sent: Vec<Value> = self
                .outbox()
                .await?
                .into_iter()
                .filter(|m| m["channel"] == channel)
                .collect();
            if sent.len() > seen {
                let code = sent
                    .last()
                    .and_then(|m| m["code"].as_str())
                    .unwrap_or_default();
                ensure!(!code.is_empty(), "the {channel} message has no code");
                return Ok(code.to_owned());
            }
            ensure!(
                Instant::now() < deadline,
                "no {channel} message after {seen}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn outbox_count(&self, channel: &str) -> Result<usize> {
        Ok(self
            .outbox()
            .await?
            .iter()
            .filter(|m| m["channel"] == channel)
            .count())
    }

    async fn user_secrets(&self, email: &str) -> Result<Value> {
        let users = self.get_json("/__emulator/secrets").await?;
        users
            .as_array()
            .and_then(|users| {
                users.iter().find(|u| {
                    u["email"]
                        .as_str()
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
                })
            })
            .cloned()
            .with_context(|| format!("the emulator has no user {email}"))
    }

    /// The user's newest TOTP authenticator's code now, on the emulator's clock.
    pub async fn totp_now(&self, email: &str) -> Result<String> {
        let user = self.user_secrets(email).await?;
        let otp = user["otp"]
            .as_array()
            .and_then(|list| list.last())
            .with_context(|| format!("{email} has no TOTP"))?;
        Ok(otp["current_code"]
            .as_str()
            .context("no current_code")?
            .to_owned())
    }

    /// The secret of the user's newest TOTP authenticator.
    pub async fn totp_secret(&self, email: &str) -> Result<String> {
        let user = self.user_secrets(email).await?;
        let otp = user["otp"]
            .as_array()
            .and_then(|list| list.last())
            .with_context(|| format!("{email} has no TOTP"))?;
        Ok(otp["secret"].as_str().context("no secret")?.to_owned())
    }

    /// The user's current recovery code as the emulator knows it.
    pub async fn recovery_code(&self, email: &str) -> Result<String> {
        let user = self.user_secrets(email).await?;
        Ok(user["recovery_code"]
            .as_str()
            .with_context(|| format!("{email} has no recovery code"))?
            .to_owned())
    }

    pub async fn advance_clock(&self, seconds: i64) -> Result<()> {
        self.post_json("/__emulator/clock/advance", json!({ "seconds": seconds }))
            .await
            .map(|_| ())
    }

    /// Injects a fault, e.g. `json!({"path": "/oauth/token", "kind": "status", "status": 503})`.
    pub async fn fault(&self, fault: Value) -> Result<()> {
        self.post_json("/__emulator/faults", fault)
            .await
            .map(|_| ())
    }

    /// Waits for a pending push, then answers it ("approve" or "deny").
    pub async fn answer_push(&self, decision: &str) -> Result<Value> {
        let deadline = Instant::now() + WAIT;
        while self.get_json("/__emulator/push").await?.is_null() {
            ensure!(Instant::now() < deadline, "no pending push to {decision}");
            tokio::time::sleep(POLL).await;
        }
        self.post_json(&format!("/__emulator/push/{decision}"), json!({}))
            .await
    }

    // ---------------------------------------------------------------- app flows

    /// From the sign-in screen: email, password, submit.
    pub async fn sign_in(&self, email: &str) -> Result<()> {
        self.wait_screen("signin").await?;
        self.fill("signin-username", email).await?;
        self.fill("signin-password", PASSWORD).await?;
        self.click("signin-submit").await
    }

    pub async fn sign_out(&self) -> Result<()> {
        self.click("sign-out").await?;
        self.wait_screen("signin").await
    }

    /// Types a one-time code and submits it. A complete code may be submitted by the field
    /// itself (it treats input without an `inputType` as a paste); the click then finds the
    /// button busy, disabled or gone, which is fine.
    pub async fn submit_code(&self, code: &str) -> Result<()> {
        self.fill("code-input", code).await?;
        if let Some(button) = self.visible(&tid("code-submit")).await {
            if button.is_enabled().await.unwrap_or(false) {
                let _ = button.click().await;
            }
        }
        Ok(())
    }

    /// Submits a code that should be refused; returns the error banner's code once the
    /// answer is in (the field is emptied after a refusal).
    pub async fn submit_wrong_code(&self, code: &str) -> Result<String> {
        self.submit_code(code).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let input = self.wait_for("code-input").await?;
            let empty = input.prop("value").await?.unwrap_or_default().is_empty();
            if empty {
                if let Some(banner) = self.visible(&tid("error-banner")).await {
                    if let Some(code) = banner.attr("data-code").await? {
                        return Ok(code);
                    }
                }
            }
            ensure!(
                Instant::now() < deadline,
                "no error shown for the code {code}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// A six-digit code that is not the user's current TOTP code.
    pub async fn wrong_totp(&self, email: &str) -> Result<String> {
        let right: u32 = self.totp_now(email).await?.parse()?;
        Ok(format!("{:06}", (right + 500_000) % 1_000_000))
    }

    /// The recovery code dialog with "Save as text file" (the file is read back and checked).
    pub async fn save_recovery_code(&mut self, account: &str) -> Result<String> {
        self.export_recovery_code(account, Keep::Save).await
    }

    /// Goes through the recovery code dialog the way a careful person does, checking that
    /// Continue is gated, and keeps the code as `keep` says; a saved file is read back.
    /// Returns the code the dialog showed (without spaces). Ends on the screen after the dialog.
    pub async fn export_recovery_code(&mut self, account: &str, keep: Keep) -> Result<String> {
        self.wait_for("export-dialog").await?;
        self.shot("recovery-export").await?;
        let shown = self.text("export-code").await?;
        let code = shown.replace(' ', "");
        ensure!(
            code.len() == 24 && code.chars().all(|c| c.is_ascii_alphanumeric()),
            "odd recovery code {shown:?}"
        );
        ensure!(
            shown == grouped(&code),
            "the code is not shown in groups of four: {shown:?}"
        );

        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled before the code was stored"
        );
        self.expect_text("export-gate", "export.gateHint").await?;
        self.click("export-confirm-checkbox").await?;
        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled with only the box ticked"
        );
        self.click("export-confirm-checkbox").await?;

        let button = match keep {
            Keep::Save => "export-save",
            Keep::Copy => "export-copy",
        };
        self.click(button).await?;
        self.wait_css(&format!("{}[data-done=\"true\"]", tid(button)))
            .await?;
        self.expect_text("export-gate", "export.gateTick").await?;
        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled before the box was ticked"
        );

        let file = self.recovery_file();
        if keep == Keep::Save {
            let text = fs::read_to_string(&file)
                .with_context(|| format!("reading the saved file {}", file.display()))?;
            ensure!(
                text.contains(&grouped(&code)),
                "the saved file lacks the code {}:\n{text}",
                grouped(&code)
            );
            ensure!(
                text.contains(account),
                "the saved file lacks the account {account}:\n{text}"
            );
            ensure!(
                text.contains(&self.domain()),
                "the saved file lacks the tenant {}:\n{text}",
                self.domain()
            );
        } else {
            ensure!(
                !file.exists(),
                "a file was saved although only Copy was used"
            );
        }

        self.click("export-confirm-checkbox").await?;
        self.wait_enabled("export-continue", true).await?;
        self.expect_text("export-gate", "export.gateReady").await?;
        self.shot("recovery-export-ready").await?;
        self.click("export-continue").await?;
        self.wait_gone(&tid("export-dialog")).await?;
        Ok(code)
    }

    /// Where "Save as text file" writes: `recovery-code-<tenant>.txt` in the save folder.
    pub fn recovery_file(&self) -> PathBuf {
        self.save_dir.join(format!(
            "recovery-code-{}.txt",
            self.domain().replace(':', "-")
        ))
    }

    /// Waits until the home list has a row of `kind`.
    pub async fn wait_home_row(&self, kind: &str) -> Result<Element> {
        self.wait_screen("home").await?;
        self.wait_css(&format!(
            "{}[data-kind=\"{kind}\"]",
            tid("authenticator-row")
        ))
        .await
    }

    /// On the verify screen: picks the method of this kind.
    pub async fn pick_method(&self, kind: &str) -> Result<()> {
        self.wait_screen("verify").await?;
        self.click_css(&format!("{}[data-kind=\"{kind}\"]", tid("verify-method")))
            .await
    }

    // ---------------------------------------------------------------- teardown

    /// Ends the session and the driver; on `Err`, first keeps evidence, then panics.
    pub async fn finish(mut self, result: Result<()>) {
        if let Err(error) = &result {
            // (No session when the test had closed or killed the app.)
            if let Some(client) = &self.client {
                if let Ok(source) = client.source().await {
                    let _ = fs::write(self.dir.join("failure.html"), source);
                }
                let _ = self.shot("zz-failure").await;
            }
            eprintln!(
                "[{}] failed on screen {}: {error:#}",
                self.name,
                self.screen().await
            );
        }
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        self.stop_processes();
        match result {
            Ok(()) => {
                let _ = fs::remove_dir_all(&self.dir);
            }
            Err(error) => {
                let log = self.dir.join("tauri-driver.log");
                panic!(
                    "[{}] {error:#}\n--- screenshots: {}\n--- kept: {}\n--- tauri-driver/app log (tail):\n{}",
                    self.name,
                    self.shots.display(),
                    self.dir.display(),
                    tail(&log, 60)
                );
            }
        }
    }

    /// SIGTERM to the app (if the session close left it), then to tauri-driver, which stops
    /// WebKitWebDriver itself. SIGKILL would leave WebKitWebDriver behind. Only processes
    /// carrying this test's own save-dir marker in their environment are touched.
    fn stop_processes(&mut self) {
        let marker = self.marker();
        let ours = || our_processes(&marker);
        let running = |exe: &Path| {
            ours()
                .into_iter()
                .filter(|(_, e)| e == exe)
                .map(|(pid, _)| pid)
                .collect::<Vec<_>>()
        };
        running(&self.app_binary).into_iter().for_each(terminate);
        running(&self.driver_binary).into_iter().for_each(terminate);
        if let Some(mut child) = self.driver.take() {
            // tauri-driver itself, or dbus-run-session, which ends when tauri-driver does.
            let deadline = Instant::now() + Duration::from_secs(5);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
            if child.try_wait().ok().flatten().is_none() {
                terminate(child.id() as i32);
                std::thread::sleep(Duration::from_millis(500));
                if child.try_wait().ok().flatten().is_none() {
                    let _ = child.kill();
                }
            }
            let _ = child.wait();
        }
        // Anything of ours still there (WebKitWebDriver, the keyring daemon, portals started
        // on the test's bus): ask it to stop, and give it a moment.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = ours();
            if left.is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                eprintln!(
                    "[{}] processes still running after the test: {left:?}",
                    self.name
                );
                break;
            }
            left.iter().for_each(|(pid, _)| terminate(*pid));
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for E2e {
    /// A panicking scenario (a failed `assert!`) still stops the app and the driver: a
    /// leftover app would make the next test's app exit (single-instance plugin).
    fn drop(&mut self) {
        if self.driver.is_some() {
            self.stop_processes();
        }
    }
}

fn terminate(pid: i32) {
    // SAFETY: kill(2) with a pid we found; no memory is involved.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
}

/// Processes (other than this one) whose environment holds `marker`, with their executable.
fn our_processes(marker: &str) -> Vec<(i32, PathBuf)> {
    let me = std::process::id() as i32;
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let mut environ = Vec::new();
        if fs::File::open(entry.path().join("environ"))
            .and_then(|mut f| f.read_to_end(&mut environ))
            .is_err()
        {
            continue;
        }
        if environ
            .split(|b| *b == 0)
            .any(|var| var == marker.as_bytes())
        {
            // A zombie has no environ, so whatever is listed here is alive.
            let exe = fs::read_link(entry.path().join("exe")).unwrap_or_default();
            found.push((pid, exe));
        }
    }
    found
}

const KEYRING_PROBE_KEY: &str = "MFA_DESK_E2E_KEYRING_PROBE";
const KEYRING_PROBE_PREFIX: &str = "keyring-probe: ";

/// Not a test: [`E2e::keyring_get`] runs this (`--ignored --exact harness::keyring_probe`)
/// in a child process whose `DBUS_SESSION_BUS_ADDRESS` is a test's own session. It prints
/// `keyring-probe: found <hex>`, `keyring-probe: none` or `keyring-probe: error <why>`.
#[test]
#[ignore = "helper of E2e::keyring_get, run in a test's own D-Bus session"]
fn keyring_probe() {
    use mfa_core::secret::ExposeSecret;
    use mfa_core::secret_store::{KeyringStore, SecretStore};
    let Ok(key) = std::env::var(KEYRING_PROBE_KEY) else {
        return;
    };
    let answer = match KeyringStore::default().get(&key) {
        Ok(Some(value)) => format!(
            "found {}",
            value
                .expose_secret()
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        Ok(None) => "none".to_owned(),
        Err(error) => format!("error {error}"),
    };
    println!("\n{KEYRING_PROBE_PREFIX}{answer}");
}
