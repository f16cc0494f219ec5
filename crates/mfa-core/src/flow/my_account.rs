//! A session that manages the person's methods through Auth0's My Account API (§S5): after
//! a browser sign-in that asked for the audience `https://{domain}/me/` and was granted the
//! scopes [`NEEDED_SCOPES`]. Auth0's hosted page has done the MFA step, so the session is
//! verified from the start and there is no `mfa_token`; every enrollment is confirmed with
//! its own `auth_session` (§S5.3), so nothing here stands in for an `mfa_token` the way
//! `flow::access_token` has to.
//!
//! The methods are kept as the app's [`Authenticator`] values (the views and
//! `crate::methods` read one shape): a My Account phone is one entry whose kind is its
//! preferred channel, a push hides its authenticator-app twin, a passkey is a
//! [`FactorKind::Passkey`], and nothing is masked (§S5.2 shows no masking).

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::access_token::account_from_tokens;
use crate::flow::session::MfaSession;
use crate::model::{Authenticator, FactorKind, MfaRequirements, TokenSet};
use crate::my_account::{AuthenticationMethod, MyAccountClient};

/// The scopes without which the My Account API cannot do what the MFA API path does (list,
/// add, remove): a token granted without one of them is no use for managing methods, and
/// the sign-in goes the MFA API's way instead (§S5.1: the granted scopes are the requested
/// ones cut to the client grant). Renaming and the phone's channel need
/// `update:me:authentication_methods` as well; without it they are not offered.
pub const NEEDED_SCOPES: &[&str] = &[
    "read:me:authentication_methods",
    "create:me:authentication_methods",
    "delete:me:authentication_methods",
];

/// Renaming and choosing the phone's channel (`PATCH`, §S5.2).
const UPDATE_SCOPE: &str = "update:me:authentication_methods";

/// True when `tokens` carry every scope in [`NEEDED_SCOPES`] (read from the granted `scope`).
pub fn grants_needed_scopes(tokens: &TokenSet) -> bool {
    NEEDED_SCOPES.iter().all(|scope| tokens.has_scope(scope))
}

impl MfaSession {
    /// A verified session from the tokens of a browser sign-in for the My Account API, with
    /// the person's methods listed. Refused ([`FlowError::MyAccountScopesMissing`]) when the
    /// token lacks a scope of [`NEEDED_SCOPES`]: the caller signs in for the MFA API instead.
    pub async fn from_my_account_token(
        client: &Auth0Client,
        mut tokens: TokenSet,
    ) -> Result<Self, FlowError> {
        if !grants_needed_scopes(&tokens) {
            return Err(FlowError::MyAccountScopesMissing);
        }
        // Never kept, as on the MFA API path (issue 11); the app asks for none.
        tokens.refresh_token = None;
        let mut session = Self {
            account: account_from_tokens(&tokens),
            mfa_token: None,
            requirements: MfaRequirements::default(),
            authenticators: Vec::new(),
            tokens: Some(tokens),
            pending: None,
            through_my_account: true,
        };
        session.refresh_authenticators(client).await?;
        Ok(session)
    }

    /// True when renaming and the phone's channel are offered: a My Account session whose
    /// token carries `update:me:authentication_methods`.
    pub fn can_rename(&self) -> bool {
        self.my_account_token().is_some()
            && self
                .tokens
                .as_ref()
                .is_some_and(|t| t.has_scope(UPDATE_SCOPE))
    }

    /// `GET /me/v1/authentication-methods`, kept as the app's authenticators.
    pub(crate) async fn list_through_my_account(
        &mut self,
        client: &Auth0Client,
    ) -> Result<(), FlowError> {
        let token = self
            .my_account_token()
            .ok_or(FlowError::VerificationRequired)?;
        let methods = MyAccountClient::new(client).list(token).await?;
        self.authenticators = methods.iter().map(as_authenticator).collect();
        Ok(())
    }

    /// `DELETE …/{id}`: a phone goes with both its channels, a push with its hidden twin.
    pub(crate) async fn remove_through_my_account(
        &mut self,
        client: &Auth0Client,
        id: &str,
    ) -> Result<(), FlowError> {
        let token = self
            .my_account_token()
            .ok_or(FlowError::VerificationRequired)?;
        MyAccountClient::new(client).remove(token, id).await?;
        self.authenticators.retain(|a| a.id != id);
        Ok(())
    }

    /// `PATCH …/{id}` `{"preferred_authentication_method"}`: the phone's codes come by
    /// call (`voice`) or by text message. My Account sessions only.
    pub async fn set_phone_channel(
        &mut self,
        client: &Auth0Client,
        id: &str,
        voice: bool,
    ) -> Result<(), FlowError> {
        let token = self
            .my_account_token()
            .ok_or(FlowError::MyAccountRequired)?;
        let method = MyAccountClient::new(client)
            .prefer_voice(token, id, voice)
            .await?;
        if let Some(entry) = self.authenticators.iter_mut().find(|a| a.id == id) {
            *entry = as_authenticator(&method);
        }
        Ok(())
    }
}

/// A My Account method as the app's list shows it: the kind `AuthenticationMethod::kind`
/// gives, confirmed as active, and its name, else its phone number or address.
fn as_authenticator(method: &AuthenticationMethod) -> Authenticator {
    let (authenticator_type, channel) = match method.kind() {
        FactorKind::Otp => ("otp", None),
        FactorKind::Sms => ("oob", Some("sms")),
        FactorKind::Voice => ("oob", Some("voice")),
        FactorKind::Email => ("oob", Some("email")),
        FactorKind::Push => ("oob", Some("auth0")),
        FactorKind::RecoveryCode => ("recovery-code", None),
        FactorKind::Passkey => ("passkey", None),
        FactorKind::Unknown => (method.method_type.as_str(), None),
    };
    Authenticator {
        id: method.id.clone(),
        authenticator_type: authenticator_type.to_owned(),
        active: method.confirmed,
        oob_channel: channel.map(str::to_owned),
        oob_channels: None,
        name: method
            .name
            .clone()
            .or_else(|| method.phone_number.clone())
            .or_else(|| method.email.clone()),
        kind_hint: Some(method.method_type.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(json: &str) -> AuthenticationMethod {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn my_account_methods_keep_their_kinds_names_and_state() {
        let phone = as_authenticator(&method(
            r#"{"id":"phone|dev_A","type":"phone","confirmed":true,"phone_number":"+15551234567","preferred_authentication_method":"voice"}"#,
        ));
        assert_eq!(
            (phone.kind(), phone.name.as_deref(), phone.active),
            (FactorKind::Voice, Some("+15551234567"), true)
        );
        let key = as_authenticator(&method(
            r#"{"id":"passkey|dev_K","type":"passkey","confirmed":true,"name":"Work key","usage":["primary"]}"#,
        ));
        assert_eq!(
            (key.kind(), key.name.as_deref()),
            (FactorKind::Passkey, Some("Work key"))
        );
        let push = as_authenticator(&method(
            r#"{"id":"push-notification|dev_P","type":"push-notification","confirmed":false}"#,
        ));
        assert_eq!((push.kind(), push.active), (FactorKind::Push, false));
    }
}
