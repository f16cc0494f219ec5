//! `GET /authorize` and the hosted sign-in standing in for Universal Login
//! (spec §2.4 "Universal Login / Authorization Code + PKCE"): email and
//! password (`/u/login`), then MFA with a factor the user has (`/u/mfa`) or
//! a first authenticator app (`/u/mfa-enroll`), then a redirect carrying
//! `code` and `state`, or `error=access_denied` when the user cancels or
//! denies the push. The code is redeemed by the `authorization_code` grant.

mod enroll;
mod login;
mod mfa;
mod passkey;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::html::{self, escape, page};
use crate::ids;
use crate::state::{Shared, State};
use crate::tenant::{AuthMethod, MfaPolicy, GRANT_AUTHORIZATION_CODE};
use crate::tenant_log::Entry;
use crate::token::issue::MFA_ACR;
use crate::tokens::{AuthCode, LoginStage, LoginTx, Session, SignIn};

type App = AxState<Arc<Shared>>;

/// How long a sign-in may take from `/authorize` to the redirect.
const LOGIN_TTL_MS: u64 = 10 * 60 * 1000;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/authorize", get(authorize))
        .route("/u/login", get(login::show).post(login::submit))
        .route("/u/mfa", get(mfa::show).post(mfa::submit))
        .route("/u/mfa-enroll", get(enroll::show).post(enroll::submit))
        .route("/u/recovery-code", post(recovery_code_seen))
        .route("/u/passkey/options", post(passkey::options))
        .route("/u/passkey/verify", post(passkey::verify))
}

/// `redirect_uri` with `params` added to its query.
fn with_query(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(redirect_uri).expect("redirect_uri was validated");
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

/// Back to the app with `error` (and `state`); a device activation has no
/// app to go back to, so it ends on a page (the device keeps waiting).
fn error_redirect(tx: &LoginTx, error: &str, description: &str) -> Response {
    if tx.device_code.is_some() {
        let body = format!("<p id=\"error\">{}</p>", escape(description));
        return page(StatusCode::FORBIDDEN, "Device activation", &body, None);
    }
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(state) = &tx.state {
        params.push(("state", state));
    }
    html::redirect(&with_query(&tx.redirect_uri, &params))
}

/// A page for a request the emulator cannot send back to any app.
fn dead_end(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Sign in",
        &format!("<p id=\"error\">{}</p>", escape(message)),
        None,
    )
}

fn expired() -> Response {
    dead_end(
        StatusCode::BAD_REQUEST,
        "This sign-in has expired. Start again from the app.",
    )
}

impl State {
    /// The sign-in `id` names, if it is still going and at `stage`.
    fn login(&self, id: &str, stage: LoginStage) -> Option<LoginTx> {
        let tx = self.tokens.logins.get(id)?;
        (tx.expires_ms > self.clock.now_ms() && tx.stage == stage).then(|| tx.clone())
    }

    fn login_mut(&mut self, id: &str) -> &mut LoginTx {
        self.tokens.logins.get_mut(id).expect("checked by login()")
    }

    /// Ends the sign-in: a single-use code, and the redirect carrying it.
    fn finish_login(&mut self, id: &str) -> Response {
        if self.tokens.logins[id].device_code.is_some() {
            // §S2.4: signed in; the device is confirmed on the next page.
            let tx = self.login_mut(id);
            tx.mfa_done = tx.stage != LoginStage::Password;
            tx.stage = LoginStage::ConfirmDevice;
            return html::redirect(&format!("/activate/confirm?state={id}"));
        }
        let tx = self.tokens.logins.remove(id).expect("checked by login()");
        // Past the password stage means a second factor was verified or
        // enrolled on these pages, in this transaction (§S6).
        let mfa = tx.stage != LoginStage::Password;
        let user_id = tx.user_id.clone().unwrap_or_default();
        let auth_time = tx.auth_time.unwrap_or_else(|| self.clock.now_secs());
        let session_id = self.open_session(&user_id, &tx.client_id, auth_time, mfa);
        if mfa {
            self.log(
                "gd_auth_succeed",
                Entry::user(&user_id, Some(&tx.client_id)),
            );
        }
        self.log(
            "s",
            Entry::user(&user_id, Some(&tx.client_id)).description("Success Login"),
        );
        let sign_in = SignIn {
            auth_time,
            mfa,
            mfa_via_api: false,
            nonce: tx.nonce.clone(),
            session_id: Some(session_id),
        };
        let code = ids::alnum(32);
        let expires_ms =
            self.clock.now_ms() + self.tenant.settings.authorization_code_ttl_secs * 1000;
        self.tokens.auth_codes.insert(
            code.clone(),
            AuthCode {
                client_id: tx.client_id.clone(),
                redirect_uri: tx.redirect_uri.clone(),
                code_challenge: tx.code_challenge.clone(),
                user_id: tx.user_id.clone().unwrap_or_default(),
                audience: tx.audience.clone(),
                scope: tx.scope.clone(),
                expires_ms,
                sign_in,
            },
        );
        let mut params = vec![("code", code.as_str())];
        if let Some(state) = &tx.state {
            params.push(("state", state));
        }
        html::redirect(&with_query(&tx.redirect_uri, &params))
    }

    /// A login session for a finished hosted sign-in; its id is the ID
    /// token's `sid`.
    pub fn open_session(
        &mut self,
        user_id: &str,
        client_id: &str,
        auth_time: u64,
        mfa: bool,
    ) -> String {
        let id = ids::alnum(32);
        let mut methods = vec!["pwd"];
        if mfa {
            methods.push("mfa");
        }
        let session = Session {
            user_id: user_id.to_owned(),
            client_id: client_id.to_owned(),
            created_ms: self.clock.now_ms(),
            authenticated_ms: auth_time * 1000,
            methods,
        };
        self.tokens.sessions.insert(id.clone(), session);
        id
    }

    /// After the password: MFA with a factor the user has, a first
    /// authenticator app, or (tenant policy `if_enrolled`, no factor) done.
    fn after_password(&mut self, id: &str, ui: usize) -> Response {
        let user = &self.users[ui];
        let tx = &self.tokens.logins[id];
        // The Action (§S1.6, §S6) asks MFA for its API and for `acr_values`.
        let action_asks = self.action_requires_mfa(&tx.audience)
            || (tx.acr_mfa && self.tenant.mfa_claim_action.is_some());
        let stage = if user.has_active_factor() {
            LoginStage::Mfa
        } else if self.tenant.settings.mfa_policy == MfaPolicy::Always || action_asks {
            LoginStage::Enroll
        } else {
            return self.finish_login(id);
        };
        let tx = self.login_mut(id);
        tx.stage = stage;
        let next = if stage == LoginStage::Mfa {
            "/u/mfa"
        } else {
            "/u/mfa-enroll"
        };
        html::redirect(&format!("{next}?state={id}"))
    }

    /// Validates an `/authorize` request and starts a sign-in.
    fn start_login(&mut self, q: &[u8]) -> Response {
        let p = |k: &str| Some(html::param(q, k)).filter(|v| !v.is_empty());
        let Some(client) = p("client_id").and_then(|c| self.tenant.client(&c).cloned()) else {
            return dead_end(StatusCode::BAD_REQUEST, "Unknown client.");
        };
        let redirect_uri = p("redirect_uri").unwrap_or_default();
        if !client.allows_callback(&redirect_uri) {
            return dead_end(
                StatusCode::BAD_REQUEST,
                &format!(
                    "Callback URL mismatch. {redirect_uri} is not in the list of Allowed Callback URLs."
                ),
            );
        }
        let tx = LoginTx {
            client_id: client.client_id.clone(),
            redirect_uri,
            state: p("state"),
            code_challenge: p("code_challenge"),
            audience: p("audience").unwrap_or_else(|| self.userinfo_audience()),
            scope: p("scope").unwrap_or_else(|| "openid".into()),
            expires_ms: self.clock.now_ms() + LOGIN_TTL_MS,
            stage: LoginStage::Password,
            user_id: None,
            sent_code: None,
            push_oob: None,
            pending_totp: None,
            nonce: p("nonce"),
            auth_time: None,
            device_code: None,
            mfa_done: false,
            acr_mfa: p("acr_values").is_some_and(|v| v.split_whitespace().any(|a| a == MFA_ACR)),
        };
        if p("response_type").as_deref() != Some("code") {
            return error_redirect(
                &tx,
                "unsupported_response_type",
                "Unsupported response type: only code is supported.",
            );
        }
        if !client
            .grant_types
            .iter()
            .any(|g| g == GRANT_AUTHORIZATION_CODE)
        {
            return error_redirect(
                &tx,
                "unauthorized_client",
                "Grant type 'authorization_code' not allowed for the client.",
            );
        }
        match p("code_challenge_method").as_deref() {
            None | Some("S256") => {}
            Some(_) => {
                return error_redirect(
                    &tx,
                    "invalid_request",
                    "Unsupported code_challenge_method: only S256 is supported.",
                )
            }
        }
        // ASSUMPTION: stricter than Auth0 may be: public clients must use PKCE.
        if client.token_endpoint_auth_method == AuthMethod::None && tx.code_challenge.is_none() {
            return error_redirect(
                &tx,
                "invalid_request",
                "Missing required parameter: code_challenge",
            );
        }
        if let Err(e) = self.check_audience(&tx.audience) {
            // §S1.1: on /authorize an unknown audience is a redirect error.
            return error_redirect(&tx, &e.body.error, &e.body.error_description);
        }
        // §S6: the emulator keeps no SSO session, so every /authorize shows
        // the sign-in page: `prompt=login` and any `max_age` are honoured as
        // they come, and `prompt=none` can never be answered silently.
        if p("prompt").as_deref() == Some("none") {
            return error_redirect(&tx, "login_required", "Login required");
        }
        let id = ids::alnum(32);
        self.tokens.logins.insert(id.clone(), tx);
        html::redirect(&format!("/u/login?state={id}"))
    }
}

async fn authorize(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    app.lock().start_login(raw.unwrap_or_default().as_bytes())
}

/// The hidden `state` field and the cancel button every step shows.
fn step_form(id: &str, action: &str, inner: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"state\" value=\"{id}\">\n{inner}\n\
<button type=\"submit\" name=\"action\" value=\"continue\" id=\"continue\">Continue</button>\n\
<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button>\n</form>",
        id = escape(id),
    )
}

/// ASSUMPTION: the description Auth0 gives a sign-in the user abandoned.
const CANCELLED: &str = "The user cancelled the sign-in.";

/// Shows a new recovery code once; continuing ends the sign-in.
fn show_recovery_code(st: &mut State, id: &str, code: &str) -> Response {
    st.login_mut(id).stage = LoginStage::ShowRecoveryCode;
    let inner = format!(
        "<p>Save this recovery code somewhere safe. It signs you in if you lose your phone.</p>\n\
<p><code id=\"recovery-code\">{}</code></p>",
        escape(code)
    );
    page(
        StatusCode::OK,
        "Your recovery code",
        &step_form(id, "/u/recovery-code", &inner),
        None,
    )
}

async fn recovery_code_seen(AxState(app): App, body: Bytes) -> Response {
    let id = html::param(&body, "state");
    let mut st = app.lock();
    let Some(tx) = st.login(&id, LoginStage::ShowRecoveryCode) else {
        return expired();
    };
    if html::param(&body, "action") == "cancel" {
        st.tokens.logins.remove(&id);
        return error_redirect(&tx, "access_denied", CANCELLED);
    }
    st.finish_login(&id)
}
