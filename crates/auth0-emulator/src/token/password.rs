//! The password and password-realm grants (with brute-force protection and
//! `mfa_required`), and the refresh_token grant (spec §2.1, §2.2, §7.3).

use crate::errors::{ApiError, ApiResult, RateLimitHeaders};
use crate::state::State;
use crate::tenant::{ClientConfig, MfaPolicy};
use crate::tenant_log::Entry;
use crate::token::issue::UserGrant;
use crate::token::TokenRequest;
use crate::tokens::SignIn;
use crate::wire::{FactorType, MfaRequirements, TokenResponse};

/// Scope used when a password request names none. ASSUMPTION: Auth0's
/// recorded password-grant answer carried exactly this scope.
const DEFAULT_SCOPE: &str = "openid profile email address phone";

const BLOCKED: &str = "Your account has been blocked after multiple consecutive login attempts. We've sent you an email with instructions on how to unblock it.";

fn wrong_credentials() -> ApiError {
    ApiError::new(403, "invalid_grant", "Wrong email or password.")
}

impl State {
    pub(super) fn password_grant(
        &mut self,
        client: &ClientConfig,
        realm: Option<String>,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
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
            .unwrap_or_else(|| self.userinfo_audience());
        self.check_audience(&audience)?;
        let scope = req.get("scope").unwrap_or(DEFAULT_SCOPE).to_string();
        let Some(ui) = self.find_login(&connection, &username) else {
            self.log_unknown_user(&username, &client.client_id);
            return Err(wrong_credentials());
        };
        self.check_password(ui, &password, &client.client_id)?;
        // §S4.3: the legacy error table's answer to a blocked user.
        if self.refuse_blocked(ui, &client.client_id) {
            return Err(ApiError::new(401, "unauthorized", "user is blocked"));
        }

        let settings = &self.tenant.settings;
        let user = &self.users[ui];
        let needs_mfa = settings.mfa_policy == MfaPolicy::Always
            || user.has_active_factor()
            || self.action_requires_mfa(&audience);
        let user_id = user.user_id.clone();
        if needs_mfa {
            let requirements = (settings.include_mfa_requirements
                || settings.action_factor_rules.is_some())
            .then(|| self.mfa_requirements(ui));
            let token = self.mint_mfa_token(&client.client_id, &user_id, &audience, &scope);
            let entry = Entry::user(&user_id, Some(&client.client_id));
            self.log(
                "mfar",
                entry.description("Multifactor authentication required"),
            );
            return Err(ApiError::mfa_required(token, requirements));
        }
        let entry = Entry::user(&user_id, Some(&client.client_id));
        self.log("s", entry.description("Success Login"));
        let sign_in = SignIn {
            auth_time: self.clock.now_secs(),
            ..SignIn::default()
        };
        Ok(self.issue_tokens(UserGrant {
            user_id: &user_id,
            client_id: &client.client_id,
            audience: &audience,
            scope: &scope,
            gty: Some("password"),
            sign_in: Some(&sign_in),
            with_refresh: true,
        }))
    }

    /// The user `username` names in `connection`. Auth0 stores database
    /// emails lowercased, so sign-in ignores case.
    pub fn find_login(&self, connection: &str, username: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.connection == connection && u.email.eq_ignore_ascii_case(username))
    }

    /// Checks a password under brute-force protection: too many failures in
    /// a row block the user for a while, even with the right password.
    pub fn check_password(&mut self, ui: usize, password: &str, client_id: &str) -> ApiResult<()> {
        let now = self.clock.now_secs();
        let settings = &self.tenant.settings;
        let user = &mut self.users[ui];
        let limits = &mut user.limits;
        if let Some(until) = limits.blocked_until {
            if now < until {
                let headers = RateLimitHeaders {
                    limit: settings.brute_force_threshold,
                    reset_at: until,
                    retry_after: settings
                        .send_retry_after
                        .then(|| until.saturating_sub(now).max(1)),
                };
                return Err(ApiError::new(429, "too_many_attempts", BLOCKED).rate_limited(headers));
            }
            limits.blocked_until = None;
            limits.failed_logins = 0;
        }
        if user.password != password {
            limits.failed_logins += 1;
            let blocking = limits.failed_logins >= settings.brute_force_threshold;
            if blocking {
                limits.blocked_until = Some(now + settings.brute_force_block_secs);
            }
            let user_id = user.user_id.clone();
            let entry = Entry::user(&user_id, Some(client_id));
            self.log("fp", entry.description("Wrong email or password."));
            if blocking {
                let entry = Entry::user(&user_id, Some(client_id));
                self.log("limit_wc", entry.description(BLOCKED));
            }
            return Err(wrong_credentials());
        }
        limits.failed_logins = 0;
        user.profile.last_login_ms = Some(self.clock.now_ms());
        user.profile.logins_count += 1;
        Ok(())
    }

    /// A failed login by an email no user has (`fu`, §S4.1).
    pub fn log_unknown_user(&mut self, username: &str, client_id: &str) {
        let entry = Entry {
            client_id: Some(client_id.to_owned()),
            description: Some("Wrong email or password.".into()),
            details: Some(serde_json::json!({ "username": username })),
            ..Entry::default()
        };
        self.log("fu", entry);
    }

    /// True (and an `f` event, §S4.1/§S4.3) when an admin blocked the user.
    pub fn refuse_blocked(&mut self, ui: usize, client_id: &str) -> bool {
        if !self.users[ui].blocked {
            return false;
        }
        let user_id = self.users[ui].user_id.clone();
        let entry = Entry::user(&user_id, Some(client_id));
        self.log("f", entry.description("user is blocked"));
        true
    }

    /// `{"challenge":[{"type":…}]}` for enrolled users, else `{"enroll":[…]}`
    /// listing the tenant's enabled factors.
    fn mfa_requirements(&self, ui: usize) -> MfaRequirements {
        let user = &self.users[ui];
        let mut types: Vec<&'static str> = Vec::new();
        if user.has_active_factor() {
            for a in user.authenticators.iter().filter(|a| a.active) {
                let t = a.kind.type_field();
                if !types.contains(&t) {
                    types.push(t);
                }
            }
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
        }
        let list = Some(types.into_iter().map(|kind| FactorType { kind }).collect());
        let derived = if user.has_active_factor() {
            MfaRequirements {
                challenge: list,
                enroll: None,
            }
        } else {
            MfaRequirements {
                challenge: None,
                enroll: list,
            }
        };
        match &self.tenant.settings.action_factor_rules {
            Some(rules) => rules.apply(derived),
            None => derived,
        }
    }

    pub(super) fn refresh_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let token = req.require("refresh_token")?;
        let invalid = || ApiError::new(403, "invalid_grant", "Unknown or invalid refresh token.");
        let rec = self
            .tokens
            .refresh_tokens
            .get(token)
            .filter(|r| r.client_id == client.client_id)
            .cloned()
            .ok_or_else(invalid)?;
        let Some(ui) = self.user_index(&rec.user_id) else {
            return Err(invalid());
        };
        // §S4.3: status UNCONFIRMED; the other invalid_grant answers are 403.
        if self.users[ui].blocked {
            return Err(ApiError::new(403, "invalid_grant", "user is blocked"));
        }
        // §S1.1: a refresh may narrow the scope, never widen it.
        let scope = match req.get("scope") {
            None => rec.scope.clone(),
            Some(asked) => {
                let granted: Vec<&str> = rec.scope.split_whitespace().collect();
                let kept: Vec<&str> = asked
                    .split_whitespace()
                    .filter(|s| granted.contains(s))
                    .collect();
                kept.join(" ")
            }
        };
        let now_ms = self.clock.now_ms();
        if let Some(r) = self.tokens.refresh_tokens.get_mut(token) {
            r.last_exchanged_ms = Some(now_ms);
        }
        // Non-rotating refresh tokens: the same one keeps working.
        Ok(self.issue_tokens(UserGrant {
            user_id: &rec.user_id,
            client_id: &rec.client_id,
            audience: &rec.audience,
            scope: &scope,
            gty: Some("refresh_token"),
            sign_in: None,
            with_refresh: false,
        }))
    }
}
