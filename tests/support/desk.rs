//! Helpdesk mode under Tauri's mock runtime against the real helpdesk service (in-process,
//! SQLite in a temporary folder) beside the local Auth0. "The system browser" is an
//! `xdg-open` on this test's `PATH` that writes the address to a file; the test plays the
//! browser on the hosted pages for the agent's fresh sign-in. A test binary using it declares
//! `mod support;` and `#[path = "support/hosted.rs"] mod hosted;` beside it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use auth0_emulator::demo::{HELPDESK_SERVICE_CLIENT_ID, HELPDESK_SERVICE_CLIENT_SECRET};
use helpdesk_service::demo::DemoService;
use mfa_core::secret_store::MemoryStore;
use mfa_core::SecretString;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};

use crate::hosted::HostedBrowser;
use crate::support::mock_app::{mock_app, MockApp, SharedStore};
use crate::support::{Auth0, PASSWORD};

/// The local Auth0, the helpdesk service beside it, and the test's system browser.
pub struct Desk {
    pub auth0: Auth0,
    pub service: DemoService,
    /// Holds the test browser's folder.
    _dir: tempfile::TempDir,
    opened: PathBuf,
    /// How many addresses the test browser has taken so far.
    taken: std::sync::atomic::AtomicUsize,
    /// The authenticator apps a sign-in used already: Auth0 takes each code once.
    used: std::sync::Mutex<Vec<String>>,
}

impl Desk {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut auth0_emulator::Tenant)) -> Self {
        let auth0 = Auth0::start_with(adjust).await;
        let service = helpdesk_service::demo::start(
            &auth0.emulator.base_url(),
            HELPDESK_SERVICE_CLIENT_ID,
            SecretString::from(HELPDESK_SERVICE_CLIENT_SECRET.to_owned()),
        )
        .await
        .expect("the helpdesk service starts");
        let dir = tempfile::tempdir().unwrap();
        let opened = test_browser(dir.path());
        Self {
            auth0,
            service,
            _dir: dir,
            opened,
            taken: Default::default(),
            used: Default::default(),
        }
    }

    /// The app in demo mode, with helpdesk mode through this service.
    pub async fn app(&self) -> (MockApp, Arc<MemoryStore>) {
        self.app_with_store(Arc::new(MemoryStore::default())).await
    }

    /// As [`Desk::app`], on a store the test filled.
    pub async fn app_with_store(&self, store: Arc<MemoryStore>) -> (MockApp, Arc<MemoryStore>) {
        let launch = Launch::Demo {
            emulator: Some(self.auth0.emulator.base_url()),
            helpdesk_service: Some(self.service.base_url()),
        };
        let app = mock_app(launch, Box::new(SharedStore(store.clone()))).await;
        (app, store)
    }

    /// Starts the agent's sign-in in `app`, plays the browser for `email` (password, then the
    /// code of the authenticator app with `totp_secret`), and waits: the address the app
    /// opened and the wait's answer.
    pub async fn agent_sign_in(
        &self,
        app: &MockApp,
        email: &str,
        totp_secret: &str,
    ) -> (url::Url, Result<Value, Value>) {
        app.ok("helpdesk_agent_sign_in_start", json!({"texts": texts()}))
            .await;
        let n = self.taken.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let url = opened(&self.opened, n).await;
        let mut browser = HostedBrowser::new();
        browser.open(url.as_str()).await.unwrap();
        browser.sign_in(email, PASSWORD).await.unwrap();
        let again = {
            let mut used = self.used.lock().unwrap();
            let again = used.iter().any(|s| s == totp_secret);
            used.push(totp_secret.to_owned());
            again
        };
        if again {
            // The next code: the local Auth0's clock moves on one period.
            self.auth0.advance_clock(30).await;
        }
        let code = self.auth0.totp(totp_secret).await;
        let callback = browser.enter_code(&code).await.unwrap();
        let callback = callback.callback().unwrap().clone();
        let (waited, delivered) = tokio::join!(
            app.call("helpdesk_agent_sign_in_wait", json!({})),
            browser.deliver(&callback)
        );
        assert_eq!(delivered.unwrap().0, 200);
        (url, waited)
    }

    /// An agent signed in, with `caller` found, opened and verified by the checklist: the
    /// caller's user id.
    pub async fn verified(&self, app: &MockApp, agent: (&str, &str), caller: &str) -> Value {
        let (_, waited) = self.agent_sign_in(app, agent.0, agent.1).await;
        assert_eq!(waited.unwrap()["status"], "signedIn");
        let user = app.ok("helpdesk_find", json!({"query": caller})).await[0]["userId"].clone();
        app.ok("helpdesk_open_caller", json!({"userId": user}))
            .await;
        app.ok("helpdesk_verify_caller", checklist(&user)).await;
        user
    }
}

/// A checklist verification of `user` a test records.
pub fn checklist(user: &Value) -> Value {
    json!({"userId": user, "method": "callback_directory_number", "detail": "",
        "reason": "lost phone", "ticket": "INC-1"})
}

/// The page the browser shows after the sign-in (any words do here).
pub fn texts() -> Value {
    json!({
        "lang": "en", "title": "MFA Desk",
        "doneHeading": "a", "doneBody": "b", "failedHeading": "c",
        "failedBody": "d", "foreignHeading": "e", "foreignBody": "f"
    })
}

/// Puts an `xdg-open` that records its argument first on this process's `PATH`; returns the
/// file it writes to.
fn test_browser(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("opened-urls");
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display());
    let program = bin.join("xdg-open");
    std::fs::write(&program, script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    std::env::set_var("PATH", std::env::join_paths(paths).unwrap());
    log
}

/// The `n`th address the app opened (from 0), once it is there.
async fn opened(log: &Path, n: usize) -> url::Url {
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(log) {
            if let Some(line) = text.lines().nth(n) {
                return url::Url::parse(line).unwrap();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the app opened no address #{n}");
}
