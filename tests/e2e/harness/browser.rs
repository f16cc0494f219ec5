//! The system browser of the end-to-end tests. The app opens addresses with the opener
//! plugin, which runs `xdg-open` from `PATH`; every test's `PATH` starts with a folder whose
//! `xdg-open` only writes the address to a file. The test then plays the person's browser on
//! the local Auth0's hosted pages (`tests/support/hosted.rs`): it reads the address, follows
//! the redirects, fills the forms, and lets the callback reach the app when the scenario says.
//! Nothing in the app knows about it.

#[path = "../../support/hosted.rs"]
pub mod hosted;

use std::ffi::OsString;

use url::Url;

use self::hosted::HostedBrowser;
use super::*;

/// The file the test browser appends each opened address to, in the test's folder.
const OPENED_URLS: &str = "opened-urls";

/// The folder holding the test `xdg-open`.
pub struct TestBrowser {
    bin: PathBuf,
}

impl TestBrowser {
    /// `PATH` with the test browser's folder first.
    pub fn path_with_it(&self) -> OsString {
        let mut paths = vec![self.bin.clone()];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(paths).expect("no ':' in the test folder")
    }
}

/// Writes `<dir>/bin/xdg-open`, which records its argument in `<dir>/opened-urls`.
pub fn install_test_browser(dir: &Path) -> Result<TestBrowser> {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    fs::create_dir_all(&bin)?;
    let log = dir.join(OPENED_URLS);
    let log = log.to_str().context("a UTF-8 test folder")?;
    ensure!(!log.contains('\''), "a quote in the test folder: {log}");
    let script = format!(
        "#!/bin/sh\n# MFA Desk end-to-end tests: the system browser hands the address to the test.\nprintf '%s\\n' \"$1\" >> '{log}'\n"
    );
    let program = bin.join("xdg-open");
    fs::write(&program, script)?;
    fs::set_permissions(&program, fs::Permissions::from_mode(0o755))?;
    Ok(TestBrowser { bin })
}

impl E2e {
    /// Every address the app opened in the system browser so far.
    pub fn opened_urls(&self) -> Vec<String> {
        fs::read_to_string(self.dir.join(OPENED_URLS))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Waits until the app has opened more than `seen` addresses; the newest one.
    pub async fn wait_opened_url(&self, seen: usize) -> Result<Url> {
        let deadline = Instant::now() + WAIT;
        loop {
            let opened = self.opened_urls();
            if opened.len() > seen {
                let url = opened.last().expect("more than seen");
                return Url::parse(url).with_context(|| format!("the app opened {url:?}"));
            }
            ensure!(
                Instant::now() < deadline,
                "the app opened no browser ({seen} addresses before)"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// The address the app opens next, in a fresh browser: the hosted sign-in's first page.
    pub async fn browser_opened(&self, seen: usize) -> Result<(HostedBrowser, Url)> {
        let url = self.wait_opened_url(seen).await?;
        ensure!(
            url.as_str()
                .starts_with(&format!("{}/authorize?", self.base_url())),
            "the app opened something else than the tenant's /authorize: {url}"
        );
        Ok((HostedBrowser::new(), url))
    }

    /// The person signs in on the hosted pages with email, password and an authenticator-app
    /// code; returns the browser and the redirect to the app, not followed yet.
    pub async fn hosted_sign_in_with_otp(
        &self,
        seen: usize,
        email: &str,
    ) -> Result<(HostedBrowser, Url)> {
        let (mut browser, url) = self.browser_opened(seen).await?;
        browser.open(url.as_str()).await?;
        let mfa = browser.sign_in(email, PASSWORD).await?;
        ensure!(
            mfa.html().contains("name=\"code\""),
            "no MFA step after the password:\n{}",
            mfa.html()
        );
        let callback = browser.enter_code(&self.totp_now(email).await?).await?;
        Ok((browser, callback.callback()?.clone()))
    }

    /// Lets the redirect reach the app; the page the browser then shows must be the app's
    /// page of `outcome` (`done`, `failed`, `foreign`) in the test's language.
    pub async fn deliver_callback(
        &self,
        browser: &HostedBrowser,
        callback: &Url,
        outcome: &str,
    ) -> Result<()> {
        let (_, page) = browser.deliver(callback).await?;
        ensure!(
            page.contains(&format!("data-outcome=\"{outcome}\"")),
            "the browser did not show the {outcome} page:\n{page}"
        );
        let body_key = match outcome {
            "done" => "browser.page.doneBody",
            "failed" => "browser.page.failedBody",
            "switching" => "browser.page.switchingBody",
            _ => "browser.page.foreignBody",
        };
        let body = hosted::element(&page, "message").unwrap_or_default();
        ensure!(
            squash(&body) == squash(&escape(&self.t(body_key))),
            "the browser's page does not say {body_key} in {}: {body:?}",
            self.lang.code()
        );
        ensure!(
            page.contains(&format!("lang=\"{}\"", self.lang.code())),
            "the browser's page is not in {}",
            self.lang.code()
        );
        Ok(())
    }
}

/// How the app's page writes a text (HTML-escaped).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
