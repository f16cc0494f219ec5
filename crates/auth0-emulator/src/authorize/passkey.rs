//! Signing in with a passkey on the hosted page (§S5: the credentials the My Account API
//! registered). The page asks `POST /u/passkey/options` for a challenge and the person's
//! credentials (`allowCredentials`), hands them to the browser's `navigator.credentials.get`,
//! and posts the assertion to `POST /u/passkey/verify`; webauthn-rs-core checks the
//! challenge, origin, RP ID hash, signature and that the sign counter went up. A challenge
//! is answered once, right or wrong. The person's email says whose credentials to offer
//! (the identifier-first step); an unknown email gets a challenge that nothing answers, so
//! the answer does not tell who has an account.

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use webauthn_rs_core::proto::PublicKeyCredential;

use super::login::form;
use super::{expired, App};
use crate::errors::json_response;
use crate::html::param;
use crate::passkey::{verification_policy, PendingAssertion};
use crate::state::State;
use crate::tokens::LoginStage;

/// The same words for every refusal: which check failed stays on the server.
const REFUSED: &str = "The passkey could not be verified. Try again or use your password.";

/// `state`, `email` → `{"publicKey":{challenge, timeout, rpId, allowCredentials, userVerification}}`.
pub async fn options(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let mut st = app.lock();
    if st.login(&id, LoginStage::Password).is_none() {
        return expired();
    }
    if !st.tenant.settings.passkeys {
        let off = json!({"error": "not_found", "error_description": "Passkeys are not enabled."});
        return json_response(StatusCode::NOT_FOUND, &off);
    }
    let connection = st.tenant.default_directory.clone();
    let ui = st.find_login(&connection, &param(&body, "email"));
    let (user_id, credentials) = match ui {
        Some(ui) => {
            let user = &st.users[ui];
            let creds = user.passkeys.iter().map(|p| p.credential.clone()).collect();
            (user.user_id.clone(), creds)
        }
        None => (String::new(), Vec::new()),
    };
    let policy = verification_policy(&st.tenant.settings.passkey_user_verification);
    let rp = st.relying_party();
    let challenge = rp
        .new_challenge_authenticate_builder(credentials, Some(policy))
        .and_then(|b| rp.generate_challenge_authenticate(b));
    let Ok((request, state)) = challenge else {
        return json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error": "server_error"}),
        );
    };
    let expires_ms = st.clock.now_ms() + crate::passkey::TIMEOUT_MS;
    let pending = PendingAssertion {
        user_id,
        state,
        expires_ms,
    };
    st.passkey_sign_ins.start(&id, pending);
    json_response(StatusCode::OK, &json!({ "publicKey": request.public_key }))
}

/// `state`, `credential` (the assertion as JSON) → on to MFA or back to the app, as after a
/// password; refused, the sign-in page again with one message.
pub async fn verify(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let mut st = app.lock();
    let Some(tx) = st.login(&id, LoginStage::Password) else {
        return expired();
    };
    let now_ms = st.clock.now_ms();
    let pending = st.passkey_sign_ins.take(&id, now_ms);
    let assertion: Option<PublicKeyCredential> =
        serde_json::from_str(&param(&body, "credential")).ok();
    let (Some(pending), Some(assertion)) = (pending, assertion) else {
        return form(StatusCode::BAD_REQUEST, &id, "", Some(REFUSED), true);
    };
    let Some(ui) = st.accept_assertion(&pending, &assertion) else {
        if !pending.user_id.is_empty() {
            let entry = crate::tenant_log::Entry::user(&pending.user_id, Some(&tx.client_id));
            st.log("f", entry.description(REFUSED));
        }
        return form(StatusCode::FORBIDDEN, &id, "", Some(REFUSED), true);
    };
    if st.refuse_blocked(ui, &tx.client_id) {
        st.tokens.logins.remove(&id);
        return super::error_redirect(&tx, "unauthorized", "user is blocked");
    }
    let user_id = st.users[ui].user_id.clone();
    let now = st.clock.now_secs();
    let login = st.login_mut(&id);
    login.user_id = Some(user_id);
    login.auth_time = Some(now);
    if st.tenant.settings.passkey_skips_mfa {
        return st.finish_login(&id);
    }
    st.after_password(&id, ui)
}

impl State {
    /// The library's verdict on `assertion`, against the person's credential as stored now
    /// (not as it was when the challenge was made, so a counter that went up in between
    /// counts); on success its counter and backup state are kept and the person's index
    /// returned.
    fn accept_assertion(
        &mut self,
        pending: &PendingAssertion,
        assertion: &PublicKeyCredential,
    ) -> Option<usize> {
        let ui = self.user_index(&pending.user_id)?;
        let at = self.users[ui]
            .passkeys
            .iter()
            .position(|p| p.credential.cred_id == assertion.raw_id)?;
        let stored = &self.users[ui].passkeys[at].credential;
        let result = self
            .relying_party()
            .authenticate_single_credential(assertion, &pending.state, stored)
            .ok()?;
        let now_ms = self.clock.now_ms();
        let passkey = &mut self.users[ui].passkeys[at];
        passkey.credential.counter = result.counter();
        passkey.credential.backup_state = result.backup_state();
        passkey.last_auth_ms = Some(now_ms);
        Some(ui)
    }
}
