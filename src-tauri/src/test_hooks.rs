//! What tests may change through the environment, and where that stops. Every hook is
//! compiled only into debug builds with the `test-hooks` feature (on by default for
//! development and tests; `scripts/package` builds the installers without it, and release
//! builds drop it anyway): an installed app obeys IT's configuration alone.
//!
//! | variable | hook | release build |
//! |---|---|---|
//! | `MFA_DESK_SYSTEM_CONFIG` | names IT's system file (drop-ins: `config.d` beside it), unchecked owner | ignored |
//! | `MFA_DESK_DATA_DIR` | the audit log's folder | ignored: the platform's data folder |
//! | `MFA_DESK_E2E_SAVE_DIR` | files are saved there without the save dialog | ignored: the dialog asks |
//! | `MFA_DESK_TEST_HELPDESK_IDLE_SECS` | a shorter helpdesk idle limit | ignored |
//! | `MFA_DESK_TEST_BROWSER_TIMEOUT_SECS` | a shorter browser sign-in deadline | ignored |
//! | `MFA_DESK_TEST_SECURITY_KEY` | the software security key is the only key present, in the state named (below) | ignored: this computer's keys (the software key is not even linked) |
//! | `MFA_DESK_TEST_RELEASE_RULES` | turns every hook above off, so tests see the release rules | ignored |
//!
//! `MFA_DESK_USER_CONFIG` names the person's own file in every build: that layer cannot
//! turn helpdesk mode on and every layer of IT's wins over it.

use std::path::PathBuf;
use std::time::Duration;

use mfa_core::settings::EnvTrust;

/// The variable that turns the hooks off in a test build, to test the release rules.
pub const RELEASE_RULES_ENV: &str = "MFA_DESK_TEST_RELEASE_RULES";

/// Whether this build has hooks and this run may use them.
pub fn enabled() -> bool {
    #[cfg(all(debug_assertions, feature = "test-hooks"))]
    {
        std::env::var_os(RELEASE_RULES_ENV).is_none()
    }
    #[cfg(not(all(debug_assertions, feature = "test-hooks")))]
    {
        false
    }
}

/// How far the environment may say where settings are.
pub fn env_trust() -> EnvTrust {
    if enabled() {
        EnvTrust::TestHooks
    } else {
        EnvTrust::PersonOnly
    }
}

/// Reads `name` when hooks are on; in a build without them the name is not even compiled in.
#[cfg(all(debug_assertions, feature = "test-hooks"))]
fn hook(name: &str) -> Option<std::ffi::OsString> {
    enabled()
        .then(|| std::env::var_os(name))
        .flatten()
        .filter(|v| !v.is_empty())
}

/// The audit log's folder, when a test names one.
pub fn data_dir() -> Option<PathBuf> {
    #[cfg(all(debug_assertions, feature = "test-hooks"))]
    return hook(mfa_core::audit::DATA_DIR_ENV).map(PathBuf::from);
    #[cfg(not(all(debug_assertions, feature = "test-hooks")))]
    None
}

/// Where end-to-end tests have files saved instead of asking (they cannot drive a native
/// dialog).
pub fn save_dir() -> Option<PathBuf> {
    #[cfg(all(debug_assertions, feature = "test-hooks"))]
    return hook("MFA_DESK_E2E_SAVE_DIR").map(PathBuf::from);
    #[cfg(not(all(debug_assertions, feature = "test-hooks")))]
    None
}

/// A shorter helpdesk idle limit, for tests that watch a session lapse.
pub fn helpdesk_idle_limit() -> Option<Duration> {
    #[cfg(all(debug_assertions, feature = "test-hooks"))]
    return seconds("MFA_DESK_TEST_HELPDESK_IDLE_SECS");
    #[cfg(not(all(debug_assertions, feature = "test-hooks")))]
    None
}

/// A shorter browser sign-in deadline, for tests that watch its port close.
pub fn browser_sign_in_timeout() -> Option<Duration> {
    #[cfg(all(debug_assertions, feature = "test-hooks"))]
    return seconds("MFA_DESK_TEST_BROWSER_TIMEOUT_SECS");
    #[cfg(not(all(debug_assertions, feature = "test-hooks")))]
    None
}

/// The keys a security-key test plugs in: `MFA_DESK_TEST_SECURITY_KEY` is a comma-separated
/// list of `pin=<PIN>` (else the key has no PIN), `retries=<n>`, `min=<shortest PIN>`,
/// `untouched` (nobody touches it), or `absent` (no key at all). The key lives as long as the
/// app, so a second enrollment meets the credential the first one made.
#[cfg(all(debug_assertions, feature = "test-hooks"))]
pub fn security_keys() -> Option<soft_security_key::SoftTransport> {
    use soft_security_key::{Presence, SoftKey, SoftTransport};
    static KEY: std::sync::OnceLock<Option<SoftKey>> = std::sync::OnceLock::new();
    let spec = hook("MFA_DESK_TEST_SECURITY_KEY")?;
    let spec = spec.to_str()?.to_owned();
    let key = KEY.get_or_init(|| {
        let settings: Vec<(&str, &str)> = spec
            .split(',')
            .map(|part| part.split_once('=').unwrap_or((part, "")))
            .collect();
        let value = |name: &str| settings.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        if value("absent").is_some() {
            return None;
        }
        let key = value("pin").map_or_else(SoftKey::without_pin, SoftKey::with_pin);
        if let Some(retries) = value("retries").and_then(|r| r.parse().ok()) {
            key.set_retries(retries);
        }
        if let Some(min) = value("min").and_then(|m| m.parse().ok()) {
            key.set_min_pin_length(min);
        }
        if value("untouched").is_some() {
            key.set_presence(Presence::NeverTouches);
        }
        Some(key)
    });
    Some(SoftTransport::with(&key.iter().collect::<Vec<_>>()))
}

#[cfg(all(debug_assertions, feature = "test-hooks"))]
fn seconds(name: &str) -> Option<Duration> {
    hook(name)
        .and_then(|secs| secs.to_str()?.parse().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit tests run in one process: only what holds whatever the environment says.
    #[test]
    fn hooks_exist_only_in_test_builds() {
        let test_build = cfg!(all(debug_assertions, feature = "test-hooks"));
        if !test_build {
            assert!(!enabled());
            assert_eq!(env_trust(), EnvTrust::PersonOnly);
            assert_eq!(save_dir(), None);
            assert_eq!(data_dir(), None);
        }
        assert_eq!(enabled(), env_trust() == EnvTrust::TestHooks);
    }
}
