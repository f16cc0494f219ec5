//! The test's own Secret Service: which D-Bus session the app uses, and reading a keyring
//! entry from inside it (through a child run of this test binary).

use super::*;

impl E2e {
    /// The recovery codes (account, code) a vault entry holds, or `None` without the entry.
    pub fn vault_codes(&self, key: &str) -> Result<Option<Vec<(String, String)>>> {
        let Some(json) = self.keyring_get(key)? else {
            return Ok(None);
        };
        let records: Vec<Value> =
            serde_json::from_str(&json).context("the vault entry is not a JSON list")?;
        Ok(Some(
            records
                .iter()
                .map(|r| {
                    (
                        r["account"].as_str().unwrap_or_default().to_owned(),
                        r["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        ))
    }

    /// `DBUS_SESSION_BUS_ADDRESS` of the session tauri-driver (hence the app) runs in.
    pub fn bus_address(&self) -> Result<String> {
        let marker = self.marker();
        let driver = super::process::our_processes(&marker)
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
                "harness::keyring::keyring_probe",
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
            // (libtest writes `test harness::keyring::keyring_probe ... ` before it.)
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
}

const KEYRING_PROBE_KEY: &str = "MFA_DESK_E2E_KEYRING_PROBE";
const KEYRING_PROBE_PREFIX: &str = "keyring-probe: ";

/// Not a test: [`E2e::keyring_get`] runs this (`--ignored --exact harness::keyring::keyring_probe`)
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
