//! A typed client for Auth0's Authentication API token endpoint and MFA API.
//!
//! One `reqwest::Client` (rustls, keep-alive, in the transport it shares with the Management
//! client) serves every call, so a whole session runs over one connection. Nothing is retried automatically: most of these calls are not idempotent
//! (a retried challenge sends a second SMS; a retried recovery-code grant could only fail after
//! the first one rotated the code), so the caller decides.

mod decode;

use percent_encoding::utf8_percent_encode;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::config::{ConfigError, TenantConfig};
use crate::error::ApiError;
use crate::input::{OtpCode, RecoveryCode};
use crate::model::{
    AssociateRequest, Association, Authenticator, Challenge, ChallengeRequest, MfaRequired,
    RawAssociation, RawChallenge, RawTokenSet, TokenSet,
};
use crate::oauth::PkceVerifier;
use crate::secret::{AccessToken, AuthorizationCode, ExposeSecret, MfaToken, OobCode, Password};
pub use crate::transport::Timeouts;
use crate::transport::{Transport, PATH_SEGMENT};
use decode::Call;

const GRANT_PASSWORD: &str = "password";
const GRANT_PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
const GRANT_MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";
const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";

/// What proves a sign-in to the MFA API: the `mfa_token` of a password sign-in, or an access
/// token for the MFA API (once verified, or after a browser sign-in, where it stands in for the
/// `mfa_token`: spec §2.4).
#[derive(Debug, Clone, Copy)]
pub enum MfaCredential<'a> {
    MfaToken(&'a MfaToken),
    AccessToken(&'a AccessToken),
}

impl MfaCredential<'_> {
    fn expose(&self) -> &str {
        match self {
            Self::MfaToken(token) => token.expose_secret(),
            Self::AccessToken(token) => token.expose_secret(),
        }
    }
}

impl<'a> From<&'a MfaToken> for MfaCredential<'a> {
    fn from(token: &'a MfaToken) -> Self {
        Self::MfaToken(token)
    }
}

impl<'a> From<&'a AccessToken> for MfaCredential<'a> {
    fn from(token: &'a AccessToken) -> Self {
        Self::AccessToken(token)
    }
}

/// The answer to a password sign-in.
#[derive(Debug)]
pub enum SignInOutcome {
    Tokens(TokenSet),
    MfaRequired(MfaRequired),
}

#[derive(Clone)]
pub struct Auth0Client {
    transport: Transport,
    config: TenantConfig,
}

impl std::fmt::Debug for Auth0Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth0Client")
            .field("tenant", &self.config.base_url.as_str())
            .finish()
    }
}

impl Auth0Client {
    pub fn new(config: TenantConfig) -> Result<Self, ConfigError> {
        Self::with_timeouts(config, Timeouts::default())
    }

    pub fn with_timeouts(config: TenantConfig, timeouts: Timeouts) -> Result<Self, ConfigError> {
        let transport = Transport::new(&config.base_url, timeouts)?;
        Ok(Self { transport, config })
    }

    pub fn config(&self) -> &TenantConfig {
        &self.config
    }

    /// The app's one HTTP client (connection pool), for the few other calls it makes to
    /// the tenant's host (the demo inbox).
    pub fn http(&self) -> &reqwest::Client {
        self.transport.http()
    }

    // ---- /oauth/token -------------------------------------------------------------------

    /// Resource-owner password sign-in, asking for an MFA-API token so that the same sign-in
    /// can later list, add and remove authenticators.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &Password,
    ) -> Result<SignInOutcome, ApiError> {
        let audience = self.config.mfa_audience();
        let scope = self.config.sign_in_scope();
        let mut form = vec![
            ("username", username),
            ("password", password.expose_secret()),
            ("audience", &audience),
            ("scope", &scope),
        ];
        match self.config.realm.as_deref() {
            Some(realm) => form.extend([("grant_type", GRANT_PASSWORD_REALM), ("realm", realm)]),
            None => form.push(("grant_type", GRANT_PASSWORD)),
        }
        match self.token(Call::PasswordGrant, &form).await {
            Ok(tokens) => Ok(SignInOutcome::Tokens(tokens)),
            Err(ApiError::MfaRequired(required)) => Ok(SignInOutcome::MfaRequired(*required)),
            Err(other) => Err(other),
        }
    }

    /// `mfa-otp`: a code from an authenticator app.
    pub async fn verify_otp<'a>(
        &self,
        mfa_token: impl Into<MfaCredential<'a>>,
        otp: &OtpCode,
    ) -> Result<TokenSet, ApiError> {
        let mfa_token = mfa_token.into();
        let form = [
            ("grant_type", GRANT_MFA_OTP),
            ("mfa_token", mfa_token.expose()),
            ("otp", otp.as_str()),
        ];
        self.token(Call::OtpGrant, &form).await
    }

    /// `mfa-oob`: with the code from an SMS, call or email as `binding_code`, or without one
    /// to poll for a push answer.
    pub async fn verify_oob<'a>(
        &self,
        mfa_token: impl Into<MfaCredential<'a>>,
        oob_code: &OobCode,
        binding_code: Option<&OtpCode>,
    ) -> Result<TokenSet, ApiError> {
        let mfa_token = mfa_token.into();
        let mut form = vec![
            ("grant_type", GRANT_MFA_OOB),
            ("mfa_token", mfa_token.expose()),
            ("oob_code", oob_code.expose_secret()),
        ];
        if let Some(code) = binding_code {
            form.push(("binding_code", code.as_str()));
        }
        self.token(Call::OobGrant, &form).await
    }

    /// `mfa-recovery-code`. On success Auth0 rotates the code and returns the new one in
    /// [`TokenSet::recovery_code`]. Never retry this call: see [`ApiError::outcome_unknown`].
    pub async fn verify_recovery_code(
        &self,
        mfa_token: &MfaToken,
        code: &RecoveryCode,
    ) -> Result<TokenSet, ApiError> {
        let form = [
            ("grant_type", GRANT_MFA_RECOVERY),
            ("mfa_token", mfa_token.expose_secret()),
            ("recovery_code", code.expose()),
        ];
        self.token(Call::RecoveryCodeGrant, &form).await
    }

    /// `authorization_code` with PKCE: redeems the code a browser sign-in brought back on the
    /// loopback redirect. A code works once (presenting it spends it) and for a short time;
    /// either failure is [`ApiError::AuthorizationCodeRejected`].
    pub async fn exchange_authorization_code(
        &self,
        code: &AuthorizationCode,
        verifier: &PkceVerifier,
        redirect_uri: &str,
    ) -> Result<TokenSet, ApiError> {
        let form = [
            ("grant_type", GRANT_AUTHORIZATION_CODE),
            ("code", code.expose_secret()),
            ("code_verifier", verifier.expose_secret()),
            ("redirect_uri", redirect_uri),
        ];
        // A `scope` left out is filled in by the browser sign-in, which knows what it asked.
        self.token(Call::AuthorizationCodeGrant, &form).await
    }

    async fn token(&self, call: Call, form: &[(&str, &str)]) -> Result<TokenSet, ApiError> {
        let mut body: Vec<(&str, &str)> = form.to_vec();
        body.push(("client_id", &self.config.client_id));
        if let Some(secret) = &self.config.client_secret {
            body.push(("client_secret", secret.expose_secret()));
        }
        let request = self
            .transport
            .request(Method::POST, "oauth/token")
            .form(&body);
        let raw: RawTokenSet = self.send_json(call, request).await?;
        Ok(raw.into())
    }

    // ---- /mfa/* ---------------------------------------------------------------------------

    /// `GET /mfa/authenticators` with an `mfa_token` or an access token holding
    /// `read:authenticators`.
    pub async fn list_authenticators<'a>(
        &self,
        bearer: impl Into<MfaCredential<'a>>,
    ) -> Result<Vec<Authenticator>, ApiError> {
        let request = self
            .transport
            .request(Method::GET, "mfa/authenticators")
            .bearer_auth(bearer.into().expose());
        self.send_json(Call::ListAuthenticators, request).await
    }

    /// `POST /mfa/associate`: with the `mfa_token` while the person has no active factor,
    /// otherwise with an access token holding `enroll`.
    pub async fn associate<'a>(
        &self,
        bearer: impl Into<MfaCredential<'a>>,
        body: &AssociateRequest,
    ) -> Result<Association, ApiError> {
        let request = self
            .transport
            .request(Method::POST, "mfa/associate")
            .bearer_auth(bearer.into().expose())
            .json(body);
        let raw: RawAssociation = self.send_json(Call::Associate, request).await?;
        Ok(raw.into())
    }

    /// `POST /mfa/challenge`: sends the SMS, call, email or push for one authenticator.
    pub async fn challenge(
        &self,
        mfa_token: &MfaToken,
        body: &ChallengeRequest,
    ) -> Result<Challenge, ApiError> {
        let mut json = json!({
            "client_id": self.config.client_id,
            "mfa_token": mfa_token.expose_secret(),
        });
        if let Some(secret) = &self.config.client_secret {
            json["client_secret"] = secret.expose_secret().into();
        }
        if let Some(kind) = &body.challenge_type {
            json["challenge_type"] = kind.as_str().into();
        }
        if let Some(id) = &body.authenticator_id {
            json["authenticator_id"] = id.as_str().into();
        }
        let request = self
            .transport
            .request(Method::POST, "mfa/challenge")
            .json(&json);
        let raw: RawChallenge = self.send_json(Call::Challenge, request).await?;
        Ok(raw.into())
    }

    /// `DELETE /mfa/authenticators/{id}` with an access token holding `remove:authenticators`.
    pub async fn delete_authenticator(
        &self,
        access_token: &AccessToken,
        id: &str,
    ) -> Result<(), ApiError> {
        let path = format!(
            "mfa/authenticators/{}",
            utf8_percent_encode(id, PATH_SEGMENT)
        );
        let request = self
            .transport
            .request(Method::DELETE, &path)
            .bearer_auth(access_token.expose_secret());
        self.send(Call::DeleteAuthenticator, request)
            .await
            .map(drop)
    }

    // ---- plumbing -------------------------------------------------------------------------

    async fn send_json<T: DeserializeOwned>(
        &self,
        call: Call,
        request: RequestBuilder,
    ) -> Result<T, ApiError> {
        self.transport.send_json(call, request).await
    }

    async fn send(
        &self,
        call: Call,
        request: RequestBuilder,
    ) -> Result<(StatusCode, bytes::Bytes), ApiError> {
        self.transport.send(call, request).await
    }
}
