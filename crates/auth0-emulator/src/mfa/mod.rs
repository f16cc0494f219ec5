//! The MFA API: `GET /mfa/authenticators`, `DELETE /mfa/authenticators/{id}`,
//! `POST /mfa/associate` and `POST /mfa/challenge` (spec §3-6, §15.3-5,
//! §15.10), and the sends and limits they share with the token endpoint.

mod associate;
mod authenticators;
mod challenge;

use serde_json::Value;

use crate::errors::{ApiError, ApiResult, INVALID_MFA_TOKEN};
use crate::ids;
use crate::limits::{self, SendChannel};
use crate::state::State;
use crate::tenant_log::Entry;
use crate::tokens::{AccessTokenRec, Binding, MfaTokenRec, OobRec};

pub use crate::masks::{mask_email_mfa as mask_email, mask_phone};

/// What an `Authorization: Bearer` header resolved to.
pub enum Bearer {
    Mfa { token: String, rec: MfaTokenRec },
    Access(AccessTokenRec),
}

impl Bearer {
    fn user_id(&self) -> &str {
        match self {
            Bearer::Mfa { rec, .. } => &rec.user_id,
            Bearer::Access(a) => &a.user_id,
        }
    }
}

fn insufficient_scope(scope: &str) -> ApiError {
    ApiError::new(
        403,
        "insufficient_scope",
        format!("Insufficient scope, expected any of: {scope}"),
    )
}

fn str_field<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A list given as a JSON array or as a (space-separated) string; the legacy
/// `oob_channels: "sms"` and `challenge_type: "oob otp"` both land here.
fn list_field(body: &Value, key: &str) -> Option<Vec<String>> {
    let list: Vec<String> = match body.get(key)? {
        Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    (!list.is_empty()).then_some(list)
}

impl State {
    /// Resolves a Bearer token for `/mfa/*`. Bad tokens are 401 here (spec §3, §4.5).
    pub fn resolve_bearer(&self, authorization: Option<&str>) -> ApiResult<Bearer> {
        let invalid = || ApiError::new(401, "invalid_grant", INVALID_MFA_TOKEN);
        // ASSUMPTION: no or non-Bearer Authorization header answers like a bad token.
        let token = authorization
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(invalid)?;
        let now = self.clock.now_ms();
        if let Some(rec) = self.tokens.mfa_tokens.get(token) {
            if rec.expires_ms <= now {
                return Err(ApiError::new(401, "expired_token", "mfa_token is expired"));
            }
            if self.user_index(&rec.user_id).is_none() {
                return Err(invalid());
            }
            return Ok(Bearer::Mfa {
                token: token.to_string(),
                rec: rec.clone(),
            });
        }
        if let Some(rec) = self.tokens.access_tokens.get(token) {
            // ASSUMPTION: expired or foreign-audience access tokens get the
            // RFC 6750 `invalid_token` error.
            if rec.expires_ms <= now {
                return Err(ApiError::new(
                    401,
                    "invalid_token",
                    "The access token is expired.",
                ));
            }
            if rec.audience != self.mfa_audience() {
                return Err(ApiError::new(
                    401,
                    "invalid_token",
                    "The access token audience is not the MFA API.",
                ));
            }
            if self.user_index(&rec.user_id).is_none() {
                return Err(invalid());
            }
            return Ok(Bearer::Access(rec.clone()));
        }
        Err(invalid())
    }

    /// The 429 once a user's failed-code bucket is empty.
    pub fn check_failed_codes(&mut self, user: usize) -> ApiResult<()> {
        let now = self.clock.now_secs();
        self.users[user]
            .limits
            .check_failed_codes(now)
            .map_err(|e| {
                ApiError::new(
                    429,
                    "too_many_attempts",
                    "Too many failed attempts. Try again later.",
                )
                .rate_limited(limits::headers_for(e, now, &self.tenant.settings))
            })
            .inspect_err(|_| {
                let user_id = self.users[user].user_id.clone();
                self.log("gd_otp_rate_limit_exceed", Entry::user(&user_id, None));
            })
    }

    /// Records one wrong otp/binding/recovery code.
    pub fn record_failed_code(&mut self, user: usize) {
        let now = self.clock.now_secs();
        self.users[user].limits.record_failed_code(now);
        let user_id = self.users[user].user_id.clone();
        let entry = Entry::user(&user_id, None).description("Wrong code");
        self.log("gd_auth_failed", entry);
    }

    /// Sends a 6-digit code by sms, voice or email (rate-limited per user)
    /// and records it in the outbox.
    pub fn send_code(&mut self, user: usize, channel: SendChannel, to: &str) -> ApiResult<String> {
        let now = self.clock.now_secs();
        if let Err(e) = self.users[user].limits.take_send(channel, now) {
            let headers = limits::headers_for(e, now, &self.tenant.settings);
            return Err(ApiError::too_many_requests(headers));
        }
        let code = ids::six_digit_code();
        self.outbox
            .send_code(channel, to, &code, &self.tenant.friendly_name, now);
        let kind = match channel {
            SendChannel::Sms => "gd_send_sms",
            SendChannel::Voice => "gd_send_voice",
            SendChannel::Email => "gd_send_email",
        };
        let user_id = self.users[user].user_id.clone();
        self.log(kind, Entry::user(&user_id, None));
        Ok(code)
    }

    /// Takes one push notification from the user's push bucket.
    pub fn take_push(&mut self, user: usize) -> ApiResult<()> {
        let now = self.clock.now_secs();
        self.users[user].limits.take_push(now).map_err(|e| {
            ApiError::too_many_requests(limits::headers_for(e, now, &self.tenant.settings))
        })?;
        let user_id = self.users[user].user_id.clone();
        self.log("gd_send_pn", Entry::user(&user_id, None));
        Ok(())
    }

    pub fn mint_oob_code(
        &mut self,
        mfa_token: Option<&str>,
        user_id: &str,
        authenticator_id: &str,
        binding: Binding,
    ) -> String {
        let now = self.clock.now_ms();
        self.tokens.mint_oob_code(OobRec {
            mfa_token: mfa_token.map(str::to_string),
            user_id: user_id.into(),
            authenticator_id: authenticator_id.into(),
            binding,
            created_ms: now,
            expires_ms: now + self.tenant.settings.oob_code_ttl_secs * 1000,
            seq: 0,
        })
    }
}
