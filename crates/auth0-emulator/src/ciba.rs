//! `POST /bc-authorize`: a confidential client asks Auth0 to have a user
//! approve a request on their own phone (CIBA, §S3.2). The request reaches
//! the user as a Guardian push showing the binding message; the
//! `urn:openid:params:grant-type:ciba` grant (`token::ciba`) polls for the
//! answer.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::errors::{ApiError, ApiResult};
use crate::model::Kind;
use crate::state::State;
use crate::tenant::{AuthMethod, GRANT_CIBA};
use crate::tenant_log::Entry;
use crate::token::TokenRequest;
use crate::tokens::{Binding, CibaRequest, PushDecision};

/// §S3.2: `expires_in` 300 unless `requested_expiry` asks less; `interval` 5.
const DEFAULT_EXPIRY_SECS: u64 = 300;
pub const POLL_INTERVAL_SECS: u64 = 5;
/// §S3.2 (DOCS push page): at most 64 characters.
const BINDING_MESSAGE_MAX: usize = 64;

/// `POST /bc-authorize` 200 (recorded, GO-REC TestCIBA_Initiate).
#[derive(Debug, Serialize)]
pub struct CibaStarted {
    pub auth_req_id: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// `login_hint`: `{"format":"iss_sub","iss":"https://TENANT/","sub":"auth0|…"}`.
#[derive(Deserialize)]
struct LoginHint {
    format: String,
    iss: String,
    sub: String,
}

/// ASSUMPTION (§S3.2 UNCONFIRMED wording): every malformed parameter is a
/// `400 invalid_request`, described as below.
fn invalid(description: &str) -> ApiError {
    ApiError::new(400, "invalid_request", description)
}

/// 64 base64url characters, as in the recorded `auth_req_id`.
fn auth_req_id() -> String {
    let bytes: [u8; 48] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

impl State {
    /// Starts a CIBA request and logs `ciba_start_succeeded`/`_failed` (§S3.2).
    pub fn bc_authorize(&mut self, req: &TokenRequest) -> ApiResult<CibaStarted> {
        let result = self.start_ciba(req);
        let mut entry = Entry {
            client_id: req.get("client_id").map(str::to_owned),
            ..Entry::default()
        };
        match &result {
            Ok(started) => {
                let rec = &self.tokens.ciba[&started.auth_req_id];
                entry.user_id = Some(rec.user_id.clone());
                entry = entry.exchange(&rec.audience.clone(), &rec.scope.clone());
                entry.details = Some(serde_json::json!({
                    "notification_channel": "guardian-push",
                    "body": { "audience": rec.audience, "scope": rec.scope },
                }));
                self.log("ciba_start_succeeded", entry);
            }
            Err(e) => self.log(
                "ciba_start_failed",
                entry.description(e.body.error_description.clone()),
            ),
        }
        result
    }

    fn start_ciba(&mut self, req: &TokenRequest) -> ApiResult<CibaStarted> {
        let client = self.authenticate_client(
            req.get("client_id"),
            req.get("client_secret"),
            req.basic.as_ref(),
        )?;
        // §S3.1: confidential clients with the CIBA grant only.
        if client.token_endpoint_auth_method == AuthMethod::None
            || !client.grant_types.iter().any(|g| g == GRANT_CIBA)
        {
            return Err(ApiError::new(
                403,
                "unauthorized_client",
                format!("Grant type '{GRANT_CIBA}' not allowed for the client."),
            )
            .with_error_uri("https://auth0.com/docs/clients/client-grant-types"));
        }
        let scope = req.require("scope")?.to_string();
        if !scope.split_whitespace().any(|s| s == "openid") {
            // Recorded (GO-REC TestCIBANegative_Initiate).
            return Err(invalid("openid scope must be requested"));
        }
        let user_id = self.login_hint_user(req.require("login_hint")?)?;
        let binding_message = req.require("binding_message")?.to_string();
        self.check_binding_message(&binding_message)?;
        let audience = req
            .get("audience")
            .or(req.get("resource"))
            .map(str::to_string)
            .unwrap_or_else(|| self.userinfo_audience());
        self.check_audience(&audience)?;
        // The legacy name is still sent by old SDKs (§S3.2).
        let expiry = match req.get("requested_expiry").or(req.get("request_expiry")) {
            None => DEFAULT_EXPIRY_SECS,
            // ASSUMPTION: push only, so the API reference's 1–300 range.
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=DEFAULT_EXPIRY_SECS).contains(s))
                .ok_or_else(|| invalid("requested_expiry must be between 1 and 300"))?,
        };
        let ui = self.user_index(&user_id).expect("login_hint_user found it");
        // §S3.1: the request travels as a Guardian push; without one it fails.
        let push = self.users[ui]
            .authenticators
            .iter()
            .find(|a| a.active && a.kind == Kind::Push)
            .map(|a| a.id.clone())
            .ok_or_else(|| invalid("The user has no Guardian push enrollment to notify."))?;
        self.take_push(ui)?;
        let binding = Binding::Push {
            decision: PushDecision::Pending,
            last_poll_ms: None,
            enrollment: false,
        };
        let push_oob = self.mint_oob_code(None, &user_id, &push, binding);
        let expires_ms = self.clock.now_ms() + expiry * 1000;
        if let Some(o) = self.tokens.oob_codes.get_mut(&push_oob) {
            o.expires_ms = expires_ms;
        }
        let id = auth_req_id();
        self.tokens.ciba.insert(
            id.clone(),
            CibaRequest {
                client_id: client.client_id.clone(),
                user_id,
                audience,
                scope,
                binding_message,
                expires_ms,
                push_oob,
                interval_secs: POLL_INTERVAL_SECS,
                last_poll_ms: None,
            },
        );
        Ok(CibaStarted {
            auth_req_id: id,
            expires_in: expiry,
            interval: POLL_INTERVAL_SECS,
        })
    }

    /// The user a `login_hint` names: JSON, format `iss_sub`, our issuer.
    fn login_hint_user(&self, hint: &str) -> ApiResult<String> {
        let hint: LoginHint = serde_json::from_str(hint)
            .map_err(|_| invalid("login_hint must be a JSON object in the iss_sub format"))?;
        if hint.format != "iss_sub" {
            return Err(invalid("login_hint format must be iss_sub"));
        }
        if hint.iss != self.issuer() {
            return Err(invalid("login_hint iss does not match the tenant's issuer"));
        }
        self.user_index(&hint.sub)
            .map(|ui| self.users[ui].user_id.clone())
            .ok_or_else(|| {
                // Recorded (GO-REC TestCIBANegative_Initiate).
                ApiError::new(400, "unknown_user_id", "User ID is malformed or unknown")
            })
    }

    /// §S3.2: at most 64 characters, "alphanumeric and `+-_.,:#`", spaces
    /// by tenant setting (UNCONFIRMED, allowed by default).
    fn check_binding_message(&self, message: &str) -> ApiResult<()> {
        let spaces = self.tenant.settings.ciba_binding_message_spaces;
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || "+-_.,:#".contains(c) || (spaces && c == ' ');
        if message.chars().count() > BINDING_MESSAGE_MAX {
            return Err(invalid("binding_message must be at most 64 characters"));
        }
        if !message.chars().all(allowed) {
            return Err(invalid(
                "binding_message may only contain alphanumeric characters and +-_.,:#",
            ));
        }
        Ok(())
    }
}
