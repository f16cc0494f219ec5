//! Secrets that live only as long as the process.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{SecretStore, StoreError};
use crate::secret::{ExposeSecret, SecretString};

/// An in-memory store for unit tests (and to keep the current session working when the
/// keyring is unavailable: secrets then live only as long as the process).
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, SecretString>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        Ok(entries
            .get(key)
            .map(|v| SecretString::from(v.expose_secret().to_owned())))
    }

    fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(
            key.to_owned(),
            SecretString::from(value.expose_secret().to_owned()),
        );
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
        Ok(())
    }
}
