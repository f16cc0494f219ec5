//! Minting what the token endpoint hands out: mfa_tokens (and checking them
//! when they come back), access, ID and refresh tokens.

use serde::Serialize;

use crate::errors::{ApiError, ApiResult, INVALID_MFA_TOKEN};
use crate::ids;
use crate::state::State;
use crate::tokens::{AccessTokenRec, MfaTokenRec, RefreshRec};
use crate::wire::TokenResponse;

/// Claims of an access token.
#[derive(Serialize)]
pub struct AccessClaims<'a> {
    pub iss: &'a str,
    pub sub: &'a str,
    pub aud: &'a str,
    pub scope: &'a str,
    pub iat: u64,
    pub exp: u64,
    pub azp: &'a str,
    /// `client-credentials` on M2M tokens, as Auth0 marks them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gty: Option<&'a str>,
}

/// Claims of an ID token.
#[derive(Serialize)]
struct IdClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    email: &'a str,
    email_verified: bool,
}

impl State {
    /// `<base_url>/`: the `iss` claim.
    pub fn issuer(&self) -> String {
        format!("{}/", self.base_url)
    }

    pub fn mint_mfa_token(
        &mut self,
        client_id: &str,
        user_id: &str,
        audience: &str,
        scope: &str,
    ) -> String {
        let expires_ms = self.clock.now_ms() + self.tenant.settings.mfa_token_ttl_secs * 1000;
        self.tokens.mint_mfa_token(MfaTokenRec {
            client_id: client_id.into(),
            user_id: user_id.into(),
            audience: audience.into(),
            scope: scope.into(),
            expires_ms,
        })
    }

    /// Validates an mfa_token presented in a body (token grants, /mfa/challenge).
    pub fn check_mfa_token(&self, token: Option<&str>, client_id: &str) -> ApiResult<MfaTokenRec> {
        let s = &self.tenant.settings;
        let invalid = || {
            ApiError::new(
                s.invalid_mfa_token_status,
                "invalid_grant",
                INVALID_MFA_TOKEN,
            )
        };
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::missing("mfa_token"))?;
        if !ids::is_fe26_shaped(token) {
            return Err(ApiError::new(
                s.invalid_mfa_token_status,
                "invalid_grant",
                "Malformed mfa_token",
            ));
        }
        let rec = self.tokens.mfa_tokens.get(token).ok_or_else(invalid)?;
        if rec.client_id != client_id {
            return Err(ApiError::new(
                400,
                "invalid_request",
                "mfa_token not issued to this client",
            ));
        }
        if rec.expires_ms <= self.clock.now_ms() {
            return Err(ApiError::new(
                s.expired_token_status,
                "expired_token",
                "mfa_token is expired",
            ));
        }
        if self.user_index(&rec.user_id).is_none() {
            return Err(invalid());
        }
        Ok(rec.clone())
    }

    /// A JWT-shaped access token, remembered so bearer checks can find it.
    pub fn mint_access_token(&mut self, claims: &AccessClaims<'_>) -> String {
        let token = ids::jwt(claims);
        self.tokens.remember_access_token(
            &token,
            AccessTokenRec {
                user_id: claims.sub.into(),
                client_id: claims.azp.into(),
                audience: claims.aud.into(),
                scope: claims.scope.into(),
                expires_ms: claims.exp * 1000,
            },
        );
        token
    }

    /// The 200 body of a successful user token request.
    pub fn issue_tokens(
        &mut self,
        user_id: &str,
        client_id: &str,
        audience: &str,
        scope: &str,
        with_refresh: bool,
    ) -> TokenResponse {
        let now = self.clock.now_secs();
        let ttl = if audience == self.mfa_audience() {
            self.tenant.settings.mfa_access_token_ttl_secs
        } else {
            self.tenant.settings.access_token_ttl_secs
        };
        let iss = self.issuer();
        let access_token = self.mint_access_token(&AccessClaims {
            iss: &iss,
            sub: user_id,
            aud: audience,
            scope,
            iat: now,
            exp: now + ttl,
            azp: client_id,
            gty: None,
        });
        let scopes: Vec<&str> = scope.split_whitespace().collect();
        let id_token = scopes.contains(&"openid").then(|| {
            let email = self
                .user_index(user_id)
                .map(|i| self.users[i].email.clone())
                .unwrap_or_default();
            let token = ids::jwt(&IdClaims {
                iss: &iss,
                sub: user_id,
                aud: client_id,
                iat: now,
                exp: now + 36_000,
                email: &email,
                email_verified: true,
            });
            self.tokens.id_tokens.push(token.clone());
            token
        });
        let refresh_token = (with_refresh && scopes.contains(&"offline_access")).then(|| {
            let rt = ids::refresh_token();
            self.tokens.refresh_tokens.insert(
                rt.clone(),
                RefreshRec {
                    user_id: user_id.into(),
                    client_id: client_id.into(),
                    audience: audience.into(),
                    scope: scope.into(),
                },
            );
            rt
        });
        TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ttl,
            scope: scope.into(),
            id_token,
            refresh_token,
            recovery_code: None,
        }
    }
}
