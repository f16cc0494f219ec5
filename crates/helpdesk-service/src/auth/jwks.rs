//! The tenant's signing keys (`/.well-known/jwks.json`, §S1.4), cached for a few minutes and
//! fetched again once when a token names a key the cache does not hold (Auth0 rotates keys;
//! the JWKS always lists the current and the next key). Refetches for unknown kids are spaced
//! out, so a stream of tokens with made-up kids cannot hammer the tenant; when a refetch fails
//! the keys already held keep serving (`stale-if-error`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use serde::Deserialize;
use tokio::sync::RwLock;

/// The least time between two fetches triggered by unknown kids.
const UNKNOWN_KID_SPACING: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kid: Option<String>,
    kty: String,
    #[serde(default)]
    alg: Option<String>,
    #[serde(rename = "use", default)]
    usage: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

struct Cached {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
}

pub struct Jwks {
    http: reqwest::Client,
    url: String,
    ttl: Duration,
    cache: RwLock<Cached>,
}

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("the JWKS could not be fetched: {0}")]
    Fetch(String),
}

impl Jwks {
    pub fn new(http: reqwest::Client, tenant_url: &str, ttl: Duration) -> Self {
        Self {
            http,
            url: format!("{}/.well-known/jwks.json", tenant_url.trim_end_matches('/')),
            ttl,
            cache: RwLock::new(Cached {
                keys: HashMap::new(),
                fetched_at: None,
                last_attempt: None,
            }),
        }
    }

    /// The key for `kid`, or `None` when the tenant does not list it (even after a refetch).
    pub async fn key(&self, kid: &str) -> Result<Option<DecodingKey>, JwksError> {
        {
            let cache = self.cache.read().await;
            let fresh = cache.fetched_at.is_some_and(|at| at.elapsed() < self.ttl);
            if fresh {
                if let Some(key) = cache.keys.get(kid) {
                    return Ok(Some(key.clone()));
                }
            }
        }
        let mut cache = self.cache.write().await;
        let fresh = cache.fetched_at.is_some_and(|at| at.elapsed() < self.ttl);
        if fresh {
            if let Some(key) = cache.keys.get(kid) {
                return Ok(Some(key.clone()));
            }
            // An unknown kid with a fresh cache: refetch, but not more often than the spacing.
            if cache
                .last_attempt
                .is_some_and(|at| at.elapsed() < UNKNOWN_KID_SPACING)
            {
                return Ok(None);
            }
        }
        cache.last_attempt = Some(Instant::now());
        match crate::ops::timing::upstream(self.fetch()).await {
            Ok(keys) => {
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
            }
            // Keep serving what we had while the tenant is unreachable.
            Err(e) if !cache.keys.is_empty() => {
                tracing::warn!(error = %e, "JWKS refetch failed; keeping the cached keys");
            }
            Err(e) => return Err(e),
        }
        Ok(cache.keys.get(kid).cloned())
    }

    /// Whether the JWKS can be fetched now (for `/readyz`); refreshes the cache.
    pub async fn reachable(&self) -> bool {
        match self.fetch().await {
            Ok(keys) => {
                let mut cache = self.cache.write().await;
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
                true
            }
            Err(_) => false,
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, JwksError> {
        let fail = |e: reqwest::Error| JwksError::Fetch(e.without_url().to_string());
        let response = self.http.get(&self.url).send().await.map_err(fail)?;
        if !response.status().is_success() {
            return Err(JwksError::Fetch(format!("HTTP {}", response.status())));
        }
        let set: JwkSet = response.json().await.map_err(fail)?;
        let mut keys = HashMap::new();
        for jwk in set.keys {
            // RSA signing keys only; `alg` may be omitted (§S1.4) but, when present, is RS256.
            let usable = jwk.kty == "RSA"
                && jwk.usage.as_deref().is_none_or(|u| u == "sig")
                && jwk.alg.as_deref().is_none_or(|a| a == "RS256");
            if let (true, Some(kid), Some(n), Some(e)) = (usable, jwk.kid, jwk.n, jwk.e) {
                if let Ok(key) = DecodingKey::from_rsa_components(&n, &e) {
                    keys.insert(kid, key);
                }
            }
        }
        Ok(keys)
    }
}
