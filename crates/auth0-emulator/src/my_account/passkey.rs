//! Passkey enrollment through the My Account API (§S5.3): `POST` answers the WebAuthn
//! creation options with no `id` and `Location: …/passkey%7Cnew`; `POST …/passkey%7Cnew/verify`
//! checks the attestation with webauthn-rs-core (challenge, origin, RP ID hash, signature)
//! and keeps the credential id, COSE key and sign counter on the person.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{COSEAlgorithm, RegisterPublicKeyCredential};

use super::body::{object, required};
use super::methods::{find_method, MethodView};
use super::problem::{MeResult, Problem};
use super::sessions::{PendingMethod, Proof, Started};
use crate::ids;
use crate::passkey::{key_facts, verification_policy, Passkey, MAX_PER_USER};
use crate::state::State;

/// The id a started passkey enrollment goes by until it is verified (§S5.3).
pub const PASSKEY_NEW: &str = "passkey|new";

/// §S5.3's size limits of the base64url fields of `authn_response.response`.
const MAX_ATTESTATION_OBJECT: usize = 2000;
const MAX_CLIENT_DATA: usize = 1000;

fn invalid_session() -> Problem {
    Problem::validation("/auth_session", "the auth_session is invalid or expired")
}

/// ASSUMPTION: a refused attestation is a validation error on `/authn_response` whose
/// detail says which check failed (Auth0's wording is unrecorded).
fn refused(error: &WebauthnError) -> Problem {
    let detail = match error {
        WebauthnError::InvalidRPOrigin => "the origin of the client data is not allowed",
        WebauthnError::InvalidRPIDHash => "the credential was created for another relying party",
        WebauthnError::MismatchedChallenge => "the challenge does not match this enrollment",
        WebauthnError::UserNotVerified => "the authenticator did not verify the user",
        _ => "the attestation could not be verified",
    };
    Problem::validation("/authn_response", detail)
}

/// `authn_response` in the shape §S5.3 gives, as the library's type.
fn registration(fields: &Map<String, Value>) -> MeResult<RegisterPublicKeyCredential> {
    let shape = |detail: &str| Problem::validation("/authn_response", detail.to_owned());
    let outer = fields.get("authn_response").ok_or_else(|| {
        Problem::validation("/", "data must have required property 'authn_response'")
    })?;
    let allowed = [
        "id",
        "rawId",
        "type",
        "authenticatorAttachment",
        "response",
        "clientExtensionResults",
    ];
    let o = outer
        .as_object()
        .ok_or_else(|| shape("data/authn_response must be object"))?;
    if let Some(extra) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Problem::validation(
            &format!("/authn_response/{extra}"),
            "data must NOT have additional properties",
        ));
    }
    if o.get("type").and_then(Value::as_str) != Some("public-key") {
        return Err(Problem::validation(
            "/authn_response/type",
            "data/authn_response/type must be equal to constant 'public-key'",
        ));
    }
    let response = o.get("response").and_then(Value::as_object);
    let too_long = |key: &str, max: usize| {
        response
            .and_then(|r| r.get(key))
            .and_then(Value::as_str)
            .is_some_and(|s| s.len() > max)
    };
    for (key, max) in [
        ("attestationObject", MAX_ATTESTATION_OBJECT),
        ("clientDataJSON", MAX_CLIENT_DATA),
    ] {
        if too_long(key, max) {
            return Err(Problem::validation(
                &format!("/authn_response/response/{key}"),
                format!(
                    "data/authn_response/response/{key} must NOT have more than {max} characters"
                ),
            ));
        }
    }
    serde_json::from_value(outer.clone())
        .map_err(|_| shape("data/authn_response is not a WebAuthn registration response"))
}

impl State {
    /// `{"type":"passkey"}` (optional `connection`, `identity_user_id`, which must be the
    /// person's own): the creation options and an `auth_session` holding the challenge.
    pub(super) fn start_passkey(
        &mut self,
        ui: usize,
        fields: &Map<String, Value>,
    ) -> MeResult<Started> {
        if !self.tenant.settings.passkeys {
            return Err(Problem::validation(
                "/type",
                "the passkey factor is not enabled",
            ));
        }
        let user = &self.users[ui];
        let identity = user.user_id.trim_start_matches("auth0|").to_owned();
        for (key, own) in [
            ("connection", &user.connection),
            ("identity_user_id", &identity),
        ] {
            if fields
                .get(key)
                .is_some_and(|v| v.as_str() != Some(own.as_str()))
            {
                return Err(Problem::validation(
                    &format!("/{key}"),
                    format!("data/{key} is not the user's own"),
                ));
            }
        }
        if user.passkeys.len() >= MAX_PER_USER {
            // ASSUMPTION: the answer at the documented limit is unrecorded.
            return Err(Problem::validation(
                "/type",
                "the user already has the most passkeys allowed",
            ));
        }
        let user_handle = user.user_id.as_bytes().to_vec();
        let display_name = user.profile.name.clone();
        let email = user.email.clone();
        let policy = verification_policy(&self.tenant.settings.passkey_user_verification);
        let rp = self.relying_party();
        let builder = rp
            .new_challenge_register_builder(&user_handle, &email, &display_name)
            .map_err(|e| refused(&e))?
            .credential_algorithms(vec![COSEAlgorithm::ES256, COSEAlgorithm::RS256])
            .require_resident_key(true)
            .user_verification_policy(policy);
        let (options, state) = rp
            .generate_challenge_register(builder)
            .map_err(|e| refused(&e))?;
        let generated = serde_json::to_value(&options.public_key).unwrap_or_default();
        // §S5.3's shape exactly, from the library's challenge and parameters.
        let public_key = json!({
            "challenge": generated["challenge"],
            "timeout": generated["timeout"],
            "rp": {"id": generated["rp"]["id"], "name": generated["rp"]["name"]},
            "user": {
                "id": URL_SAFE_NO_PAD.encode(&user_handle),
                "name": email,
                "displayName": display_name,
            },
            "pubKeyCredParams": generated["pubKeyCredParams"],
            "authenticatorSelection": {
                "residentKey": "required",
                "userVerification": self.tenant.settings.passkey_user_verification,
            },
        });
        let now_ms = self.clock.now_ms();
        let expires_ms = now_ms + self.tenant.settings.my_account_auth_session_ttl_secs * 1000;
        let auth_session = ids::fe26(expires_ms);
        self.my_account.start(
            auth_session.clone(),
            PendingMethod {
                user_id: self.users[ui].user_id.clone(),
                method_id: PASSKEY_NEW.into(),
                members: Vec::new(),
                proof: Proof::Passkey(Box::new(state)),
                expires_ms,
            },
        );
        Ok(Started {
            method_id: PASSKEY_NEW.into(),
            body: json!({ "auth_session": auth_session, "authn_params_public_key": public_key }),
        })
    }

    /// `POST …/passkey%7Cnew/verify` with `{auth_session, authn_response}`. The session is
    /// spent by any attestation it checks, good or bad: a challenge is answered once.
    pub(super) fn verify_passkey(
        &mut self,
        ui: usize,
        body: &Value,
        user_agent: &str,
    ) -> MeResult<MethodView> {
        let fields = object(body, &["auth_session", "authn_response"])?;
        let auth_session = required(fields, "auth_session")?.to_owned();
        let user_id = self.users[ui].user_id.clone();
        let now_ms = self.clock.now_ms();
        let pending = self
            .my_account
            .find(&auth_session, &user_id, PASSKEY_NEW, now_ms)
            .cloned();
        let response = registration(fields)?;
        let Some(Proof::Passkey(state)) = pending.map(|p| p.proof) else {
            return Err(invalid_session());
        };
        self.my_account.finish(&auth_session);
        let rp_id = self.passkey_rp_id();
        let credential = self
            .relying_party()
            .register_credential(&response, &state, None)
            .map_err(|e| refused(&e))?;
        let known = self.users.iter().flat_map(|u| &u.passkeys);
        if known
            .into_iter()
            .any(|p| p.credential.cred_id == credential.cred_id)
        {
            // ASSUMPTION: a credential registered before (excludeCredentials is internal).
            return Err(Problem::validation(
                "/authn_response",
                "the credential is already registered",
            ));
        }
        let facts = key_facts(&response.response.attestation_object).ok_or_else(|| {
            Problem::validation("/authn_response", "the attestation could not be verified")
        })?;
        let transports = serde_json::to_value(&response.response.transports).unwrap_or_default();
        let passkey = Passkey {
            id: format!("passkey|{}", ids::device_suffix()),
            name: None,
            created_ms: now_ms,
            last_auth_ms: None,
            credential,
            public_key: facts.public_key,
            aaguid: facts.aaguid,
            transports: serde_json::from_value(transports).unwrap_or_default(),
            user_agent: user_agent.to_owned(),
            user_handle: URL_SAFE_NO_PAD.encode(user_id.as_bytes()),
            relying_party_id: rp_id,
        };
        let id = passkey.id.clone();
        self.users[ui].passkeys.push(passkey);
        let entry = crate::tenant_log::Entry::user(&user_id, None);
        self.log("my_account_authentication_method_succeeded", entry);
        find_method(&self.users[ui], &id)
    }
}
