//! The hosted `/activate` page (§S2.4): the user code (pre-filled from
//! `?user_code=`), then the same sign-in and MFA pages as `/authorize`, then
//! "is this your device?", then the allowed or denied page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::html::{self, error_line, escape, page, param};
use crate::ids;
use crate::state::{Shared, State};
use crate::tenant_log::Entry;
use crate::tokens::{DeviceState, LoginStage, LoginTx, SignIn};

type App = AxState<Arc<Shared>>;

/// How long the sign-in behind an activation may take.
const LOGIN_TTL_MS: u64 = 10 * 60 * 1000;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/activate", get(show).post(submit))
        .route("/activate/confirm", get(show_confirm).post(confirm))
}

fn buttons() -> &'static str {
    "<button type=\"submit\" name=\"action\" value=\"continue\" id=\"continue\">Continue</button>\n\
<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button>"
}

fn code_form(status: StatusCode, code: &str, error: Option<&str>) -> Response {
    let body = format!(
        "{}<p>Enter the code shown on your device.</p>\n<form method=\"post\" action=\"/activate\">\n\
<label>Code <input name=\"code\" value=\"{}\" autocomplete=\"off\"></label>\n{}\n</form>",
        error_line(error),
        escape(code),
        buttons()
    );
    page(status, "Device activation", &body, None)
}

fn outcome(status: StatusCode, id: &str, text: &str) -> Response {
    let body = format!("<p id=\"{id}\">{}</p>", escape(text));
    page(status, "Device activation", &body, None)
}

async fn show(RawQuery(raw): RawQuery) -> Response {
    let code = param(raw.unwrap_or_default().as_bytes(), "user_code");
    code_form(StatusCode::OK, &code, None)
}

async fn submit(AxState(app): App, body: Bytes) -> Response {
    if param(&body, "action") == "cancel" {
        return outcome(StatusCode::OK, "cancelled", "Activation cancelled.");
    }
    let typed = param(&body, "code");
    let mut st = app.lock();
    let Some(device_code) = st.pending_device_code(&typed) else {
        // §S2.4: a failed activation is `fdeac`.
        let entry = Entry::default().description("Invalid or expired user code");
        st.log("fdeac", entry);
        // ASSUMPTION: the wording of a wrong or expired code.
        return code_form(
            StatusCode::BAD_REQUEST,
            &typed,
            Some("Invalid or expired code."),
        );
    };
    let d = &st.tokens.device_codes[&device_code];
    let tx = LoginTx {
        client_id: d.client_id.clone(),
        redirect_uri: String::new(),
        state: None,
        code_challenge: None,
        audience: d.audience.clone(),
        scope: d.scope.clone(),
        expires_ms: st.clock.now_ms() + LOGIN_TTL_MS,
        stage: LoginStage::Password,
        user_id: None,
        sent_code: None,
        push_oob: None,
        pending_totp: None,
        nonce: None,
        auth_time: None,
        device_code: Some(device_code),
        mfa_done: false,
        acr_mfa: false,
    };
    let id = ids::alnum(32);
    st.tokens.logins.insert(id.clone(), tx);
    html::redirect(&format!("/u/login?state={id}"))
}

/// The activation waiting for its confirmation, if still going.
fn confirming(st: &State, id: &str) -> Option<LoginTx> {
    let tx = st.tokens.logins.get(id)?;
    let live = tx.expires_ms > st.clock.now_ms() && tx.stage == LoginStage::ConfirmDevice;
    live.then(|| tx.clone())
}

fn gone() -> Response {
    outcome(
        StatusCode::BAD_REQUEST,
        "error",
        "This activation has expired. Start again on your device.",
    )
}

async fn show_confirm(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    let id = param(raw.unwrap_or_default().as_bytes(), "state");
    let st = app.lock();
    let Some(tx) = confirming(&st, &id) else {
        return gone();
    };
    let device = tx
        .device_code
        .as_ref()
        .and_then(|d| st.tokens.device_codes.get(d));
    let Some(device) = device else {
        return gone();
    };
    let body = format!(
        "<p>Is this the code your device shows? <code id=\"user-code\">{}</code></p>\n\
<form method=\"post\" action=\"/activate/confirm\">\n<input type=\"hidden\" name=\"state\" value=\"{}\">\n{}\n</form>",
        escape(&device.user_code),
        escape(&id),
        buttons()
    );
    page(StatusCode::OK, "Device activation", &body, None)
}

async fn confirm(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let mut st = app.lock();
    let Some(tx) = confirming(&st, &id) else {
        return gone();
    };
    st.tokens.logins.remove(&id);
    let device_code = tx.device_code.clone().unwrap_or_default();
    let now = st.clock.now_ms();
    let live = st
        .tokens
        .device_codes
        .get(&device_code)
        .is_some_and(|d| d.expires_ms > now && matches!(d.state, DeviceState::Pending));
    if !live {
        return gone();
    }
    let user_id = tx.user_id.clone().unwrap_or_default();
    if param(&body, "action") == "cancel" {
        st.tokens
            .device_codes
            .get_mut(&device_code)
            .expect("live")
            .state = DeviceState::Denied;
        let entry = Entry::user(&user_id, Some(&tx.client_id));
        st.log(
            "fdecc",
            entry.description("User cancelled the confirmation prompt."),
        );
        return outcome(
            StatusCode::OK,
            "denied",
            "You denied access to your device.",
        );
    }
    let auth_time = tx.auth_time.unwrap_or(now / 1000);
    let session_id = st.open_session(&user_id, &tx.client_id, auth_time, tx.mfa_done);
    if tx.mfa_done {
        st.log(
            "gd_auth_succeed",
            Entry::user(&user_id, Some(&tx.client_id)),
        );
    }
    let entry = Entry::user(&user_id, Some(&tx.client_id));
    st.log("s", entry.description("Success Login"));
    let sign_in = SignIn {
        auth_time,
        mfa: tx.mfa_done,
        mfa_via_api: false,
        nonce: None,
        session_id: Some(session_id),
    };
    st.tokens
        .device_codes
        .get_mut(&device_code)
        .expect("live")
        .state = DeviceState::Approved { user_id, sign_in };
    outcome(
        StatusCode::OK,
        "allowed",
        "Your device is now signed in. You can close this page.",
    )
}
