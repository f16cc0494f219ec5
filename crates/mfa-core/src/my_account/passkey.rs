//! Passkeys and security keys through the My Account API (§S5.3): `POST {"type":"passkey"}`
//! answers the WebAuthn creation options (`authn_params_public_key`) with an `auth_session`
//! and no `id`; the app's WebAuthn client makes the credential; `POST …/passkey%7Cnew/verify`
//! sends it back as `authn_response`. The shapes are typed here so that nothing else in the
//! app reads them as loose JSON; the challenge and the session are secrets.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::decode::MeCall;
use super::{AuthenticationMethod, MyAccountClient};
use crate::error::ApiError;
use crate::secret::{secret, AccessToken, ExposeSecret, SecretString};

/// The id a started passkey enrollment goes by until it is verified (§S5.3: the 202's
/// `Location` names `passkey%7Cnew`).
pub const NEW_PASSKEY_ID: &str = "passkey|new";

/// `authn_params_public_key` (§S5.3, MYACC-OAS): WebAuthn's
/// `PublicKeyCredentialCreationOptions` in its JSON form, binary fields base64url.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptions {
    /// base64url; single-use, so kept out of `Debug`.
    pub challenge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    pub rp: RelyingParty,
    pub user: PasskeyUser,
    pub pub_key_cred_params: Vec<CredentialParameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelection>,
    /// §S5.3: internal to Auth0, returned only with `use_exclude_credentials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_credentials: Option<Vec<CredentialDescriptor>>,
}

impl std::fmt::Debug for CreationOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreationOptions")
            .field("challenge", &"[REDACTED]")
            .field("timeout", &self.timeout)
            .field("rp", &self.rp)
            .field("user", &self.user)
            .field("pub_key_cred_params", &self.pub_key_cred_params)
            .field("authenticator_selection", &self.authenticator_selection)
            .field("exclude_credentials", &self.exclude_credentials)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RelyingParty {
    /// §S5.3: the tenant's domain, or its custom domain.
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyUser {
    /// base64url of the `user_id`.
    pub id: String,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CredentialParameter {
    #[serde(rename = "type")]
    pub kind: String,
    /// A COSE algorithm: -7 ES256, -257 RS256, -8 EdDSA.
    pub alg: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    /// §S5.3: always `required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_key: Option<String>,
    /// `required`, `preferred` or `discouraged`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CredentialDescriptor {
    #[serde(rename = "type")]
    pub kind: String,
    /// base64url credential id.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transports: Option<Vec<String>>,
}

/// A passkey enrollment started: the session its verify call needs, and the options the
/// authenticator gets.
#[derive(Debug)]
pub struct PasskeyStarted {
    pub auth_session: SecretString,
    pub options: CreationOptions,
}

/// `authn_response` (§S5.3): the new credential as WebAuthn's `PublicKeyCredential` JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponse {
    pub id: String,
    pub raw_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `platform` or `cross-platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    pub response: AttestationData,
    #[serde(default)]
    pub client_extension_results: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AttestationData {
    /// base64url, at most 2000 characters (§S5.3).
    pub attestation_object: String,
    /// base64url, at most 1000 characters (§S5.3).
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    #[serde(default)]
    pub transports: Vec<String>,
}

/// A passkey the person already has, as far as excluding it from a new enrollment goes.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RegisteredPasskey {
    pub id: String,
    /// The credential id, base64url (the list's `key_id`).
    #[serde(default)]
    pub key_id: Option<String>,
}

#[derive(Deserialize)]
struct RawPasskeyStarted {
    auth_session: String,
    authn_params_public_key: CreationOptions,
}

#[derive(Deserialize)]
struct PasskeyList {
    authentication_methods: Vec<RegisteredPasskey>,
}

impl MyAccountClient {
    /// `POST /me/v1/authentication-methods` `{"type":"passkey"}` (§S5.3): 202 with the
    /// creation options and an `auth_session`, no `id`.
    pub async fn start_passkey(&self, token: &AccessToken) -> Result<PasskeyStarted, ApiError> {
        let request = self
            .request(Method::POST, "authentication-methods", token)
            .json(&json!({"type": "passkey"}));
        let raw: RawPasskeyStarted = self.send_json(MeCall::Enroll, request).await?;
        Ok(PasskeyStarted {
            auth_session: secret(raw.auth_session),
            options: raw.authn_params_public_key,
        })
    }

    /// `POST …/passkey%7Cnew/verify` `{"auth_session","authn_response"}`: 201, the confirmed
    /// passkey. Auth0 spends the session on any attestation it checks, good or bad.
    pub async fn verify_passkey(
        &self,
        token: &AccessToken,
        auth_session: &SecretString,
        response: &AttestationResponse,
    ) -> Result<AuthenticationMethod, ApiError> {
        let body = json!({
            "auth_session": auth_session.expose_secret(),
            "authn_response": response,
        });
        let path = format!(
            "authentication-methods/{}/verify",
            super::segment(NEW_PASSKEY_ID)
        );
        let request = self.request(Method::POST, &path, token).json(&body);
        self.send_json(MeCall::Verify, request).await
    }

    /// `GET /me/v1/authentication-methods?type=passkey`: the credential ids a new
    /// enrollment excludes, since Auth0 keeps `excludeCredentials` to itself (§S5.3).
    pub async fn registered_passkeys(
        &self,
        token: &AccessToken,
    ) -> Result<Vec<RegisteredPasskey>, ApiError> {
        let request = self
            .request(Method::GET, "authentication-methods", token)
            .query(&[("type", "passkey")]);
        let list: PasskeyList = self.send_json(MeCall::List, request).await?;
        Ok(list.authentication_methods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s5_3_example_reads_as_creation_options() {
        let example = json!({"challenge":"dGVzdC1jaGFsbGVuZ2U","timeout":60000,
            "rp":{"id":"example.auth0.com","name":"My Application"},
            "user":{"id":"YXV0aDB8NTA3ZjFmNzdiY2Y4NmNkNzk5NDM5MDEx","name":"user@example.com","displayName":"User"},
            "pubKeyCredParams":[{"type":"public-key","alg":-7},{"type":"public-key","alg":-257}],
            "authenticatorSelection":{"residentKey":"required","userVerification":"preferred"}});
        let options: CreationOptions = serde_json::from_value(example.clone()).unwrap();
        assert_eq!(options.rp.id, "example.auth0.com");
        assert_eq!(options.pub_key_cred_params[1].alg, -257);
        assert_eq!(serde_json::to_value(&options).unwrap(), example);
        assert!(!format!("{options:?}").contains("dGVzdC1jaGFsbGVuZ2U"));
    }

    #[test]
    fn an_attestation_is_sent_in_the_s5_3_shape() {
        let response = AttestationResponse {
            id: "AQI".into(),
            raw_id: "AQI".into(),
            kind: "public-key".into(),
            authenticator_attachment: Some("cross-platform".into()),
            response: AttestationData {
                attestation_object: "o2Nm".into(),
                client_data_json: "eyJ0".into(),
                transports: vec!["usb".into()],
            },
            client_extension_results: Default::default(),
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"id":"AQI","rawId":"AQI","type":"public-key","authenticatorAttachment":"cross-platform",
                "response":{"attestationObject":"o2Nm","clientDataJSON":"eyJ0","transports":["usb"]},
                "clientExtensionResults":{}})
        );
    }
}
