//! The recovery-code vault: a rotated code stays in the keyring until the person (or the
//! helpdesk agent who issued it) confirms it was stored or handed over.

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::{SecretStore, StoreError};
use crate::input::RecoveryCode;
use crate::secret::{ExposeSecret, SecretString};

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

/// A pending code as the keyring entry holds it (JSON), zeroized when dropped.
#[derive(Serialize, Deserialize)]
pub(super) struct StoredRecord {
    account: String,
    code: String,
    issued_at: u64,
    reason: IssuedFor,
}

impl From<&PendingRecoveryCode> for StoredRecord {
    fn from(pending: &PendingRecoveryCode) -> Self {
        Self {
            account: pending.account.clone(),
            code: pending.code.expose().to_owned(),
            issued_at: pending.issued_at,
            reason: pending.reason,
        }
    }
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
        self.keep_record(StoredRecord::from(pending))
    }

    pub(super) fn keep_record(&self, record: StoredRecord) -> Result<(), StoreError> {
        let mut records = self.load()?;
        records.retain(|r| r.account != record.account);
        records.push(record);
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
    use crate::secret_store::MemoryStore;

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
