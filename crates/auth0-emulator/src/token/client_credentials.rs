//! The `client_credentials` grant: machine-to-machine tokens for the APIs a
//! client has a client grant for, the Management API above all (spec §12.1,
//! §12.3, §7.3).

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::token::TokenRequest;
use crate::wire::TokenResponse;

impl State {
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
        let terms = self.client_terms(audience, &scope);
        let sub = format!("{}@clients", client.client_id);
        let mut claims = self.access_claims(&sub, &client.client_id, &terms);
        // §S1.2: the hyphenated value, client credentials only.
        claims.gty = Some("client-credentials");
        let access_token = self.mint_access_token(&claims, terms.dialect.is_rfc9068());
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: terms.lifetime_secs,
            scope,
            id_token: None,
            refresh_token: None,
            recovery_code: None,
        })
    }
}
