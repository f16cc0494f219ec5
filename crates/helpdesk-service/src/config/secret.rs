//! The service's client secret: from the file the configuration names, systemd's credentials
//! (`LoadCredential=client_secret:…`, read from `$CREDENTIALS_DIRECTORY`), or the environment,
//! in that order. Never from the TOML file itself (it is often world-readable) and never
//! logged: it is a [`SecretString`] from the moment it is read.

use std::path::{Path, PathBuf};

use mfa_core::secret::SecretString;

/// The environment variable holding the secret (for containers).
pub const SECRET_ENV: &str = "MFA_DESK_HELPDESK_CLIENT_SECRET";
/// The systemd credential's name.
pub const CREDENTIAL_NAME: &str = "client_secret";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretOrigin {
    File(PathBuf),
    SystemdCredential(PathBuf),
    Environment,
}

impl std::fmt::Display for SecretOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "file {}", path.display()),
            Self::SystemdCredential(path) => write!(f, "systemd credential {}", path.display()),
            Self::Environment => write!(f, "environment {SECRET_ENV}"),
        }
    }
}

/// Finds the secret; `env` reads one variable.
pub fn client_secret(
    file: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(SecretString, SecretOrigin), String> {
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map(|text| SecretString::from(text.trim().to_owned()))
            .map_err(|e| format!("cannot read the client secret from {}: {e}", path.display()))
    };
    if let Some(path) = file {
        return Ok((read(path)?, SecretOrigin::File(path.to_owned())));
    }
    if let Some(dir) = env("CREDENTIALS_DIRECTORY") {
        let path = Path::new(&dir).join(CREDENTIAL_NAME);
        if path.exists() {
            return Ok((read(&path)?, SecretOrigin::SystemdCredential(path)));
        }
    }
    match env(SECRET_ENV).filter(|v| !v.trim().is_empty()) {
        Some(value) => Ok((SecretString::from(value), SecretOrigin::Environment)),
        None => Err(format!(
            "no client secret: set auth0.client_secret_file, a systemd credential named \
             {CREDENTIAL_NAME}, or {SECRET_ENV}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_core::secret::ExposeSecret;

    #[test]
    fn a_file_wins_then_systemd_then_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CREDENTIAL_NAME), "from-systemd\n").unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, "from-file\n").unwrap();
        let creds = dir.path().display().to_string();
        let env = |name: &str| match name {
            "CREDENTIALS_DIRECTORY" => Some(creds.clone()),
            SECRET_ENV => Some("from-env".to_owned()),
            _ => None,
        };
        let (secret, origin) = client_secret(Some(&file), env).unwrap();
        assert_eq!(
            (secret.expose_secret(), origin),
            ("from-file", SecretOrigin::File(file))
        );
        let (secret, _) = client_secret(None, env).unwrap();
        assert_eq!(secret.expose_secret(), "from-systemd");
        let (secret, origin) =
            client_secret(None, |n| (n == SECRET_ENV).then(|| "from-env".into())).unwrap();
        assert_eq!(
            (secret.expose_secret(), origin),
            ("from-env", SecretOrigin::Environment)
        );
        assert!(client_secret(None, |_| None).is_err());
        // Debug output never shows it.
        assert!(!format!("{secret:?}").contains("from-env"));
    }
}
