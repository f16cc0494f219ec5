//! `/u/login`: email and password, under the same brute-force protection as
//! the password grant.

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;

use super::{error_redirect, expired, step_form, App, CANCELLED};
use crate::html::{error_line, escape, page, param};
use crate::tokens::LoginStage;

/// What a browser runs for "Sign in with a passkey": the options for the email typed, the
/// platform's `navigator.credentials.get`, and the assertion posted back as JSON.
const PASSKEY_SCRIPT: &str = r#"<script>
const b64 = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
const u64 = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
document.getElementById('passkey').addEventListener('click', async () => {
  const form = document.querySelector('form');
  const fields = new URLSearchParams({state: form.state.value, email: form.email.value});
  const { publicKey } = await (await fetch('/u/passkey/options', {method: 'POST', body: fields})).json();
  publicKey.challenge = b64(publicKey.challenge);
  publicKey.allowCredentials = publicKey.allowCredentials.map(c => ({...c, id: b64(c.id)}));
  const c = await navigator.credentials.get({ publicKey });
  const r = c.response;
  const credential = JSON.stringify({ id: c.id, rawId: u64(c.rawId), type: c.type, response: {
    authenticatorData: u64(r.authenticatorData), clientDataJSON: u64(r.clientDataJSON),
    signature: u64(r.signature), userHandle: r.userHandle && u64(r.userHandle) } });
  const post = Object.assign(document.createElement('form'), {method: 'post', action: '/u/passkey/verify'});
  for (const [name, value] of [['state', form.state.value], ['credential', credential]])
    post.append(Object.assign(document.createElement('input'), {type: 'hidden', name, value}));
  document.body.append(post);
  post.submit();
});
</script>"#;

/// The sign-in page; with `passkeys` (the connection has them on) its passkey button.
pub(super) fn form(
    status: StatusCode,
    id: &str,
    email: &str,
    error: Option<&str>,
    passkeys: bool,
) -> Response {
    let fields = format!(
        "<label>Email <input name=\"email\" type=\"email\" value=\"{}\" autocomplete=\"username\"></label>\n\
<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>",
        escape(email)
    );
    let passkey = if passkeys {
        format!("\n<p><button type=\"button\" id=\"passkey\">Sign in with a passkey</button></p>\n{PASSKEY_SCRIPT}")
    } else {
        String::new()
    };
    let body = format!(
        "{}{}{passkey}",
        error_line(error),
        step_form(id, "/u/login", &fields)
    );
    page(status, "Sign in", &body, None)
}

pub async fn show(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    let id = param(raw.unwrap_or_default().as_bytes(), "state");
    let st = app.lock();
    if st.login(&id, LoginStage::Password).is_none() {
        return expired();
    }
    form(StatusCode::OK, &id, "", None, st.tenant.settings.passkeys)
}

pub async fn submit(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let mut st = app.lock();
    let Some(tx) = st.login(&id, LoginStage::Password) else {
        return expired();
    };
    if param(&body, "action") == "cancel" {
        st.tokens.logins.remove(&id);
        return error_redirect(&tx, "access_denied", CANCELLED);
    }
    let email = param(&body, "email");
    let connection = st.tenant.default_directory.clone();
    let Some(ui) = st.find_login(&connection, &email) else {
        st.log_unknown_user(&email, &tx.client_id);
        let message = "Wrong email or password.";
        // The same answer as a wrong password: who has an account stays private.
        let passkeys = st.tenant.settings.passkeys;
        return form(StatusCode::FORBIDDEN, &id, &email, Some(message), passkeys);
    };
    if let Err(e) = st.check_password(ui, &param(&body, "password"), &tx.client_id) {
        let status = e.status;
        let passkeys = st.tenant.settings.passkeys;
        return form(
            status,
            &id,
            &email,
            Some(&e.body.error_description),
            passkeys,
        );
    }
    if st.refuse_blocked(ui, &tx.client_id) {
        // §S4.3 (DOCS block-and-unblock page): back to the app with this error.
        st.tokens.logins.remove(&id);
        return error_redirect(&tx, "unauthorized", "user is blocked");
    }
    let user_id = st.users[ui].user_id.clone();
    let now = st.clock.now_secs();
    let login = st.login_mut(&id);
    login.user_id = Some(user_id);
    login.auth_time = Some(now);
    st.after_password(&id, ui)
}
