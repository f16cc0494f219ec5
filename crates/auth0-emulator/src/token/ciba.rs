//! The `urn:openid:params:grant-type:ciba` grant: polling a CIBA request
//! until the user answers the push (§S3.3).

use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::token::issue::UserGrant;
use crate::token::TokenRequest;
use crate::tokens::{Binding, PushDecision};
use crate::wire::TokenResponse;

/// How much a `slow_down` lengthens the wait (RFC 8628's step; §S3.3 says
/// only that repeated fast polling lengthens it).
const SLOW_DOWN_STEP_SECS: u64 = 5;

impl State {
    pub(super) fn ciba_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let id = req.require("auth_req_id")?.to_string();
        let status = self.tenant.settings.ciba_poll_error_status;
        let fail = |error: &str, description: &str| ApiError::new(status, error, description);
        // ASSUMPTION: wording for an unknown, spent or another client's id.
        let unknown = || ApiError::new(400, "invalid_grant", "Invalid or expired auth_req_id");
        let rec = self
            .tokens
            .ciba
            .get(&id)
            .filter(|r| r.client_id == client.client_id)
            .cloned()
            .ok_or_else(unknown)?;
        let now_ms = self.clock.now_ms();
        if rec.expires_ms <= now_ms {
            self.end_ciba(&id);
            let error = self.tenant.settings.ciba_expired_error.clone();
            return Err(fail(
                &error,
                "The end-user denied the authorization request or it has been expired",
            ));
        }
        let too_fast = rec
            .last_poll_ms
            .is_some_and(|last| now_ms < last + rec.interval_secs * 1000);
        let r = self.tokens.ciba.get_mut(&id).expect("found above");
        r.last_poll_ms = Some(now_ms);
        if too_fast {
            r.interval_secs += SLOW_DOWN_STEP_SECS;
            let wait = r.interval_secs;
            let mut e = fail(
                "slow_down",
                &format!("You are polling faster than allowed. Try again in {wait} seconds."),
            );
            e.body.interval = Some(wait);
            let reset_at = now_ms / 1000 + wait;
            return Err(e.rate_limited(crate::errors::RateLimitHeaders {
                limit: 1,
                reset_at,
                retry_after: Some(wait),
            }));
        }
        let decision = match self.tokens.oob_codes.get(&rec.push_oob).map(|o| &o.binding) {
            Some(Binding::Push { decision, .. }) => *decision,
            _ => PushDecision::Denied,
        };
        match decision {
            PushDecision::Pending => Err(fail(
                "authorization_pending",
                "The end-user authorization is pending",
            )),
            PushDecision::Denied => {
                self.end_ciba(&id);
                Err(fail(
                    "access_denied",
                    "The end-user denied the authorization request or it has been expired",
                ))
            }
            PushDecision::Approved => {
                // Single use (§S3.3); CIBA stores no consent and carries no
                // sign-in of its own (no `auth_time`, `amr` or Action claim).
                self.end_ciba(&id);
                Ok(self.issue_tokens(UserGrant {
                    user_id: &rec.user_id,
                    client_id: &rec.client_id,
                    audience: &rec.audience,
                    scope: &rec.scope,
                    gty: None,
                    sign_in: None,
                    with_refresh: true,
                }))
            }
        }
    }

    /// Forgets a CIBA request and its push.
    fn end_ciba(&mut self, id: &str) {
        if let Some(rec) = self.tokens.ciba.remove(id) {
            self.tokens.spend_oob_code(&rec.push_oob);
        }
    }
}
