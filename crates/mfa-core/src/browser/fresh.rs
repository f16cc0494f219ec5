//! A fresh sign-in for an API other than the MFA API (spec §S6): helpdesk mode signs the
//! agent in for the helpdesk API every time it opens, with `prompt=login` (the sign-in page
//! even with a session), `max_age` (no sign-in older than that) and the multi-factor
//! `acr_values` (skips a remembered browser). All three are hints a proxy could strip, so
//! the ID token's `auth_time` is checked on the way back: later than the request, and within
//! `max_age`. Whether the sign-in used MFA is the service's to check (its MFA claim, §S1.6).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use crate::error::BrowserError;
use crate::model::TokenSet;
use crate::secret::ExposeSecret;

/// §S6: the step-up policy that asks Auth0 for MFA in this transaction.
pub const MULTI_FACTOR_ACR: &str = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

/// How far the tenant's clock may be ahead of or behind this computer's.
const CLOCK_SKEW_SECS: u64 = 60;

/// What a fresh sign-in asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshApiSignIn {
    /// The API's identifier (`https://helpdesk.acme.example/api`).
    pub audience: String,
    /// The oldest sign-in accepted, in seconds.
    pub max_age_secs: u64,
}

/// Unix seconds now.
pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct AuthTime {
    auth_time: Option<u64>,
}

/// The ID token's `auth_time` (read without the signature: it came straight from the token
/// endpoint over TLS, OpenID Connect Core §3.1.3.7 item 6).
fn auth_time(tokens: &TokenSet) -> Option<u64> {
    let jwt = tokens.id_token.as_ref()?;
    let payload = jwt.expose_secret().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<AuthTime>(&bytes).ok()?.auth_time
}

/// `Ok` when the sign-in happened after `requested_at` and no more than `max_age` ago.
pub fn check_fresh(
    tokens: &TokenSet,
    fresh: &FreshApiSignIn,
    requested_at: u64,
    now: u64,
) -> Result<(), BrowserError> {
    let at = auth_time(tokens).ok_or(BrowserError::NotFresh)?;
    let after_request = at + CLOCK_SKEW_SECS >= requested_at;
    let within_max_age = now.saturating_sub(at) <= fresh.max_age_secs + CLOCK_SKEW_SECS;
    if after_request && within_max_age {
        Ok(())
    } else {
        Err(BrowserError::NotFresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{AccessToken, IdToken};
    use serde_json::json;

    fn tokens(claims: serde_json::Value) -> TokenSet {
        let part = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        TokenSet {
            access_token: AccessToken::from("at".to_owned()),
            token_type: "Bearer".into(),
            expires_in: 600,
            scope: None,
            id_token: Some(IdToken::from(format!(
                "{}.{}.sig",
                part(&json!({"alg": "RS256"})),
                part(&claims)
            ))),
            refresh_token: None,
            recovery_code: None,
        }
    }

    fn fresh() -> FreshApiSignIn {
        FreshApiSignIn {
            audience: "https://helpdesk.example/".into(),
            max_age_secs: 300,
        }
    }

    #[test]
    fn a_sign_in_after_the_request_and_within_max_age_is_fresh() {
        let signed_in = tokens(json!({"auth_time": 10_000}));
        assert!(check_fresh(&signed_in, &fresh(), 9_990, 10_005).is_ok());
        // A tenant clock a little behind this computer's is not held against the agent.
        assert!(check_fresh(&signed_in, &fresh(), 10_030, 10_040).is_ok());
    }

    #[test]
    fn an_earlier_sign_in_a_stale_one_or_none_is_refused() {
        let earlier = tokens(json!({"auth_time": 5_000}));
        assert!(matches!(
            check_fresh(&earlier, &fresh(), 9_990, 10_005),
            Err(BrowserError::NotFresh)
        ));
        let stale = tokens(json!({"auth_time": 10_000}));
        assert!(check_fresh(&stale, &fresh(), 9_990, 10_000 + 300 + 61).is_err());
        assert!(check_fresh(&tokens(json!({"sub": "x"})), &fresh(), 0, 1).is_err());
        let mut no_id_token = tokens(json!({}));
        no_id_token.id_token = None;
        assert!(check_fresh(&no_id_token, &fresh(), 0, 1).is_err());
    }
}
