//! Where the helpdesk application's client secret comes from: the environment variable
//! `MFA_DESK_ADMIN_SECRET` (for scripts), else the OS keyring entry
//! `mfa-desk` / `<domain>/helpdesk-client-secret`. Never a command-line argument (visible to
//! every user in the process list) and never a file in a repository.

use crate::error::ErrorCode;
use crate::secret::ClientSecret;
use crate::secret_store::{SecretStore, StoreError};

/// The environment variable scripts set to the helpdesk client secret.
pub const SECRET_ENV: &str = "MFA_DESK_ADMIN_SECRET";

/// The keyring entry (under service [`crate::secret_store::SERVICE`]) for `domain`.
pub fn keyring_entry(domain: &str) -> String {
    format!("{domain}/helpdesk-client-secret")
}

/// Where the secret was found, to tell the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    Environment,
    Keyring,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("no client secret: set {SECRET_ENV} or store it in the keyring (service mfa-desk, entry {entry})")]
    Missing { entry: String },
    #[error("no client secret in {SECRET_ENV}, and the keyring could not be read: {0}")]
    Keyring(StoreError),
}

impl CredentialError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Missing { .. } => ErrorCode::HelpdeskSecretMissing,
            Self::Keyring(e) => e.code(),
        }
    }
}

/// Finds the secret: `from_env` (the value of [`SECRET_ENV`], when set and not blank) wins,
/// else the keyring. The keyring call blocks; call it from a blocking context.
pub fn client_secret(
    domain: &str,
    from_env: Option<String>,
    store: &dyn SecretStore,
) -> Result<(ClientSecret, SecretSource), CredentialError> {
    if let Some(value) = from_env.filter(|v| !v.trim().is_empty()) {
        return Ok((ClientSecret::from(value), SecretSource::Environment));
    }
    let entry = keyring_entry(domain);
    match store.get(&entry) {
        Ok(Some(secret)) => Ok((secret.into(), SecretSource::Keyring)),
        Ok(None) => Err(CredentialError::Missing { entry }),
        Err(e) => Err(CredentialError::Keyring(e)),
    }
}

/// [`client_secret`] with the process environment.
pub fn client_secret_from_env_or(
    domain: &str,
    store: &dyn SecretStore,
) -> Result<(ClientSecret, SecretSource), CredentialError> {
    client_secret(domain, std::env::var(SECRET_ENV).ok(), store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{ExposeSecret, SecretString};
    use crate::secret_store::MemoryStore;

    #[test]
    fn the_environment_wins_then_the_keyring() {
        let store = MemoryStore::default();
        let missing = client_secret("acme.auth0.com", Some("  ".into()), &store).unwrap_err();
        assert_eq!(
            missing,
            CredentialError::Missing {
                entry: "acme.auth0.com/helpdesk-client-secret".into()
            }
        );
        store
            .set(
                "acme.auth0.com/helpdesk-client-secret",
                &SecretString::from("from-keyring"),
            )
            .unwrap();
        let (secret, source) = client_secret("acme.auth0.com", None, &store).unwrap();
        assert_eq!(
            (secret.expose_secret(), source),
            ("from-keyring", SecretSource::Keyring)
        );
        let (secret, source) = client_secret("acme.auth0.com", Some("env".into()), &store).unwrap();
        assert_eq!(
            (secret.expose_secret(), source),
            ("env", SecretSource::Environment)
        );
    }
}
