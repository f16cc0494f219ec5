//! The `client_credentials` grant: machine-to-machine tokens for the APIs a
//! client has a client grant for, the Management API above all (spec §12.1,
//! §12.3, §7.3).

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::token::{AccessClaims, TokenRequest};
use crate::wire::TokenResponse;

impl State {
    /// Every API identifier the tenant knows: its own two and every audience
    /// some client has a grant for.
    fn is_resource_server(&self, audience: &str) -> bool {
        audience == self.management_audience()
            || audience == self.mfa_audience()
            || self.tenant.clients.iter().any(|c| {
                c.client_grants
                    .iter()
                    .any(|g| g.resolved_audience(&self.base_url) == audience)
            })
    }

    pub(super) fn client_credentials_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        // ASSUMPTION: wording of Auth0's answers for a missing or unknown audience.
        let audience = req.get("audience").ok_or_else(|| {
            ApiError::new(
                403,
                "access_denied",
                "No audience parameter was provided, and no default audience has been configured",
            )
        })?;
        if !self.is_resource_server(audience) {
            return Err(ApiError::new(
                403,
                "access_denied",
                format!("Service not found: {audience}"),
            ));
        }
        let grant = client.grant_for(audience, &self.base_url).ok_or_else(|| {
            ApiError::new(
                403,
                "access_denied",
                format!(
                    "Client \"{}\" is not authorized to access resource server \"{audience}\". You need to create a \"client-grant\" associated to this API.",
                    client.client_id
                ),
            )
        })?;
        let scope = match req.get("scope") {
            None => grant.scope.join(" "),
            Some(asked) => {
                // ASSUMPTION: scopes beyond the grant are refused, not trimmed.
                let missing: Vec<&str> = asked
                    .split_whitespace()
                    .filter(|s| !grant.scope.iter().any(|g| g == s))
                    .collect();
                if !missing.is_empty() {
                    return Err(ApiError::new(
                        403,
                        "access_denied",
                        format!("Client has not been granted scopes: {}", missing.join(", ")),
                    ));
                }
                asked.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        };
        let now = self.clock.now_secs();
        let ttl = self.tenant.settings.access_token_ttl_secs;
        let iss = self.issuer();
        let sub = format!("{}@clients", client.client_id);
        let access_token = self.mint_access_token(&AccessClaims {
            iss: &iss,
            sub: &sub,
            aud: audience,
            scope: &scope,
            iat: now,
            exp: now + ttl,
            azp: &client.client_id,
            gty: Some("client-credentials"),
        });
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ttl,
            scope,
            id_token: None,
            refresh_token: None,
            recovery_code: None,
        })
    }
}
