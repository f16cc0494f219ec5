//! A second instance of the app beside the test's own, against the same local Auth0 and
//! helpdesk service, for what two people do at once (an agent asks, a lead approves). It
//! runs under its own tauri-driver, D-Bus session, keyring and folders; [`E2e::swap_app`]
//! points the page helpers at it and back.

use super::process::{app_environment, tail, terminate, wait_for_port, UNLOCK_KEYRING_THEN_EXEC};
use super::*;

pub struct OtherApp {
    client: Option<Client>,
    driver: Child,
    marker: String,
    _ports: [ports::ReservedPort; 2],
}

impl E2e {
    /// Starts the app again, in demo mode against this test's Auth0 and helpdesk service.
    pub async fn start_other_app(&self) -> Result<OtherApp> {
        let dir = self.dir.join("other");
        for sub in ["config", "data", "cache", "saved"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        let save_dir = dir.join("saved");
        let reserved = [ports::reserve_port()?, ports::reserve_port()?];
        let (port, native_port) = (reserved[0].port, reserved[1].port);
        let log_path = dir.join("tauri-driver.log");
        let log = fs::File::create(&log_path)?;
        // The test's system browser first, as for the test's own app (`browser.rs`).
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.dir.join("bin")];
        paths.extend(std::env::split_paths(&path));
        let mut command = Command::new("dbus-run-session");
        command
            .args(["--", "sh", "-c", UNLOCK_KEYRING_THEN_EXEC])
            .arg(&self.driver_binary)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ]);
        app_environment(&mut command, self.lang, &dir);
        let mut driver = command
            .env("MFA_DESK_SYSTEM_CONFIG", dir.join("managed/config.json"))
            .env("PATH", std::env::join_paths(paths)?)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting a second tauri-driver")?;
        wait_for_port(port, &mut driver, &log_path)?;
        wait_for_port(native_port, &mut driver, &log_path)?;
        let mut capabilities = self.capabilities.clone();
        capabilities.insert(
            "tauri:options".into(),
            json!({
                "application": self.app_binary,
                "args": ["--demo", "--tenant", self.base_url(),
                         "--helpdesk-service", self.service.base_url()],
            }),
        );
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities);
        let client = builder
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .with_context(|| format!("no WebDriver session: {}", tail(&log_path, 40)))?;
        Ok(OtherApp {
            client: Some(client),
            driver,
            marker: format!("MFA_DESK_E2E_SAVE_DIR={}", save_dir.display()),
            _ports: reserved,
        })
    }

    /// Points every page helper at `other` (and `other` at the app it was on): call again
    /// to come back.
    pub fn swap_app(&mut self, other: &mut OtherApp) {
        std::mem::swap(&mut self.client, &mut other.client);
    }
}

impl OtherApp {
    /// Closes its session and stops its processes.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        self.stop();
    }

    fn stop(&mut self) {
        for (pid, _) in super::process::our_processes(&self.marker) {
            terminate(pid);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for OtherApp {
    fn drop(&mut self) {
        self.stop();
    }
}
