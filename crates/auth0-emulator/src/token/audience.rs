//! What an access token for an audience carries: whether the audience
//! exists, its `aud` form, lifetime and dialect, and the scope and
//! `permissions` RBAC allows (§S1.1-S1.3).

use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::{ResourceServer, TokenDialect};

/// OpenID Connect scopes: never cut by RBAC, they sit beside an API's
/// permissions in `scope` (§S1.2, "OIDC scopes sit alongside").
const OIDC_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
    "name",
    "given_name",
    "family_name",
    "nickname",
    "email_verified",
    "picture",
    "created_at",
    "identities",
];

/// The `aud` claim: a string, or `[api, userinfo]` when `openid` was asked (§S1.2).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// The access-token terms of one grant for one audience.
#[derive(Debug, Clone)]
pub struct Terms {
    pub aud: Audience,
    pub scope: String,
    /// `Some` only under `*_authz` dialects with RBAC on.
    pub permissions: Option<Vec<String>>,
    pub lifetime_secs: u64,
    pub dialect: TokenDialect,
}

fn join(scopes: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = scopes.into_iter().map(|s| s.as_ref().to_owned()).collect();
    v.join(" ")
}

impl State {
    /// `<base_url>/userinfo`: the default audience of user sign-ins.
    pub fn userinfo_audience(&self) -> String {
        format!("{}/userinfo", self.base_url)
    }

    /// Every API identifier the tenant knows: its own (MFA, Management,
    /// userinfo), the custom APIs, and every audience a client grant names. The
    /// My Account API is one only while activated, whatever grants name it (§S5.1).
    pub fn is_resource_server(&self, audience: &str) -> bool {
        if audience == self.my_account_audience() {
            return self.tenant.settings.my_account_api;
        }
        audience == self.management_audience()
            || audience == self.mfa_audience()
            || audience == self.userinfo_audience()
            || self.tenant.api(audience).is_some()
            || self.tenant.clients.iter().any(|c| {
                c.client_grants
                    .iter()
                    .any(|g| g.resolved_audience(&self.base_url) == audience)
            })
    }

    /// §S1.1: an audience no API has. The status on `/oauth/token` is
    /// UNCONFIRMED (403 likely), the wording seen in many SDK issues.
    pub fn check_audience(&self, audience: &str) -> ApiResult<()> {
        if self.is_resource_server(audience) {
            return Ok(());
        }
        Err(ApiError::new(
            403,
            "access_denied",
            format!("Service not found: {audience}"),
        ))
    }

    /// Everything user `user_id` holds on `api`: role permissions, then
    /// direct ones, each once, in declaration order (§S1.3).
    pub fn user_permissions(&self, user_id: &str, api: &ResourceServer) -> Vec<String> {
        let Some(ui) = self.user_index(user_id) else {
            return Vec::new();
        };
        let user = &self.users[ui];
        let from_roles = user
            .roles
            .iter()
            .filter_map(|r| self.tenant.role(r))
            .flat_map(|r| r.permissions.iter());
        let mut names: Vec<String> = Vec::new();
        for p in from_roles.chain(user.permissions.iter()) {
            if p.resource_server_identifier == api.identifier && !names.contains(&p.permission_name)
            {
                names.push(p.permission_name.clone());
            }
        }
        names
    }

    /// The terms of a user token (§S1.3 scope rule). With RBAC on the scope
    /// is requested ∩ assigned, else requested ∩ defined; OIDC scopes stay.
    /// ASSUMPTION (§S1.3 "client grant" intersection): user flows need no
    /// client grant (the policy `allow_all`, Auth0's default for user access).
    pub fn user_terms(&self, user_id: &str, audience: &str, requested: &str) -> Terms {
        let settings = &self.tenant.settings;
        let Some(api) = self.tenant.api(audience) else {
            let lifetime_secs = if audience == self.mfa_audience() {
                settings.mfa_access_token_ttl_secs
            } else {
                settings.access_token_ttl_secs
            };
            return Terms {
                aud: Audience::One(audience.to_owned()),
                scope: join(requested.split_whitespace()),
                permissions: None,
                lifetime_secs,
                dialect: TokenDialect::AccessToken,
            };
        };
        let assigned = self.user_permissions(user_id, api);
        let allowed = |s: &str| {
            if api.enforce_policies {
                assigned.iter().any(|a| a == s)
            } else {
                api.scopes.iter().any(|a| a == s)
            }
        };
        // ASSUMPTION: `offline_access` is dropped when the API does not allow it.
        let keep = |s: &&str| {
            if *s == "offline_access" {
                api.allow_offline_access
            } else {
                OIDC_SCOPES.contains(s) || allowed(s)
            }
        };
        let scopes: Vec<&str> = requested.split_whitespace().filter(keep).collect();
        let aud = if scopes.contains(&"openid") {
            Audience::Many(vec![api.identifier.clone(), self.userinfo_audience()])
        } else {
            Audience::One(api.identifier.clone())
        };
        Terms {
            aud,
            scope: join(&scopes),
            permissions: (api.enforce_policies && api.token_dialect.adds_permissions())
                .then_some(assigned),
            lifetime_secs: api.token_lifetime,
            dialect: api.token_dialect,
        }
    }

    /// The terms of a client-credentials token for a granted scope. What
    /// `permissions` holds here is UNCONFIRMED (§S1.3); the spec's guess,
    /// the client grant's scopes, is what the emulator sends.
    pub fn client_terms(&self, audience: &str, scope: &str) -> Terms {
        let api = self.tenant.api(audience);
        Terms {
            aud: Audience::One(audience.to_owned()),
            scope: scope.to_owned(),
            permissions: api
                .filter(|a| a.enforce_policies && a.token_dialect.adds_permissions())
                .map(|_| scope.split_whitespace().map(str::to_owned).collect()),
            lifetime_secs: api.map_or(self.tenant.settings.access_token_ttl_secs, |a| {
                a.token_lifetime
            }),
            dialect: api.map_or(TokenDialect::AccessToken, |a| a.token_dialect),
        }
    }
}
