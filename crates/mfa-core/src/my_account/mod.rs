//! Auth0's My Account API (`https://{domain}/me/v1`, §S5): a signed-in person's own
//! authentication methods with an access token for the audience `https://{domain}/me/`.
//! Listing, enrolling (start, then verify with the `auth_session`), renaming, choosing the
//! phone's channel, removing, and the factors the tenant offers.
//!
//! Whether a tenant offers the API at all is read from its exact answer, never guessed
//! from a status: an unactivated API answers every path with a 404 saying "The requested
//! resource … was not found." ([`ApiError::MyAccountUnavailable`]); asking for its audience
//! at sign-in answers "Service not found: https://{domain}/me/" ([`unavailable_at_sign_in`]).

mod decode;
mod model;
pub mod passkey;

use percent_encoding::{percent_decode_str, utf8_percent_encode};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::Auth0Client;
use crate::error::ApiError;
use crate::flow::EnrollRequest;
use crate::input::RecoveryCode;
use crate::secret::{secret, AccessToken, ExposeSecret};
use crate::transport::{read_json, Transport, PATH_SEGMENT};
use decode::{MeCall, MeError};
use model::{FactorList, MethodList, RawStarted};

pub use model::{AuthenticationMethod, Factor, MethodStarted};

/// The scopes the app asks for (§S5.1); what it gets is cut to the tenant's client grant.
pub const SCOPES: &[&str] = &[
    "create:me:authentication_methods",
    "read:me:authentication_methods",
    "update:me:authentication_methods",
    "delete:me:authentication_methods",
    "read:me:factors",
];

/// True when a sign-in that asked for the My Account audience was refused because the
/// tenant has no such API (§S5.1, §S1.1 "Service not found: <aud>").
pub fn unavailable_at_sign_in(error: &ApiError, audience: &str) -> bool {
    let description = match error {
        ApiError::AccessDenied { description }
        | ApiError::AuthorizationCodeRejected { description }
        | ApiError::InvalidRequest { description } => description,
        _ => return false,
    };
    description == &format!("Service not found: {audience}")
}

/// The My Account API of one tenant, over the app's one connection pool.
#[derive(Clone)]
pub struct MyAccountClient {
    transport: Transport,
}

impl MyAccountClient {
    pub fn new(client: &Auth0Client) -> Self {
        Self {
            transport: Transport::with_http(client.http().clone(), &client.config().base_url),
        }
    }

    /// `GET /me/v1/authentication-methods`.
    pub async fn list(&self, token: &AccessToken) -> Result<Vec<AuthenticationMethod>, ApiError> {
        let request = self.request(Method::GET, "authentication-methods", token);
        let list: MethodList = self.send_json(MeCall::List, request).await?;
        Ok(list.authentication_methods)
    }

    /// `POST /me/v1/authentication-methods` for an authenticator app, phone, email or push
    /// (§S5.3): 202, the method's id in `Location`.
    pub async fn start(
        &self,
        token: &AccessToken,
        request: &EnrollRequest,
    ) -> Result<MethodStarted, ApiError> {
        self.start_with(token, enroll_body(request)).await
    }

    /// `POST /me/v1/authentication-methods` `{"type":"recovery-code"}`: the new code is in
    /// the answer, shown once.
    pub async fn start_recovery_code(
        &self,
        token: &AccessToken,
    ) -> Result<MethodStarted, ApiError> {
        self.start_with(token, json!({"type": "recovery-code"}))
            .await
    }

    /// `POST …/{id}/verify` with the code the person received or read from the app (`None`
    /// for push and recovery codes): 201, the confirmed method.
    pub async fn verify(
        &self,
        token: &AccessToken,
        started: &MethodStarted,
        otp_code: Option<&str>,
    ) -> Result<AuthenticationMethod, ApiError> {
        let mut body = json!({"auth_session": started.auth_session.expose_secret()});
        if let Some(code) = otp_code {
            body["otp_code"] = code.into();
        }
        let path = format!("authentication-methods/{}/verify", segment(&started.id));
        let request = self.request(Method::POST, &path, token).json(&body);
        self.send_json(MeCall::Verify, request).await
    }

    /// `PATCH …/{id}` `{"name": …}`.
    pub async fn rename(
        &self,
        token: &AccessToken,
        id: &str,
        name: &str,
    ) -> Result<AuthenticationMethod, ApiError> {
        self.update(token, id, json!({"name": name})).await
    }

    /// `PATCH …/{id}` `{"preferred_authentication_method": "sms" | "voice"}` for a phone.
    pub async fn prefer_voice(
        &self,
        token: &AccessToken,
        id: &str,
        voice: bool,
    ) -> Result<AuthenticationMethod, ApiError> {
        let channel = if voice { "voice" } else { "sms" };
        self.update(
            token,
            id,
            json!({"preferred_authentication_method": channel}),
        )
        .await
    }

    /// `DELETE …/{id}`: 204.
    pub async fn remove(&self, token: &AccessToken, id: &str) -> Result<(), ApiError> {
        let path = format!("authentication-methods/{}", segment(id));
        let request = self.request(Method::DELETE, &path, token);
        self.transport
            .send::<MeError>(MeCall::Delete, request)
            .await
            .map(drop)
            .map_err(|e| e.0)
    }

    /// `GET /me/v1/factors`: the factors the tenant lets this person enroll.
    pub async fn factors(&self, token: &AccessToken) -> Result<Vec<Factor>, ApiError> {
        let request = self.request(Method::GET, "factors", token);
        let list: FactorList = self.send_json(MeCall::Factors, request).await?;
        Ok(list.factors)
    }

    async fn start_with(
        &self,
        token: &AccessToken,
        body: Value,
    ) -> Result<MethodStarted, ApiError> {
        let request = self
            .request(Method::POST, "authentication-methods", token)
            .json(&body);
        let (status, location, bytes) = self.send_with_location(MeCall::Enroll, request).await?;
        let raw: RawStarted = read_json::<_, MeError>(status.as_u16(), &bytes).map_err(|e| e.0)?;
        // §S5.2: the id exactly as `Location` gives it (a passkey's 202 has no `id`).
        let id = location
            .as_deref()
            .and_then(last_segment)
            .or(raw.id)
            .ok_or(ApiError::UnexpectedResponse {
                status: status.as_u16(),
                detail: "an enrollment without an id".into(),
            })?;
        Ok(MethodStarted {
            id,
            auth_session: secret(raw.auth_session),
            barcode_uri: raw.barcode_uri.map(secret),
            manual_input_code: raw.manual_input_code.map(secret),
            recovery_code: raw.recovery_code.map(RecoveryCode::from_server),
        })
    }

    async fn update(
        &self,
        token: &AccessToken,
        id: &str,
        body: Value,
    ) -> Result<AuthenticationMethod, ApiError> {
        let path = format!("authentication-methods/{}", segment(id));
        let request = self.request(Method::PATCH, &path, token).json(&body);
        self.send_json(MeCall::Update, request).await
    }

    fn request(&self, method: Method, path: &str, token: &AccessToken) -> RequestBuilder {
        self.transport
            .request(method, &format!("me/v1/{path}"))
            .bearer_auth(token.expose_secret())
    }

    async fn send_json<T: DeserializeOwned>(
        &self,
        call: MeCall,
        request: RequestBuilder,
    ) -> Result<T, ApiError> {
        self.transport
            .send_json::<T, MeError>(call, request)
            .await
            .map_err(|e| e.0)
    }

    /// Like `send`, keeping the `Location` header.
    async fn send_with_location(
        &self,
        call: MeCall,
        request: RequestBuilder,
    ) -> Result<(StatusCode, Option<String>, bytes::Bytes), ApiError> {
        let (status, location, body) = self
            .transport
            .send_keeping::<MeError>(call, request, reqwest::header::LOCATION)
            .await
            .map_err(|e| e.0)?;
        Ok((status, location, body))
    }
}

/// The My Account body of an enrollment request (§S5.3).
fn enroll_body(request: &EnrollRequest) -> Value {
    match request {
        EnrollRequest::Otp => json!({"type": "totp"}),
        EnrollRequest::Sms(phone) => json!({
            "type": "phone", "phone_number": phone.e164(), "preferred_authentication_method": "sms"
        }),
        EnrollRequest::Voice(phone) => json!({
            "type": "phone", "phone_number": phone.e164(), "preferred_authentication_method": "voice"
        }),
        EnrollRequest::Email(email) => json!({"type": "email", "email": email.as_str()}),
        EnrollRequest::Push => json!({"type": "push-notification"}),
    }
}

fn segment(id: &str) -> String {
    utf8_percent_encode(id, PATH_SEGMENT).to_string()
}

/// The method id a `Location` header names: its last path segment, percent-decoded.
fn last_segment(location: &str) -> Option<String> {
    let last = location.trim_end_matches('/').rsplit('/').next()?;
    let decoded = percent_decode_str(last).decode_utf8().ok()?;
    (!decoded.is_empty()).then(|| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_location_s_last_segment_decoded() {
        assert_eq!(
            last_segment("https://t.example/me/v1/authentication-methods/passkey%7Cnew").as_deref(),
            Some("passkey|new")
        );
        assert_eq!(last_segment(""), None);
    }

    #[test]
    fn only_the_service_not_found_answer_means_no_api() {
        let audience = "https://t.example/me/";
        let refused = ApiError::AccessDenied {
            description: format!("Service not found: {audience}"),
        };
        assert!(unavailable_at_sign_in(&refused, audience));
        let other = ApiError::AccessDenied {
            description: "Unauthorized".into(),
        };
        assert!(!unavailable_at_sign_in(&other, audience));
        assert!(!unavailable_at_sign_in(&ApiError::NotFound, audience));
    }
}
