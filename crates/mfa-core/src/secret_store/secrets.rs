//! The secret store from async code. Keyring calls block (D-Bus round trips on Linux, a
//! prompt on a locked keychain), so each call here runs on tokio's blocking pool
//! (`spawn_blocking`), never on an async worker; call sites hold a cheap handle instead of
//! repeating "clone the store, move it onto a blocking thread" each time.

use std::sync::Arc;

use super::vault::{IssuedFor, PendingRecoveryCode, RecoveryCodeVault, StoredRecord};
use super::{SecretStore, StoreError};
use crate::secret::SecretString;

/// A shared [`SecretStore`] whose methods are async.
#[derive(Clone)]
pub struct Secrets {
    store: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets")
    }
}

impl Secrets {
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self { store }
    }

    /// The blocking store underneath, for code that already runs on a blocking thread.
    pub fn blocking(&self) -> &Arc<dyn SecretStore> {
        &self.store
    }

    pub async fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError> {
        let key = key.to_owned();
        self.run(move |store| store.get(&key)).await
    }

    pub async fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), value.clone());
        self.run(move |store| store.set(&key, &value)).await
    }

    /// Deleting what is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let key = key.to_owned();
        self.run(move |store| store.delete(&key)).await
    }

    /// The recovery-code vault of `tenant` for codes issued for `reason` (see
    /// [`RecoveryCodeVault::for_reason`]).
    pub fn vault(&self, tenant: &str, reason: IssuedFor) -> AsyncVault {
        AsyncVault {
            secrets: self.clone(),
            tenant: tenant.to_owned(),
            reason,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || work(store.as_ref())).await {
            Ok(result) => result,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // Only while the runtime shuts down.
            Err(_) => Err(StoreError::Unavailable(
                "the keyring call was cancelled".into(),
            )),
        }
    }
}

/// [`RecoveryCodeVault`] with async methods.
#[derive(Debug, Clone)]
pub struct AsyncVault {
    secrets: Secrets,
    tenant: String,
    reason: IssuedFor,
}

impl AsyncVault {
    /// See [`RecoveryCodeVault::keep`].
    pub async fn keep(&self, pending: &PendingRecoveryCode) -> Result<(), StoreError> {
        let record = StoredRecord::from(pending);
        self.run(move |vault| vault.keep_record(record)).await
    }

    /// See [`RecoveryCodeVault::pending`].
    pub async fn pending(&self) -> Result<Vec<PendingRecoveryCode>, StoreError> {
        self.run(|vault| vault.pending()).await
    }

    /// See [`RecoveryCodeVault::confirm`].
    pub async fn confirm(&self, account: &str) -> Result<(), StoreError> {
        let account = account.to_owned();
        self.run(move |vault| vault.confirm(&account)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&RecoveryCodeVault<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tenant, reason) = (self.tenant.clone(), self.reason);
        self.secrets
            .run(move |store| work(&RecoveryCodeVault::for_reason(store, &tenant, reason)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::RecoveryCode;
    use crate::secret::{secret, ExposeSecret};
    use crate::secret_store::MemoryStore;

    #[tokio::test]
    async fn the_async_face_reaches_the_same_entries_as_the_blocking_one() {
        let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
        let secrets = Secrets::new(Arc::clone(&store));
        secrets.set("t/ana/x", &secret("s3cret")).await.unwrap();
        let read = store.get("t/ana/x").unwrap().unwrap();
        assert_eq!(read.expose_secret(), "s3cret");
        secrets.delete("t/ana/x").await.unwrap();
        assert!(secrets.get("t/ana/x").await.unwrap().is_none());

        let vault = secrets.vault("t", IssuedFor::Helpdesk);
        let pending = PendingRecoveryCode {
            account: "ana".into(),
            code: RecoveryCode::from_server("HHHH".into()),
            issued_at: 1,
            reason: IssuedFor::Helpdesk,
        };
        vault.keep(&pending).await.unwrap();
        let blocking = RecoveryCodeVault::for_helpdesk(store.as_ref(), "t").pending();
        assert_eq!(blocking.unwrap()[0].code.expose(), "HHHH");
        assert!(secrets
            .vault("t", IssuedFor::Recovery)
            .pending()
            .await
            .unwrap()
            .is_empty());
        vault.confirm("ana").await.unwrap();
        assert!(vault.pending().await.unwrap().is_empty());
    }
}
