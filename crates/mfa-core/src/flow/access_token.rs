//! A session that starts from an MFA-API access token instead of a password sign-in: after a
//! browser sign-in, Auth0's hosted page has already done the MFA step, so the session is
//! verified from the start and there is no `mfa_token`.
//!
//! Listing, adding (`/mfa/associate`) and removing work with the access token (spec §2.4).
//! Confirming an added authenticator is the one step that normally takes an `mfa_token`;
//! whether Auth0 accepts the access token there is unconfirmed (spec §2.4), so the session
//! tries it and, when the tenant refuses, removes the unconfirmed authenticator again and
//! says so ([`FlowError::ConfirmationNeedsMfaToken`]) rather than leaving it half set up.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::client::{Auth0Client, MfaCredential};
use crate::error::{ApiError, FlowError};
use crate::flow::session::MfaSession;
use crate::model::{FactorKind, MfaRequirements, TokenSet};
use crate::secret::{ExposeSecret, IdToken};

impl MfaSession {
    /// A verified session from the tokens of a browser sign-in, with the person's
    /// authenticators listed.
    pub async fn from_access_token(
        client: &Auth0Client,
        mut tokens: TokenSet,
    ) -> Result<Self, FlowError> {
        // Never kept: a refresh token for the MFA API would let whoever sits at an unlocked
        // desktop remove authenticators without MFA (issue 11). The app does not ask for one.
        tokens.refresh_token = None;
        let account = account_from_tokens(&tokens);
        let mut session = Self {
            account,
            mfa_token: None,
            requirements: MfaRequirements::default(),
            authenticators: Vec::new(),
            tokens: Some(tokens),
            pending: None,
            through_my_account: false,
        };
        session.refresh_authenticators(client).await?;
        Ok(session)
    }

    /// True when the session came from a browser sign-in (no `mfa_token`, an access token).
    pub fn is_browser_session(&self) -> bool {
        self.mfa_token.is_none() && self.tokens.is_some()
    }

    /// The token that confirms a pending enrollment: the `mfa_token`, or after a browser
    /// sign-in the access token standing in for it.
    pub(crate) fn confirming_token(&self) -> Result<MfaCredential<'_>, FlowError> {
        match (&self.mfa_token, &self.tokens) {
            (Some(token), _) => Ok(token.into()),
            (None, Some(tokens)) => Ok((&tokens.access_token).into()),
            (None, None) => Err(FlowError::Api(ApiError::MfaTokenExpired)),
        }
    }

    /// Turns the tenant's refusal of the access token (Auth0 calls a JWT in the `mfa_token`
    /// place malformed, spec §2.4) into [`FlowError::ConfirmationNeedsMfaToken`], after
    /// removing the unconfirmed authenticator of `kind` and forgetting the pending step.
    /// Other errors pass through unchanged.
    pub(crate) async fn unless_access_token_refused(
        &mut self,
        client: &Auth0Client,
        kind: FactorKind,
        error: ApiError,
    ) -> FlowError {
        if !(self.is_browser_session() && matches!(error, ApiError::MfaTokenInvalid { .. })) {
            return error.into();
        }
        self.pending = None;
        if let Err(cleanup) = self.remove_unconfirmed(client, kind).await {
            // The person is told the step failed either way; a leftover inactive entry is
            // harmless (Auth0 ignores it at sign-in) and shows as "not finished".
            tracing::warn!(code = %cleanup.code(), "unconfirmed authenticator not removed");
        }
        FlowError::ConfirmationNeedsMfaToken
    }

    async fn remove_unconfirmed(
        &mut self,
        client: &Auth0Client,
        kind: FactorKind,
    ) -> Result<(), FlowError> {
        self.refresh_authenticators(client).await?;
        let unconfirmed: Vec<String> = self
            .authenticators
            .iter()
            .filter(|a| !a.active && a.kind() == kind)
            .map(|a| a.id.clone())
            .collect();
        for id in unconfirmed {
            self.remove(client, &id).await?;
        }
        Ok(())
    }
}

/// Who signed in, from the ID token (empty when there is none).
pub(crate) fn account_from_tokens(tokens: &TokenSet) -> String {
    tokens
        .id_token
        .as_ref()
        .and_then(account_from_id_token)
        .unwrap_or_default()
}

/// The person's email (or name) from the ID token's claims, to show who is signed in. The
/// token came straight from the tenant over TLS, so its signature needs no check for this
/// (OpenID Connect Core §3.1.3.7); nothing is decided on it.
fn account_from_id_token(id_token: &IdToken) -> Option<String> {
    let payload = id_token.expose_secret().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    ["email", "name", "sub"]
        .iter()
        .find_map(|claim| claims.get(claim)?.as_str().filter(|v| !v.is_empty()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::secret;

    #[test]
    fn the_account_comes_from_the_id_token_claims() {
        let jwt = |claims: &str| {
            secret(format!(
                "eyJhbGciOiJSUzI1NiJ9.{}.sig",
                URL_SAFE_NO_PAD.encode(claims)
            ))
        };
        assert_eq!(
            account_from_id_token(&jwt(r#"{"sub":"auth0|1","email":"ana@example.com"}"#))
                .as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(
            account_from_id_token(&jwt(r#"{"sub":"auth0|1","email":""}"#)).as_deref(),
            Some("auth0|1")
        );
        assert_eq!(account_from_id_token(&secret("not a jwt")), None);
    }
}
