//! The `urn:ietf:params:oauth:grant-type:device_code` grant: a device polls
//! until its user activated it on `/activate` (§S2.3, Auth0's non-RFC
//! statuses).

use crate::device::POLL_INTERVAL_SECS;
use crate::errors::{ApiError, ApiResult};
use crate::state::State;
use crate::tenant::ClientConfig;
use crate::token::issue::UserGrant;
use crate::token::TokenRequest;
use crate::tokens::DeviceState;
use crate::wire::TokenResponse;

impl State {
    pub(super) fn device_code_grant(
        &mut self,
        client: &ClientConfig,
        req: &TokenRequest,
    ) -> ApiResult<TokenResponse> {
        let code = req.require("device_code")?.to_string();
        // ASSUMPTION (§S2.3 UNCONFIRMED body): an unknown, spent or
        // already-reported expired code.
        let invalid = || ApiError::new(403, "invalid_grant", "Invalid or expired device code.");
        let rec = self
            .tokens
            .device_codes
            .get(&code)
            .filter(|d| d.client_id == client.client_id)
            .cloned()
            .ok_or_else(invalid)?;
        let now_ms = self.clock.now_ms();
        if rec.expires_ms <= now_ms {
            // `expired_token` exactly once (§S2.3); its description is UNCONFIRMED.
            if rec.expiry_reported {
                return Err(invalid());
            }
            self.tokens
                .device_codes
                .get_mut(&code)
                .expect("found")
                .expiry_reported = true;
            return Err(ApiError::new(
                403,
                "expired_token",
                "The device code has expired.",
            ));
        }
        let too_fast = rec
            .last_poll_ms
            .is_some_and(|last| now_ms < last + POLL_INTERVAL_SECS * 1000);
        self.tokens
            .device_codes
            .get_mut(&code)
            .expect("found")
            .last_poll_ms = Some(now_ms);
        match rec.state {
            _ if too_fast => Err(ApiError::new(
                429,
                "slow_down",
                format!(
                    "You are polling faster than the specified interval of {POLL_INTERVAL_SECS} seconds."
                ),
            )),
            DeviceState::Pending => Err(ApiError::new(
                403,
                "authorization_pending",
                "User has yet to authorize device code.",
            )),
            DeviceState::Denied => {
                self.tokens.device_codes.remove(&code);
                Err(ApiError::new(
                    403,
                    "access_denied",
                    "User cancelled the confirmation prompt.",
                ))
            }
            DeviceState::Approved { user_id, sign_in } => {
                self.tokens.device_codes.remove(&code);
                // §S1.2: no `gty` for this grant.
                Ok(self.issue_tokens(UserGrant {
                    user_id: &user_id,
                    client_id: &rec.client_id,
                    audience: &rec.audience,
                    scope: &rec.scope,
                    gty: None,
                    sign_in: Some(&sign_in),
                    with_refresh: true,
                }))
            }
        }
    }
}
