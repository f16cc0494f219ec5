//! `POST /oauth/token`: password, password-realm, refresh_token and the three
//! MFA grants (spec §2, §7, §15.1-9).

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::errors::{ApiError, ApiResult};
use crate::otp;
use crate::state::{Binding, Kind, MfaTokenRec, PushDecision, State};
use crate::tenant::{
    ClientConfig, MfaPolicy, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY, GRANT_PASSWORD,
    GRANT_PASSWORD_REALM, GRANT_REFRESH,
};

const KNOWN_GRANTS: [&str; 6] = [
    GRANT_PASSWORD,
    GRANT_PASSWORD_REALM,
    GRANT_REFRESH,
    GRANT_MFA_OTP,
    GRANT_MFA_OOB,
    GRANT_MFA_RECOVERY,
];

/// Scope used when a password request names none. ASSUMPTION: Auth0's
/// recorded password-grant answer carried exactly this scope.
const DEFAULT_SCOPE: &str = "openid profile email address phone";

/// A parsed token request: form or JSON fields, plus HTTP Basic credentials.
#[derive(Debug, Default, Clone)]
pub struct TokenRequest {
    pub params: HashMap<String, String>,
    pub basic: Option<(String, String)>,
}

impl TokenRequest {
    /// A parameter; empty strings count as absent.
    fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    fn require(&self, key: &str) -> ApiResult<&str> {
        self.get(key).ok_or_else(|| ApiError::missing(key))
    }
}

fn wrong_credentials() -> ApiError {
    ApiError::new(403, "invalid_grant", "Wrong email or password.")
}

impl State {
    pub fn token(&mut self, req: &TokenRequest) -> ApiResult<Value> {
        let grant = req.require("grant_type")?.to_string();
        let client = self.authenticate_client(
            req.get("client_id"),
            req.get("client_secret"),
            req.basic.as_ref(),
        )?;
        if !KNOWN_GRANTS.contains(&grant.as_str()) {
            return Err(ApiError::new(
                400,
                "unsupported_grant_type",
                format!("Unsupported grant type: {grant}"),
            ));
        }
        if !client.grant_types.contains(&grant) {
            return Err(ApiError::new(
                403,
                "unauthorized_client",
                format!("Grant type '{grant}' not allowed for the client."),
            )
            .with(
                "error_uri",
                json!("https://auth0.com/docs/clients/client-grant-types"),
            ));
        }
        match grant.as_str() {
            GRANT_PASSWORD => self.password_grant(&client, None, req),
            GRANT_PASSWORD_REALM => {
                let realm = req.require("realm")?.to_string();
                self.password_grant(&client, Some(realm), req)
            }
            GRANT_REFRESH => self.refresh_grant(&client, req),
            GRANT_MFA_OTP => self.mfa_otp_grant(&client, req),
            GRANT_MFA_OOB => self.mfa_oob_grant(&client, req),
            _ => self.mfa_recovery_grant(&client, req),
        }
    }

    fn password_grant(
        &mut self,
        client: &ClientConfig,
        realm: Option<String>,
        req: &TokenRequest,
    ) -> ApiResult<Value> {
        let username = req.require("username")?.to_string();
        let password = req.require("password")?.to_string();
        let connection = match realm {
            Some(r) if self.tenant.connections.contains(&r) => r,
            Some(_) => return Err(wrong_credentials()),
            None => self.tenant.default_directory.clone(),
        };
        let audience = req
            .get("audience")
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}/userinfo", self.base_url));
        let scope = req.get("scope").unwrap_or(DEFAULT_SCOPE).to_string();

        // Auth0 stores database emails lowercased, so matching ignores case.
        let ui = self
            .users
            .iter()
            .position(|u| u.connection == connection && u.email.eq_ignore_ascii_case(&username))
            .ok_or_else(wrong_credentials)?;

        let now = self.clock.now_secs();
        let settings = self.tenant.settings.clone();
        let user = &mut self.users[ui];
        if let Some(until) = user.blocked_until {
            if now < until {
                let headers = crate::errors::RateLimitHeaders {
                    limit: settings.brute_force_threshold,
                    reset_at: until,
                    retry_after: settings
                        .send_retry_after
                        .then(|| until.saturating_sub(now).max(1)),
                };
                return Err(ApiError::new(
                    429,
                    "too_many_attempts",
                    "Your account has been blocked after multiple consecutive login attempts. We've sent you an email with instructions on how to unblock it.",
                )
                .rate_limited(headers));
            }
            user.blocked_until = None;
            user.failed_logins = 0;
        }
        if user.password != password {
            user.failed_logins += 1;
            if user.failed_logins >= settings.brute_force_threshold {
                user.blocked_until = Some(now + settings.brute_force_block_secs);
            }
            return Err(wrong_credentials());
        }
        user.failed_logins = 0;

        let needs_mfa = settings.mfa_policy == MfaPolicy::Always || user.has_active_factor();
        let user_id = user.user_id.clone();
        if needs_mfa {
            let requirements = self.mfa_requirements(ui);
            let token = self.mint_mfa_token(&client.client_id, &user_id, &audience, &scope);
            let mut err = ApiError::new(403, "mfa_required", "Multifactor authentication required")
                .with("mfa_token", json!(token));
            if settings.include_mfa_requirements {
                err = err.with("mfa_requirements", requirements);
            }
            return Err(err);
        }
        Ok(Value::Object(self.issue_tokens(
            &user_id,
            &client.client_id,
            &audience,
            &scope,
            true,
        )))
    }

    /// `{"challenge":[{"type":…}]}` for enrolled users, else `{"enroll":[…]}`
    /// listing the tenant's enabled factors.
    fn mfa_requirements(&self, ui: usize) -> Value {
        let user = &self.users[ui];
        let mut types: Vec<&str> = Vec::new();
        let key = if user.has_active_factor() {
            for a in user.authenticators.iter().filter(|a| a.active) {
                let t = a.kind.type_field();
                if !types.contains(&t) {
                    types.push(t);
                }
            }
            "challenge"
        } else {
            let f = &self.tenant.factors;
            for (on, t) in [
                (f.otp, "otp"),
                (f.push, "push-notification"),
                (f.sms || f.voice, "phone"),
                (f.email, "email"),
            ] {
                if on {
                    types.push(t);
                }
            }
            "enroll"
        };
        let list: Vec<Value> = types.iter().map(|t| json!({ "type": t })).collect();
        json!({ key: list })
    }

    fn refresh_grant(&mut self, client: &ClientConfig, req: &TokenRequest) -> ApiResult<Value> {
        let token = req.require("refresh_token")?;
        let invalid = || ApiError::new(403, "invalid_grant", "Unknown or invalid refresh token.");
        let rec = self
            .refresh_tokens
            .get(token)
            .filter(|r| r.client_id == client.client_id)
            .cloned()
            .ok_or_else(invalid)?;
        if self.user_index(&rec.user_id).is_none() {
            return Err(invalid());
        }
        // Non-rotating refresh tokens: the same one keeps working.
        Ok(Value::Object(self.issue_tokens(
            &rec.user_id,
            &rec.client_id,
            &rec.audience,
            &rec.scope,
            false,
        )))
    }

    /// The mfa_token checks shared by all MFA grants, then the failed-code lockout.
    fn mfa_grant_context(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<(String, MfaTokenRec, usize)> {
        let token = req.get("mfa_token");
        let rec = self.check_mfa_token(token, &client.client_id)?;
        let ui = self
            .user_index(&rec.user_id)
            .expect("check_mfa_token verified the user");
        self.check_failed_codes(ui)?;
        Ok((token.unwrap_or_default().to_string(), rec, ui))
    }

    fn wrong_code(&mut self, ui: usize, description: &str) -> ApiError {
        self.record_failed_code(ui);
        ApiError::new(
            self.tenant.settings.wrong_code_status,
            "invalid_grant",
            description,
        )
    }

    fn finish_mfa(&mut self, rec: &MfaTokenRec) -> serde_json::Map<String, Value> {
        // Audience and scope come from the password request behind the mfa_token.
        self.issue_tokens(
            &rec.user_id,
            &rec.client_id,
            &rec.audience,
            &rec.scope,
            true,
        )
    }

    fn mfa_otp_grant(&mut self, client: &ClientConfig, req: &TokenRequest) -> ApiResult<Value> {
        let (_, rec, ui) = self.mfa_grant_context(client, req)?;
        let code = req.require("otp")?.to_string();
        let step = self.clock.now_secs() / otp::STEP_SECS;
        // Current and previous step only (spec §11); never a step at or
        // before the last accepted one, which also blocks reuse.
        let matched = self.users[ui]
            .authenticators
            .iter()
            // Inactive push siblings are confirmed by approving the push.
            .filter(|a| a.kind == Kind::Totp && (a.active || a.sibling.is_none()))
            .find_map(|a| {
                let secret = a.secret.as_deref()?;
                [step, step.saturating_sub(1)].into_iter().find_map(|s| {
                    // `None < Some(_)`: a never-used authenticator accepts any step.
                    let fresh = a.last_otp_step < Some(s);
                    (fresh && otp::code_at_step(secret, s).as_deref() == Some(code.as_str()))
                        .then(|| (a.id.clone(), s))
                })
            });
        let Some((id, s)) = matched else {
            return Err(self.wrong_code(ui, "Invalid otp_code."));
        };
        let user = &mut self.users[ui];
        if let Some(a) = user.authenticators.iter_mut().find(|a| a.id == id) {
            a.last_otp_step = Some(s);
        }
        user.activate(&id);
        Ok(Value::Object(self.finish_mfa(&rec)))
    }

    fn mfa_oob_grant(&mut self, client: &ClientConfig, req: &TokenRequest) -> ApiResult<Value> {
        let (token, rec, ui) = self.mfa_grant_context(client, req)?;
        let oob_code = req.require("oob_code")?.to_string();
        let malformed = || ApiError::new(403, "invalid_grant", "Malformed oob_code");
        if !crate::ids::is_fe26_shaped(&oob_code) {
            return Err(malformed());
        }
        let oob = self
            .oob_codes
            .get(&oob_code)
            .cloned()
            .ok_or_else(malformed)?;
        let same_transaction = match &oob.mfa_token {
            Some(t) => *t == token,
            None => oob.user_id == rec.user_id,
        };
        if !same_transaction {
            return Err(ApiError::new(
                400,
                "invalid_request",
                "The oob_code doesn't match the mfa_token",
            ));
        }
        let now_ms = self.clock.now_ms();
        if oob.expires_ms <= now_ms {
            return Err(ApiError::new(
                self.tenant.settings.expired_token_status,
                "expired_token",
                "oob_code is expired",
            ));
        }
        if self.users[ui].find(&oob.authenticator_id).is_none() {
            // The authenticator was deleted since the code was issued.
            self.spend_oob_code(&oob_code);
            return Err(malformed());
        }
        match oob.binding {
            Binding::Prompt { code } => {
                let binding = req.require("binding_code")?;
                if binding != code {
                    return Err(self.wrong_code(ui, "Invalid binding_code."));
                }
            }
            Binding::Push {
                decision,
                last_poll_ms,
                ..
            } => match decision {
                PushDecision::Pending => {
                    let min_ms = self.tenant.settings.push_min_poll_interval_secs * 1000;
                    let too_fast = min_ms > 0
                        && last_poll_ms.is_some_and(|last| now_ms.saturating_sub(last) < min_ms);
                    if let Some(Binding::Push { last_poll_ms, .. }) =
                        self.oob_codes.get_mut(&oob_code).map(|o| &mut o.binding)
                    {
                        *last_poll_ms = Some(now_ms);
                    }
                    if too_fast {
                        let secs = self.tenant.settings.push_min_poll_interval_secs;
                        return Err(ApiError::new(
                            400,
                            "slow_down",
                            format!(
                                "You are polling faster than allowed. Try again in {secs} seconds."
                            ),
                        ));
                    }
                    return Err(ApiError::new(
                        400,
                        "authorization_pending",
                        "Authorization pending: please repeat the request in a few seconds.",
                    ));
                }
                PushDecision::Denied => {
                    self.spend_oob_code(&oob_code);
                    let code = self.tenant.settings.push_rejection_error.clone();
                    return Err(ApiError::new(400, &code, "MFA Authorization rejected."));
                }
                PushDecision::Approved => {}
            },
        }
        // Success: oob_codes are single use.
        self.spend_oob_code(&oob_code);
        self.users[ui].activate(&oob.authenticator_id);
        Ok(Value::Object(self.finish_mfa(&rec)))
    }

    fn mfa_recovery_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<Value> {
        let (_, rec, ui) = self.mfa_grant_context(client, req)?;
        let given = req.require("recovery_code")?;
        let given = if self.tenant.settings.lenient_recovery_codes {
            given
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
                .to_uppercase()
        } else {
            given.to_string()
        };
        let user = &self.users[ui];
        let usable = user
            .authenticators
            .iter()
            .any(|a| a.kind == Kind::RecoveryCode && a.active);
        if !usable || user.recovery_code.as_deref() != Some(given.as_str()) {
            return Err(self.wrong_code(ui, "MFA Authorization rejected."));
        }
        // Each use rotates the code; the old one stops working (spec §10).
        let fresh = crate::ids::recovery_code();
        self.users[ui].recovery_code = Some(fresh.clone());
        let mut body = self.finish_mfa(&rec);
        body.insert("recovery_code".into(), json!(fresh));
        Ok(Value::Object(body))
    }
}
