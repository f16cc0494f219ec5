//! The signed-in agent: the access token for the helpdesk API, kept in the OS keyring until
//! it expires, and what its claims say (who, which permissions, until when). The claims are
//! read without checking the signature: they only word what the client shows; the service
//! checks the token on every request.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::secret::{secret, AccessToken, ExposeSecret, SecretString};
use crate::secret_store::{entry_key, SecretStore, StoreError};

/// The keyring entry's last part: `<service url>/agent/helpdesk-session`.
pub const SESSION_ENTRY: &str = "helpdesk-session";

/// What the token says about the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentClaims {
    /// `auth0|…`: who the service's audit names.
    pub sub: String,
    /// From the ID token of the sign-in, or a namespaced `…/email` claim.
    pub email: Option<String>,
    /// `helpdesk:read`, `helpdesk:act`, `helpdesk:reset`, `helpdesk:approve`.
    pub permissions: Vec<String>,
    /// Unix seconds after which the service refuses the token.
    pub expires_at: u64,
}

/// An agent's sign-in to the helpdesk service.
#[derive(Debug, Clone)]
pub struct AgentSession {
    pub token: AccessToken,
    pub claims: AgentClaims,
}

/// What the keyring entry holds (as one secret text).
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default)]
    email: Option<String>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The JSON payload of a JWT (unverified).
fn payload(jwt: &str) -> Option<Value> {
    let middle = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(middle.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl AgentSession {
    /// A session from a fresh sign-in: the access token and the ID token's email, if any.
    /// `None` when the token is not a JWT with `sub` and `exp`.
    pub fn from_tokens(token: AccessToken, id_token_email: Option<String>) -> Option<Self> {
        let claims = payload(token.expose_secret())?;
        let sub = claims.get("sub")?.as_str()?.to_owned();
        let expires_at = claims.get("exp")?.as_u64()?;
        let permissions = claims
            .get("permissions")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let email = id_token_email.or_else(|| {
            claims.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.as_str() == "email" || k.ends_with("/email"))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_owned)
            })
        });
        Some(Self {
            token,
            claims: AgentClaims {
                sub,
                email,
                permissions,
                expires_at,
            },
        })
    }

    /// The `email` of an ID token (unverified; for display).
    pub fn id_token_email(id_token: &str) -> Option<String> {
        payload(id_token)?.get("email")?.as_str().map(str::to_owned)
    }

    pub fn expired(&self) -> bool {
        now() >= self.claims.expires_at
    }

    pub fn has(&self, permission: &str) -> bool {
        self.claims.permissions.iter().any(|p| p == permission)
    }

    /// The entry for the agent's session with the service at `service_url`.
    pub fn entry(service_url: &str) -> String {
        entry_key(service_url.trim_end_matches('/'), "agent", SESSION_ENTRY)
    }

    /// Keeps the session for the service at `service_url`.
    pub fn save(&self, store: &dyn SecretStore, service_url: &str) -> Result<(), StoreError> {
        let stored = Stored {
            access_token: self.token.expose_secret().to_owned(),
            email: self.claims.email.clone(),
        };
        let text =
            serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        store.set(&Self::entry(service_url), &SecretString::from(text))
    }

    /// The kept session, unless there is none or it has expired (an expired one is deleted).
    pub fn load(store: &dyn SecretStore, service_url: &str) -> Result<Option<Self>, StoreError> {
        let entry = Self::entry(service_url);
        let Some(text) = store.get(&entry)? else {
            return Ok(None);
        };
        let stored: Stored = serde_json::from_str(text.expose_secret())
            .map_err(|_| StoreError::Corrupt("not a helpdesk session".into()))?;
        let session = Self::from_tokens(secret(stored.access_token), stored.email)
            .ok_or_else(|| StoreError::Corrupt("not an access token".into()))?;
        if session.expired() {
            store.delete(&entry)?;
            return Ok(None);
        }
        Ok(Some(session))
    }

    /// Forgets the session kept for `service_url`.
    pub fn forget(store: &dyn SecretStore, service_url: &str) -> Result<(), StoreError> {
        store.delete(&Self::entry(service_url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_store::MemoryStore;

    fn jwt(claims: Value) -> String {
        let b64 = |v: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
        };
        format!(
            "{}.{}.sig",
            b64(&serde_json::json!({"alg": "RS256"})),
            b64(&claims)
        )
    }

    #[test]
    fn a_session_keeps_until_it_expires_and_reads_its_claims() {
        let store = MemoryStore::default();
        let url = "https://helpdesk.acme.example";
        let token = jwt(serde_json::json!({
            "sub": "auth0|a1", "exp": now() + 600,
            "permissions": ["helpdesk:read", "helpdesk:act"],
            "https://helpdesk.acme.example/email": "ana@acme.example"
        }));
        let session = AgentSession::from_tokens(secret(token), None).unwrap();
        assert_eq!(session.claims.email.as_deref(), Some("ana@acme.example"));
        assert!(session.has("helpdesk:act") && !session.has("helpdesk:approve"));
        session.save(&store, url).unwrap();
        let loaded = AgentSession::load(&store, &format!("{url}/"))
            .unwrap()
            .unwrap();
        assert_eq!(loaded.claims, session.claims);

        let old = jwt(serde_json::json!({"sub": "auth0|a1", "exp": now() - 1}));
        AgentSession::from_tokens(secret(old), Some("ana@acme.example".into()))
            .unwrap()
            .save(&store, url)
            .unwrap();
        assert!(AgentSession::load(&store, url).unwrap().is_none());
        assert!(
            store.get(&AgentSession::entry(url)).unwrap().is_none(),
            "deleted"
        );
        assert!(AgentSession::from_tokens(secret("opaque"), None).is_none());
    }
}
