//! Where secrets outlive the process: the operating system's keyring (Keychain, Windows
//! Credential Manager, Secret Service), behind a small trait so the flows can be tested with
//! an in-memory store. Nothing secret is ever written to a plain file instead.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::input::RecoveryCode;
use crate::secret::{ExposeSecret, SecretString};

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
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            Self::Unavailable(_) => crate::ErrorCode::KeyringUnavailable,
            Self::Corrupt(_) => crate::ErrorCode::KeyringError,
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

/// Why a recovery code was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuedFor {
    Enrollment,
    Recovery,
    /// A helpdesk agent issued it for a caller, to read out to them.
    Helpdesk,
}

/// A recovery code the person has not yet confirmed as stored.
#[derive(Debug)]
pub struct PendingRecoveryCode {
    pub account: String,
    pub code: RecoveryCode,
    pub issued_at: u64,
    pub reason: IssuedFor,
}

#[derive(Serialize, Deserialize)]
struct StoredRecord {
    account: String,
    code: String,
    issued_at: u64,
    reason: IssuedFor,
}

impl Drop for StoredRecord {
    fn drop(&mut self) {
        self.code.zeroize();
    }
}

/// Keeps rotated recovery codes in the keyring from the moment Auth0 returns them until the
/// person confirms they stored them, so a crash or a closed window never loses one.
///
/// One entry per tenant holds every pending code of that tenant: at start-up the app does
/// not know who will sign in, yet must show a pending code before anything else.
pub struct RecoveryCodeVault<'a> {
    store: &'a dyn SecretStore,
    key: String,
}

impl<'a> RecoveryCodeVault<'a> {
    pub fn new(store: &'a dyn SecretStore, tenant: &str) -> Self {
        Self {
            store,
            key: format!("{tenant}/pending-recovery-codes"),
        }
    }

    /// The codes a helpdesk agent issued for callers and has not yet confirmed as handed
    /// over. Kept apart from the person's own codes: those are shown at start-up to whoever
    /// opens the app, a caller's only to an agent signed in to helpdesk mode.
    pub fn for_helpdesk(store: &'a dyn SecretStore, tenant: &str) -> Self {
        Self {
            store,
            key: format!("{tenant}/helpdesk-pending-recovery-codes"),
        }
    }

    /// The vault for codes issued for `reason`.
    pub fn for_reason(store: &'a dyn SecretStore, tenant: &str, reason: IssuedFor) -> Self {
        match reason {
            IssuedFor::Helpdesk => Self::for_helpdesk(store, tenant),
            IssuedFor::Enrollment | IssuedFor::Recovery => Self::new(store, tenant),
        }
    }

    /// Stores `code` for `account`, replacing any older pending code of that account (which
    /// Auth0 has already invalidated).
    pub fn keep(&self, pending: &PendingRecoveryCode) -> Result<(), StoreError> {
        let mut records = self.load()?;
        records.retain(|r| r.account != pending.account);
        records.push(StoredRecord {
            account: pending.account.clone(),
            code: pending.code.expose().to_owned(),
            issued_at: pending.issued_at,
            reason: pending.reason,
        });
        self.save(&records)
    }

    /// Every code still waiting for confirmation, oldest first.
    pub fn pending(&self) -> Result<Vec<PendingRecoveryCode>, StoreError> {
        Ok(self
            .load()?
            .into_iter()
            .map(|mut r| PendingRecoveryCode {
                account: std::mem::take(&mut r.account),
                code: RecoveryCode::from_server(std::mem::take(&mut r.code)),
                issued_at: r.issued_at,
                reason: r.reason,
            })
            .collect())
    }

    /// The person confirmed they stored the code: forget it.
    pub fn confirm(&self, account: &str) -> Result<(), StoreError> {
        let mut records = self.load()?;
        records.retain(|r| r.account != account);
        self.save(&records)
    }

    fn load(&self) -> Result<Vec<StoredRecord>, StoreError> {
        match self.store.get(&self.key)? {
            None => Ok(Vec::new()),
            Some(json) => serde_json::from_str(json.expose_secret())
                .map_err(|e| StoreError::Corrupt(e.to_string())),
        }
    }

    fn save(&self, records: &[StoredRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return self.store.delete(&self.key);
        }
        let json =
            serde_json::to_string(records).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.store.set(&self.key, &SecretString::from(json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vault_keeps_one_code_per_account_until_confirmed() {
        let store = MemoryStore::default();
        let vault = RecoveryCodeVault::new(&store, "acme.auth0.com");
        let pending = |account: &str, code: &str| PendingRecoveryCode {
            account: account.into(),
            code: RecoveryCode::from_server(code.into()),
            issued_at: 1,
            reason: IssuedFor::Recovery,
        };
        vault.keep(&pending("ana", "AAAA")).unwrap();
        vault.keep(&pending("bo", "BBBB")).unwrap();
        vault.keep(&pending("ana", "CCCC")).unwrap();
        let codes: Vec<_> = vault
            .pending()
            .unwrap()
            .iter()
            .map(|p| p.code.expose().to_owned())
            .collect();
        assert_eq!(codes, ["BBBB", "CCCC"]);
        vault.confirm("bo").unwrap();
        vault.confirm("ana").unwrap();
        assert!(vault.pending().unwrap().is_empty());
        assert!(store
            .get("acme.auth0.com/pending-recovery-codes")
            .unwrap()
            .is_none());
    }

    #[test]
    fn helpdesk_codes_live_apart_from_a_persons_own() {
        let store = MemoryStore::default();
        let code = |c: &str, reason| PendingRecoveryCode {
            account: "ana".into(),
            code: RecoveryCode::from_server(c.into()),
            issued_at: 1,
            reason,
        };
        RecoveryCodeVault::for_reason(&store, "t", IssuedFor::Helpdesk)
            .keep(&code("HHHH", IssuedFor::Helpdesk))
            .unwrap();
        RecoveryCodeVault::for_reason(&store, "t", IssuedFor::Recovery)
            .keep(&code("OWNN", IssuedFor::Recovery))
            .unwrap();
        let own = RecoveryCodeVault::new(&store, "t").pending().unwrap();
        assert_eq!(own[0].code.expose(), "OWNN");
        let issued = RecoveryCodeVault::for_helpdesk(&store, "t")
            .pending()
            .unwrap();
        assert_eq!(issued.len(), 1);
        assert_eq!(issued[0].reason, IssuedFor::Helpdesk);
        assert!(store
            .get("t/helpdesk-pending-recovery-codes")
            .unwrap()
            .is_some());
    }
}
