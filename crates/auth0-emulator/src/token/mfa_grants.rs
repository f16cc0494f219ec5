//! The MFA grants: `mfa-otp`, `mfa-oob` (codes and push polling) and
//! `mfa-recovery-code` (spec §7, §15.6-8).

use crate::errors::{ApiError, ApiResult};
use crate::model::Kind;
use crate::otp;
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::tenant_log::Entry;
use crate::token::issue::UserGrant;
use crate::token::TokenRequest;
use crate::tokens::{Binding, MfaTokenRec, PushDecision, SignIn};
use crate::wire::TokenResponse;

impl State {
    /// The mfa_token checks shared by all MFA grants, then the failed-code lockout.
    fn mfa_grant_context(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<(String, MfaTokenRec, usize)> {
        let token = req.get("mfa_token");
        let rec = match self.check_mfa_token(token, &client.client_id) {
            Ok(rec) => rec,
            Err(e) => self
                .access_token_as_mfa_token(token, &client.client_id)
                .ok_or(e)?,
        };
        let ui = self
            .user_index(&rec.user_id)
            .expect("check_mfa_token verified the user");
        self.check_failed_codes(ui)?;
        Ok((token.unwrap_or_default().to_string(), rec, ui))
    }

    /// With `settings.confirm_with_access_token` (spec §2.4 UNCONFIRMED), an
    /// unexpired MFA-audience access token with `enroll`, issued to this
    /// client, stands in for an mfa_token.
    fn access_token_as_mfa_token(
        &self,
        token: Option<&str>,
        client_id: &str,
    ) -> Option<MfaTokenRec> {
        if !self.tenant.settings.confirm_with_access_token {
            return None;
        }
        let rec = self.tokens.access_tokens.get(token?)?;
        let usable = rec.audience == self.mfa_audience()
            && rec.has_scope("enroll")
            && rec.client_id == client_id
            && rec.expires_ms > self.clock.now_ms()
            && self.user_index(&rec.user_id).is_some();
        usable.then(|| MfaTokenRec {
            client_id: rec.client_id.clone(),
            user_id: rec.user_id.clone(),
            audience: rec.audience.clone(),
            scope: rec.scope.clone(),
            expires_ms: rec.expires_ms,
            auth_time: self.clock.now_secs(),
        })
    }

    fn wrong_code(&mut self, ui: usize, description: &str) -> ApiError {
        self.record_failed_code(ui);
        ApiError::new(
            self.tenant.settings.wrong_code_status,
            "invalid_grant",
            description,
        )
    }

    fn finish_mfa(&mut self, rec: &MfaTokenRec) -> TokenResponse {
        // Audience and scope come from the password request behind the
        // mfa_token. ASSUMPTION: `gty` stays "password", the grant that
        // started the transaction (§S1.2 lists no MFA value).
        let entry = Entry::user(&rec.user_id, Some(&rec.client_id));
        self.log("gd_auth_succeed", entry);
        let entry = Entry::user(&rec.user_id, Some(&rec.client_id));
        self.log("s", entry.description("Success Login"));
        let sign_in = SignIn {
            auth_time: rec.auth_time,
            mfa: true,
            mfa_via_api: true,
            ..SignIn::default()
        };
        self.issue_tokens(UserGrant {
            user_id: &rec.user_id,
            client_id: &rec.client_id,
            audience: &rec.audience,
            scope: &rec.scope,
            gty: Some("password"),
            sign_in: Some(&sign_in),
            with_refresh: true,
        })
    }

    pub(super) fn mfa_otp_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let (_, rec, ui) = self.mfa_grant_context(client, req)?;
        let code = req.require("otp")?.to_string();
        let step = self.clock.now_secs() / otp::STEP_SECS;
        let Some((id, s)) = otp::matching_authenticator(&self.users[ui], &code, step) else {
            return Err(self.wrong_code(ui, "Invalid otp_code."));
        };
        let user = &mut self.users[ui];
        if let Some(a) = user.authenticators.iter_mut().find(|a| a.id == id) {
            a.last_otp_step = Some(s);
        }
        let newly = user.find(&id).is_some_and(|a| !a.active);
        user.activate(&id);
        if newly {
            self.log(
                "gd_enrollment_complete",
                Entry::user(&rec.user_id, Some(&rec.client_id)),
            );
        }
        Ok(self.finish_mfa(&rec))
    }

    pub(super) fn mfa_oob_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let (token, rec, ui) = self.mfa_grant_context(client, req)?;
        let oob_code = req.require("oob_code")?.to_string();
        let malformed = || ApiError::new(403, "invalid_grant", "Malformed oob_code");
        if !crate::ids::is_fe26_shaped(&oob_code) {
            return Err(malformed());
        }
        let oob = self
            .tokens
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
            self.tokens.spend_oob_code(&oob_code);
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
                PushDecision::Pending => return Err(self.push_pending(&oob_code, last_poll_ms)),
                PushDecision::Denied => {
                    self.tokens.spend_oob_code(&oob_code);
                    let code = self.tenant.settings.push_rejection_error.clone();
                    return Err(ApiError::new(400, &code, "MFA Authorization rejected."));
                }
                PushDecision::Approved => {}
            },
        }
        // Success: oob_codes are single use.
        self.tokens.spend_oob_code(&oob_code);
        self.users[ui].activate(&oob.authenticator_id);
        Ok(self.finish_mfa(&rec))
    }

    /// `authorization_pending`, or `slow_down` when polled too soon after the last poll.
    fn push_pending(&mut self, oob_code: &str, last_poll_ms: Option<u64>) -> ApiError {
        let now_ms = self.clock.now_ms();
        let secs = self.tenant.settings.push_min_poll_interval_secs;
        let too_fast =
            secs > 0 && last_poll_ms.is_some_and(|last| now_ms.saturating_sub(last) < secs * 1000);
        if let Some(Binding::Push { last_poll_ms, .. }) = self
            .tokens
            .oob_codes
            .get_mut(oob_code)
            .map(|o| &mut o.binding)
        {
            *last_poll_ms = Some(now_ms);
        }
        if too_fast {
            return ApiError::new(
                400,
                "slow_down",
                format!("You are polling faster than allowed. Try again in {secs} seconds."),
            );
        }
        ApiError::new(
            400,
            "authorization_pending",
            "Authorization pending: please repeat the request in a few seconds.",
        )
    }

    pub(super) fn mfa_recovery_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
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
        let entry = Entry::user(&rec.user_id, Some(&rec.client_id));
        self.log("gd_recovery_succeed", entry);
        let mut body = self.finish_mfa(&rec);
        body.recovery_code = Some(fresh);
        Ok(body)
    }
}
