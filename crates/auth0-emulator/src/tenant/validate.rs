//! Configuration mistakes serde cannot catch.

use super::{AuthMethod, AuthenticatorSeed, Tenant, TenantError, RESTRICTED_CLAIMS};

fn invalid(message: String) -> TenantError {
    TenantError::Invalid(message)
}

impl Tenant {
    /// Catches configuration mistakes that serde cannot.
    pub fn validate(&self) -> Result<(), TenantError> {
        if !self.connections.contains(&self.default_directory) {
            return Err(invalid(format!(
                "default_directory {:?} is not in connections",
                self.default_directory
            )));
        }
        for c in &self.clients {
            if c.token_endpoint_auth_method != AuthMethod::None && c.client_secret.is_none() {
                return Err(invalid(format!(
                    "client {:?} is confidential but has no client_secret",
                    c.client_id
                )));
            }
            for g in &c.client_grants {
                if !(g.audience.starts_with('/') || g.audience.starts_with("http")) {
                    return Err(invalid(format!(
                        "client {:?} has a client grant for {:?}: write a path like \"/api/v2/\" or a URL",
                        c.client_id, g.audience
                    )));
                }
            }
        }
        for u in &self.users {
            if let Some(conn) = &u.connection {
                if !self.connections.contains(conn) {
                    return Err(invalid(format!(
                        "user {:?} uses unknown connection {conn:?}",
                        u.email
                    )));
                }
            }
            for a in &u.authenticators {
                if let AuthenticatorSeed::Totp { secret, .. } = a {
                    if data_encoding::BASE32_NOPAD
                        .decode(secret.trim_end_matches('=').as_bytes())
                        .is_err()
                    {
                        return Err(invalid(format!(
                            "user {:?} has a TOTP secret that is not base32",
                            u.email
                        )));
                    }
                }
            }
        }
        for (name, v) in [
            ("push_rejection_error", &self.settings.push_rejection_error),
            ("not_enrolled_error", &self.settings.not_enrolled_error),
            ("ciba_expired_error", &self.settings.ciba_expired_error),
        ] {
            let ok = match name {
                "push_rejection_error" => ["access_denied", "invalid_grant"].contains(&v.as_str()),
                "ciba_expired_error" => ["access_denied", "expired_token"].contains(&v.as_str()),
                _ => ["association_required", "unsupported_challenge_type"].contains(&v.as_str()),
            };
            if !ok {
                return Err(invalid(format!("settings.{name} = {v:?}")));
            }
        }
        self.validate_passkeys()?;
        self.validate_apis()
    }

    /// §S5.3: a user verification WebAuthn knows, a bare host as the RP ID, origins as URLs.
    fn validate_passkeys(&self) -> Result<(), TenantError> {
        let s = &self.settings;
        if !["required", "preferred", "discouraged"].contains(&s.passkey_user_verification.as_str())
        {
            return Err(invalid(format!(
                "settings.passkey_user_verification = {:?}",
                s.passkey_user_verification
            )));
        }
        if let Some(rp_id) = &s.passkey_rp_id {
            if url::Host::parse(rp_id).is_err() || rp_id.contains([':', '/']) {
                return Err(invalid(format!(
                    "settings.passkey_rp_id {rp_id:?} is not a host"
                )));
            }
        }
        if let Some(o) = s
            .passkey_origins
            .iter()
            .find(|o| url::Url::parse(o).is_err())
        {
            return Err(invalid(format!(
                "settings.passkey_origins: {o:?} is not a URL"
            )));
        }
        Ok(())
    }

    fn validate_apis(&self) -> Result<(), TenantError> {
        for (i, api) in self.apis.iter().enumerate() {
            if self.apis[..i]
                .iter()
                .any(|a| a.identifier == api.identifier)
            {
                return Err(invalid(format!(
                    "API {:?} is declared twice",
                    api.identifier
                )));
            }
        }
        let known = |p: &super::Permission| {
            self.api(&p.resource_server_identifier)
                .is_some_and(|a| a.scopes.contains(&p.permission_name))
        };
        for role in &self.roles {
            if let Some(p) = role.permissions.iter().find(|p| !known(p)) {
                return Err(invalid(format!(
                    "role {:?} has permission {:?} that API {:?} does not define",
                    role.name, p.permission_name, p.resource_server_identifier
                )));
            }
        }
        for u in &self.users {
            if let Some(r) = u.roles.iter().find(|r| self.role(r).is_none()) {
                return Err(invalid(format!(
                    "user {:?} has unknown role {r:?}",
                    u.email
                )));
            }
            if let Some(p) = u.permissions.iter().find(|p| !known(p)) {
                return Err(invalid(format!(
                    "user {:?} has permission {:?} that API {:?} does not define",
                    u.email, p.permission_name, p.resource_server_identifier
                )));
            }
        }
        if let Some(action) = &self.mfa_claim_action {
            // §S1.6: restricted claims are silently dropped by Auth0; refuse them here.
            let bare = !action.claim.starts_with("http");
            if bare || RESTRICTED_CLAIMS.contains(&action.claim.as_str()) {
                return Err(invalid(format!(
                    "mfa_claim_action.claim {:?} must be a namespaced URL, not a restricted claim",
                    action.claim
                )));
            }
            if self.api(&action.audience).is_none() {
                return Err(invalid(format!(
                    "mfa_claim_action.audience {:?} is not one of the tenant's apis",
                    action.audience
                )));
            }
        }
        Ok(())
    }
}
