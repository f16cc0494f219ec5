//! The secret store against the real Secret Service (gnome-keyring in a private D-Bus
//! session, started by scripts/test). Each test uses its own service name and cleans up.

use mfa_core::input::RecoveryCode;
use mfa_core::secret::{secret, ExposeSecret};
use mfa_core::secret_store::{
    entry_key, IssuedFor, KeyringStore, PendingRecoveryCode, RecoveryCodeVault, SecretStore,
    StoreError,
};

fn store(test: &str) -> KeyringStore {
    let store = KeyringStore::new(format!("mfa-desk-test-{test}-{}", std::process::id()));
    if let Err(error) = store.get("probe") {
        panic!("no Secret Service ({error}); run the tests through scripts/test");
    }
    store
}

#[test]
fn secrets_round_trip_through_the_os_keyring() {
    let store = store("round-trip");
    let key = entry_key("acme.eu.auth0.com", "ana@example.com", "refresh-token");
    assert!(store.get(&key).unwrap().is_none());
    store.set(&key, &secret("v1.refresh-token-value")).unwrap();
    assert_eq!(
        store.get(&key).unwrap().unwrap().expose_secret(),
        "v1.refresh-token-value"
    );
    store.set(&key, &secret("v2")).unwrap();
    assert_eq!(store.get(&key).unwrap().unwrap().expose_secret(), "v2");
    store.delete(&key).unwrap();
    assert!(store.get(&key).unwrap().is_none());
    store.delete(&key).unwrap(); // deleting what is gone is fine
}

#[test]
fn entries_are_namespaced_by_tenant_and_person() {
    let store = store("namespaces");
    let keys = [
        entry_key("a.auth0.com", "ana", "refresh-token"),
        entry_key("b.auth0.com", "ana", "refresh-token"),
        entry_key("a.auth0.com", "bo", "refresh-token"),
    ];
    for (i, key) in keys.iter().enumerate() {
        store.set(key, &secret(format!("token-{i}"))).unwrap();
    }
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(
            store.get(key).unwrap().unwrap().expose_secret(),
            format!("token-{i}")
        );
        store.delete(key).unwrap();
    }
}

#[test]
fn a_pending_recovery_code_survives_until_confirmed() {
    let store = store("vault");
    let code = "K6LGLV3RSH3VERMKET8L7QKU";
    {
        let vault = RecoveryCodeVault::new(&store, "acme.eu.auth0.com");
        let pending = PendingRecoveryCode {
            account: "ana@example.com".into(),
            code: RecoveryCode::from_server(code.into()),
            issued_at: 1_764_000_000,
            reason: IssuedFor::Recovery,
        };
        vault.keep(&pending).unwrap();
    }
    // A new vault over a new connection, as after a crash and restart.
    let again = KeyringStore::new(format!("mfa-desk-test-vault-{}", std::process::id()));
    let vault = RecoveryCodeVault::new(&again, "acme.eu.auth0.com");
    let pending = vault.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].code.expose(), pending[0].account.as_str()),
        (code, "ana@example.com")
    );
    vault.confirm("ana@example.com").unwrap();
    assert!(vault.pending().unwrap().is_empty());
}

#[test]
fn without_a_secret_service_the_store_says_it_is_unavailable() {
    // Point D-Bus at nothing, as on a machine where no Secret Service runs. (nextest runs
    // each test in its own process, so this does not leak into the other tests.)
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/mfa-desk-test-bus",
    );
    let store = KeyringStore::new("mfa-desk-test-unavailable");
    let error = store.set("x", &secret("never written")).unwrap_err();
    assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
    assert_eq!(error.code().as_str(), "keyring_unavailable");
}
