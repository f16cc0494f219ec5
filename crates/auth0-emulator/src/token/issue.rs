//! Minting what the token endpoint hands out: mfa_tokens (and checking them
//! when they come back), RS256 access and ID tokens (§S1.2, §S1.6, §S6) and
//! refresh tokens.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::audience::{Audience, Terms};
use crate::errors::{ApiError, ApiResult, INVALID_MFA_TOKEN};
use crate::ids;
use crate::state::State;
use crate::tokens::{AccessTokenRec, MfaTokenRec, RefreshRec, SignIn};
use crate::wire::TokenResponse;

/// `acr` after MFA (§S1.6).
pub const MFA_ACR: &str = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

/// Claims of an access token (§S1.2): the Auth0 profile, or RFC 9068's
/// (`client_id` and `jti` instead of `azp`).
#[derive(Serialize)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    pub iat: u64,
    pub exp: u64,
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// Only for client credentials, password and refresh (§S1.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gty: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    /// Namespaced claims a post-login Action adds.
    #[serde(flatten)]
    pub custom: BTreeMap<String, Value>,
}

/// Claims of an ID token (§S6: lifetime 10 h, `aud` the client).
#[derive(Serialize)]
struct IdClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    email: &'a str,
    email_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amr: Option<[&'static str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acr: Option<&'static str>,
}

/// One user token request's outcome, before minting.
pub struct UserGrant<'a> {
    pub user_id: &'a str,
    pub client_id: &'a str,
    pub audience: &'a str,
    pub scope: &'a str,
    pub gty: Option<&'static str>,
    /// `None` on refresh (and CIBA): no `auth_time`, `amr` or Action claim.
    pub sign_in: Option<&'a SignIn>,
    pub with_refresh: bool,
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
        let auth_time = self.clock.now_secs();
        self.tokens.mint_mfa_token(MfaTokenRec {
            client_id: client_id.into(),
            user_id: user_id.into(),
            audience: audience.into(),
            scope: scope.into(),
            expires_ms,
            auth_time,
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

    /// An RS256 access token signed with the current key, remembered so
    /// the emulator's own APIs recognise it as a bearer.
    pub fn mint_access_token(&mut self, claims: &AccessClaims, rfc9068: bool) -> String {
        let typ = if rfc9068 { "at+jwt" } else { "JWT" };
        let token = self.keys.current.sign(typ, claims);
        let audience = match &claims.aud {
            Audience::One(a) => a.clone(),
            Audience::Many(all) => all[0].clone(),
        };
        let client_id = claims.azp.as_ref().or(claims.client_id.as_ref());
        self.tokens.remember_access_token(
            &token,
            AccessTokenRec {
                user_id: claims.sub.clone(),
                client_id: client_id.cloned().unwrap_or_default(),
                audience,
                scope: claims.scope.clone(),
                expires_ms: claims.exp * 1000,
            },
        );
        token
    }

    /// Access-token claims under `terms` (azp/client_id per dialect).
    pub fn access_claims(&self, sub: &str, client_id: &str, terms: &Terms) -> AccessClaims {
        let now = self.clock.now_secs();
        let rfc = terms.dialect.is_rfc9068();
        AccessClaims {
            iss: self.issuer(),
            sub: sub.to_owned(),
            aud: terms.aud.clone(),
            iat: now,
            exp: now + terms.lifetime_secs,
            scope: terms.scope.clone(),
            azp: (!rfc).then(|| client_id.to_owned()),
            client_id: rfc.then(|| client_id.to_owned()),
            jti: rfc.then(|| ids::alnum(24)),
            gty: None,
            permissions: terms.permissions.clone(),
            custom: BTreeMap::new(),
        }
    }

    /// The post-login Action (§S1.6, `packaging/auth0/`) requires MFA for
    /// every sign-in to its API, whatever the tenant's MFA policy.
    pub fn action_requires_mfa(&self, audience: &str) -> bool {
        self.tenant
            .mfa_claim_action
            .as_ref()
            .is_some_and(|a| a.audience == audience)
    }

    /// The post-login Action rule (§S1.6, `packaging/auth0/`): its claim on
    /// tokens for its API from a sign-in that passed MFA in this transaction.
    fn action_claims(&self, audience: &str, sign_in: Option<&SignIn>) -> BTreeMap<String, Value> {
        let mut custom = BTreeMap::new();
        if let Some(action) = &self.tenant.mfa_claim_action {
            if action.audience == audience && sign_in.is_some_and(|s| s.mfa) {
                custom.insert(action.claim.clone(), Value::from(vec!["mfa"]));
            }
        }
        custom
    }

    /// The 200 body of a successful user token request.
    pub fn issue_tokens(&mut self, g: UserGrant<'_>) -> TokenResponse {
        let mut terms = self.user_terms(g.user_id, g.audience, g.scope);
        if g.audience == self.my_account_audience() {
            terms.scope = self.my_account_scope(g.client_id, &terms.scope);
        }
        let mut claims = self.access_claims(g.user_id, g.client_id, &terms);
        claims.gty = g.gty;
        claims.custom = self.action_claims(g.audience, g.sign_in);
        let access_token = self.mint_access_token(&claims, terms.dialect.is_rfc9068());
        let scopes: Vec<&str> = terms.scope.split_whitespace().collect();
        let id_token = scopes
            .contains(&"openid")
            .then(|| self.mint_id_token(g.user_id, g.client_id, g.sign_in));
        let refresh_token = (g.with_refresh && scopes.contains(&"offline_access"))
            .then(|| self.mint_refresh_token(&g, &terms.scope));
        TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: terms.lifetime_secs,
            scope: terms.scope,
            id_token,
            refresh_token,
            recovery_code: None,
        }
    }

    fn mint_id_token(
        &mut self,
        user_id: &str,
        client_id: &str,
        sign_in: Option<&SignIn>,
    ) -> String {
        let now = self.clock.now_secs();
        let iss = self.issuer();
        let email = self
            .user_index(user_id)
            .map(|i| self.users[i].email.clone())
            .unwrap_or_default();
        // §S1.6/§S6: amr and acr only after MFA on the hosted pages in this
        // very transaction; never through the MFA API, never on refresh.
        let hosted_mfa = sign_in.is_some_and(|s| s.mfa && !s.mfa_via_api);
        let claims = IdClaims {
            iss: &iss,
            sub: user_id,
            aud: client_id,
            iat: now,
            exp: now + 36_000,
            email: &email,
            email_verified: true,
            auth_time: sign_in.map(|s| s.auth_time),
            nonce: sign_in.and_then(|s| s.nonce.as_deref()),
            sid: sign_in.and_then(|s| s.session_id.as_deref()),
            amr: hosted_mfa.then_some(["mfa"]),
            acr: hosted_mfa.then_some(MFA_ACR),
        };
        let token = self.keys.current.sign("JWT", &claims);
        self.tokens.id_tokens.push(token.clone());
        token
    }

    fn mint_refresh_token(&mut self, g: &UserGrant<'_>, scope: &str) -> String {
        let rt = ids::refresh_token();
        let rec = RefreshRec {
            id: ids::alnum(24),
            user_id: g.user_id.into(),
            client_id: g.client_id.into(),
            audience: g.audience.into(),
            scope: scope.into(),
            created_ms: self.clock.now_ms(),
            session_id: g.sign_in.and_then(|s| s.session_id.clone()),
            last_exchanged_ms: None,
        };
        self.tokens.refresh_tokens.insert(rt.clone(), rec);
        rt
    }
}
