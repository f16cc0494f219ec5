//! Where secrets outlive the process: the operating system's keyring (Keychain, Windows
//! Credential Manager, Secret Service), behind a small trait so the flows can be tested with
//! an in-memory store. Nothing secret is ever written to a plain file instead.
//!
//! - [`SecretStore`]: the blocking trait; [`KeyringStore`] and [`MemoryStore`] implement it.
//! - [`RecoveryCodeVault`]: rotated recovery codes kept until confirmed.
//! - [`Secrets`]: the same from async code, each call on a blocking thread.

mod memory;
mod os_keyring;
mod secrets;
mod vault;

pub use memory::MemoryStore;
pub use os_keyring::KeyringStore;
pub use secrets::{AsyncVault, Secrets};
pub use vault::{IssuedFor, PendingRecoveryCode, RecoveryCodeVault};

use crate::error_code::ErrorCode;
use crate::secret::SecretString;

/// The keyring "service" every entry of this app lives under.
pub const SERVICE: &str = "mfa-desk";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No keyring (no Secret Service running, locked keychain, access refused).
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
    #[error("the keyring entry could not be read: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unavailable(_) => ErrorCode::KeyringUnavailable,
            Self::Corrupt(_) => ErrorCode::KeyringError,
        }
    }
}

/// A place for secrets, keyed by a name that already carries the tenant and the person.
pub trait SecretStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError>;
    fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError>;
    /// Deleting what is not there is not an error.
    fn delete(&self, key: &str) -> Result<(), StoreError>;
}

/// Entry names: `<tenant>/<account>/<what>`, so two tenants or two people never collide.
pub fn entry_key(tenant: &str, account: &str, what: &str) -> String {
    format!("{tenant}/{account}/{what}")
}

/// Where a person's refresh token lives (granted with `offline_access`).
pub fn refresh_token_key(tenant: &str, account: &str) -> String {
    entry_key(tenant, account, "refresh-token")
}
