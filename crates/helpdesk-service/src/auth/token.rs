//! Checking an agent's access token: RS256 with a key from the tenant's JWKS, `iss`, `aud`,
//! `exp` and `nbf` (jsonwebtoken's validation), then the helpdesk's own demands: the MFA claim
//! IT's post-login Action sets (§S1.6, §S6), a sign-in no older than IT's limit, and the
//! permission each endpoint needs (§S1.3). The agent is the token's `sub`, never a name the
//! client sends.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use mfa_core::ErrorCode;
use serde::Deserialize;
use serde_json::Value;

use super::{Jwks, Permission};
use crate::config::Config;

/// Clock difference tolerated between the tenant and the service.
const LEEWAY_SECS: u64 = 30;

/// An authenticated agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// The token's `sub` (`auth0|…`): who the audit names.
    pub sub: String,
    /// From IT's claim, or read from Auth0 for this `sub`.
    pub email: Option<String>,
    pub permissions: Vec<String>,
}

impl Agent {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("the token is not valid for this service")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("the sign-in did not include MFA")]
    NoMfa,
    #[error("the sign-in is older than allowed")]
    StaleSignIn,
    #[error("the agent lacks {0:?}")]
    Permission(Permission),
    #[error("the tenant's signing keys could not be fetched")]
    KeysUnavailable,
}

impl AuthError {
    pub fn code(self) -> ErrorCode {
        match self {
            Self::Missing => ErrorCode::AgentTokenMissing,
            Self::Invalid => ErrorCode::AgentTokenInvalid,
            Self::Expired => ErrorCode::AgentTokenExpired,
            Self::NoMfa => ErrorCode::AgentMfaMissing,
            Self::StaleSignIn => ErrorCode::AgentSignInTooOld,
            Self::Permission(_) => ErrorCode::AgentPermissionMissing,
            Self::KeysUnavailable => ErrorCode::ServerError,
        }
    }

    /// 401 asks the client to sign in again; 403 says signing in again will not help.
    pub fn status(self) -> u16 {
        match self {
            Self::Missing | Self::Invalid | Self::Expired | Self::StaleSignIn => 401,
            Self::NoMfa | Self::Permission(_) => 403,
            Self::KeysUnavailable => 503,
        }
    }
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    iat: Option<u64>,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(flatten)]
    extra: HashMap<String, Value>,
}

pub struct Authenticator {
    jwks: Jwks,
    validation: Validation,
    mfa_claim: String,
    auth_time_claim: String,
    email_claim: String,
    max_age: Duration,
}

impl Authenticator {
    pub fn new(config: &Config, jwks: Jwks) -> Self {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[config.auth0.issuer()]);
        validation.set_audience(std::slice::from_ref(&config.auth0.audience));
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        Self {
            jwks,
            validation,
            mfa_claim: config.agents.mfa_claim.clone(),
            auth_time_claim: config.agents.auth_time_claim.clone(),
            email_claim: config.agents.email_claim.clone(),
            max_age: Duration::from_secs(config.agents.max_sign_in_age_secs),
        }
    }

    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }

    /// The agent an `Authorization` header value proves, or why not.
    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<Agent, AuthError> {
        let token = authorization
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        let header = decode_header(token).map_err(|_| AuthError::Invalid)?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::Invalid);
        }
        let kid = header.kid.ok_or(AuthError::Invalid)?;
        let key = self
            .jwks
            .key(&kid)
            .await
            .map_err(|_| AuthError::KeysUnavailable)?
            // A key the tenant no longer lists (rotated out and revoked) or never did.
            .ok_or(AuthError::Invalid)?;
        let claims = decode::<Claims>(token, &key, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                _ => AuthError::Invalid,
            })?
            .claims;
        let mfa = claims.extra.get(&self.mfa_claim).is_some_and(|v| match v {
            Value::Array(items) => items.iter().any(|i| i == "mfa"),
            Value::String(text) => text == "mfa",
            _ => false,
        });
        if !mfa {
            return Err(AuthError::NoMfa);
        }
        let signed_in = claims
            .extra
            .get(&self.auth_time_claim)
            .and_then(Value::as_u64)
            .or(claims.iat)
            .ok_or(AuthError::StaleSignIn)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        if now.saturating_sub(signed_in) > self.max_age.as_secs() {
            return Err(AuthError::StaleSignIn);
        }
        let email = claims
            .extra
            .get(&self.email_claim)
            .and_then(Value::as_str)
            .map(str::to_lowercase);
        Ok(Agent {
            sub: claims.sub,
            email,
            permissions: claims.permissions,
        })
    }
}
