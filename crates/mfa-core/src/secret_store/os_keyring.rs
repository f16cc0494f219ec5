//! The operating system's keyring (Keychain, Windows Credential Manager, Secret Service)
//! through the `keyring` crate.

use super::{SecretStore, StoreError, SERVICE};
use crate::secret::{ExposeSecret, SecretString};

/// The OS keyring through the `keyring` crate. Calls block (D-Bus round trips on Linux):
/// call them from a blocking thread in async code.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(&self.service, key).map_err(to_store_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(SERVICE)
    }
}

fn to_store_error(error: keyring::Error) -> StoreError {
    match error {
        keyring::Error::BadEncoding(_) => StoreError::Corrupt("not text".into()),
        other => StoreError::Unavailable(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(to_store_error(error)),
        }
    }

    fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError> {
        self.entry(key)?
            .set_password(value.expose_secret())
            .map_err(to_store_error)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(to_store_error(error)),
        }
    }
}
