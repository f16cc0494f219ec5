//! The local Auth0 and the helpdesk service in front of it, in this test process on loopback
//! ports (the service's own tests start it the same way); `mfa-desk-admin` run as a process
//! against both, with its agent's sign-in in a keyring service of the test's own (the Secret
//! Service of the private D-Bus session scripts/test starts).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use auth0_emulator::client::ControlClient;
use auth0_emulator::{demo, RunningEmulator, Tenant};
use helpdesk_service::config::Config;
use mfa_core::helpdesk_service::AgentSession;
use mfa_core::secret::secret;
use mfa_core::secret_store::{KeyringStore, SecretStore};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::watch;

pub const BIN: &str = env!("CARGO_BIN_EXE_mfa-desk-admin");
pub const SCOPE: &str = "openid email helpdesk:read helpdesk:act helpdesk:reset helpdesk:approve";

/// What one run of the tool left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:?}"))
    }

    /// The exit code, and for a failure one sentence on stderr.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "{self:?}");
        if code != 0 {
            let last = self.stderr.trim().lines().last().unwrap_or_default();
            assert!(
                last.starts_with("mfa-desk-admin: "),
                "one sentence on stderr: {self:?}"
            );
        }
        self
    }
}

/// Runs the tool off the async threads, so the in-process servers keep answering.
pub async fn run(mut command: Command) -> Run {
    let output = tokio::task::spawn_blocking(move || command.output().expect("the tool runs"))
        .await
        .unwrap();
    Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Which agent a command runs as: each has a keyring service of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// helpdesk:read and helpdesk:act.
    Agent,
    /// All four permissions.
    Lead,
}

pub struct Desk {
    pub emulator: RunningEmulator,
    pub control: ControlClient,
    pub service_url: String,
    pub data: TempDir,
    _db: TempDir,
    keyring_prefix: String,
    stop: watch::Sender<bool>,
}

impl Desk {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), Tenant::demo())
            .await
            .expect("the local Auth0 starts");
        let control = ControlClient::new(&emulator.base_url());
        let db = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.auth0.tenant_url = emulator.base_url();
        config.auth0.client_id = demo::HELPDESK_SERVICE_CLIENT_ID.into();
        config.storage.url = format!("sqlite://{}", db.path().join("helpdesk.db").display());
        config.listen.address = "127.0.0.1:0".parse().unwrap();
        config.listen.shutdown_grace_secs = 1;
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind(config.listen.address)
            .await
            .unwrap();
        let service_url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stop_rx) = watch::channel(false);
        tokio::spawn(helpdesk_service::server::serve(
            config,
            secret(demo::HELPDESK_SERVICE_CLIENT_SECRET),
            listener,
            stop_rx,
        ));
        let http = reqwest::Client::new();
        for _ in 0..100 {
            match http.get(format!("{service_url}/readyz")).send().await {
                Ok(r) if r.status().is_success() => break,
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let keyring_prefix = format!("mfa-desk-admin-test-{:x}", rand_suffix());
        Self {
            emulator,
            control,
            service_url,
            data: tempfile::tempdir().unwrap(),
            _db: db,
            keyring_prefix,
            stop,
        }
    }

    pub fn keyring_service(&self, agent: Agent) -> String {
        format!("{}-{agent:?}", self.keyring_prefix)
    }

    pub fn keyring(&self, agent: Agent) -> KeyringStore {
        let store = KeyringStore::new(self.keyring_service(agent));
        if let Err(error) = store.get("probe") {
            panic!("no Secret Service ({error}); run the tests through scripts/test");
        }
        store
    }

    pub fn tenant(&self) -> String {
        self.emulator.base_url()
    }

    /// The tool as an agent finds it: the service from the debug-build flags, the tenant and
    /// the native app's client id for `login`, nothing inherited that could change the outcome.
    pub fn command(&self, agent: Agent, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(["--service", &self.service_url, "--api", demo::HELPDESK_API])
            .args([
                "--tenant",
                &self.tenant(),
                "--client-id",
                demo::PUBLIC_CLIENT_ID,
            ])
            .args(args)
            .env("MFA_DESK_ADMIN_KEYRING", self.keyring_service(agent))
            .env("MFA_DESK_DATA_DIR", self.data.path())
            .env(
                "MFA_DESK_SYSTEM_CONFIG",
                self.data.path().join("no-config.json"),
            )
            .env(
                "MFA_DESK_USER_CONFIG",
                self.data.path().join("no-user-config.json"),
            )
            .env("USER", "agent.smith")
            .env_remove("MFA_DESK_ADMIN_SECRET")
            .env_remove("MFA_DESK_ADMIN_SERVICE")
            .env_remove("MFA_DESK_ADMIN_API");
        command
    }

    pub async fn admin(&self, args: &[&str]) -> Run {
        run(self.command(Agent::Agent, args)).await
    }

    pub async fn lead(&self, args: &[&str]) -> Run {
        run(self.command(Agent::Lead, args)).await
    }

    /// A sign-in with MFA for the helpdesk API (the password grant, as the service's tests
    /// do), kept where `login` keeps one.
    pub async fn sign_in(&self, agent: Agent) {
        let (email, totp) = match agent {
            Agent::Agent => (demo::HELPDESK_AGENT, demo::HELPDESK_AGENT_TOTP_SECRET),
            Agent::Lead => (demo::LEAD, demo::LEAD_TOTP_SECRET),
        };
        let http = reqwest::Client::new();
        let first: Value = http
            .post(format!("{}/oauth/token", self.tenant()))
            .form(&[
                ("grant_type", "password"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("username", email),
                ("password", demo::PASSWORD),
                ("audience", demo::HELPDESK_API),
                ("scope", SCOPE),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mfa_token = first["mfa_token"]
            .as_str()
            .expect("mfa_required")
            .to_owned();
        let now = self.control.advance_clock(30).await.unwrap();
        let otp = auth0_emulator::totp_code(totp, now).unwrap();
        let body: Value = http
            .post(format!("{}/oauth/token", self.tenant()))
            .form(&[
                ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
                ("client_id", demo::PUBLIC_CLIENT_ID),
                ("mfa_token", mfa_token.as_str()),
                ("otp", otp.as_str()),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = body["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned();
        let session = AgentSession::from_tokens(secret(token), Some(email.into())).unwrap();
        let store = self.keyring(agent);
        let url = self.service_url.clone();
        tokio::task::spawn_blocking(move || session.save(&store, &url).unwrap())
            .await
            .unwrap();
    }

    /// Requests that reached the local Auth0 with `method` on a path containing `part`.
    pub async fn auth0_requests(&self, method: &str, part: &str) -> usize {
        let requests = self.control.requests().await.unwrap();
        requests
            .iter()
            .filter(|r| r.method == method && r.path.contains(part))
            .count()
    }

    pub fn playbook_dir(&self) -> PathBuf {
        self.data.path().join("secure")
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        for agent in [Agent::Agent, Agent::Lead] {
            let store = KeyringStore::new(self.keyring_service(agent));
            let _ = AgentSession::forget(&store, &self.service_url);
        }
        self.stop();
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos ^ ((std::process::id() as u64) << 32)
}

/// A user id as a path segment.
pub fn enc(user_id: &str) -> String {
    user_id.replace('|', "%7C")
}
