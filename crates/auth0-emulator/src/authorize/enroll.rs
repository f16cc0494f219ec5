//! `/u/mfa-enroll`: a user with no factor enrolls an authenticator app
//! during the hosted sign-in (the tenant's `mfa_policy` is `always`).

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;

use super::{error_redirect, expired, show_recovery_code, step_form, App, CANCELLED};
use crate::html::{error_line, escape, page, param};
use crate::otp;
use crate::state::State;
use crate::tenant_log::Entry;
use crate::tokens::LoginStage;

/// The page for the sign-in's pending authenticator app (made on first view).
fn render(st: &mut State, id: &str, error: Option<&str>) -> Response {
    let Some(tx) = st.login(id, LoginStage::Enroll) else {
        return expired();
    };
    let Some(ui) = st.user_index(tx.user_id.as_deref().unwrap_or_default()) else {
        return expired();
    };
    let existing = tx
        .pending_totp
        .as_deref()
        .and_then(|a| st.users[ui].find(a))
        .and_then(|a| a.secret.clone());
    let secret = match existing {
        Some(secret) => secret,
        None => {
            let (auth_id, secret, _) = st.add_pending_totp(ui);
            st.login_mut(id).pending_totp = Some(auth_id);
            secret
        }
    };
    let uri = otp::otp_barcode_uri(&st.tenant.friendly_name, &st.users[ui].email, &secret);
    let inner = format!(
        "<p>Add your account to an authenticator app with the key <code id=\"secret\">{secret}</code>, \
or open <a href=\"{uri}\" id=\"otpauth\">{uri}</a>.</p>\n\
<label>Code from the app <input name=\"code\" autocomplete=\"one-time-code\"></label>",
        secret = escape(&secret),
        uri = escape(&uri),
    );
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = format!(
        "{}{}",
        error_line(error),
        step_form(id, "/u/mfa-enroll", &inner)
    );
    page(status, "Secure your account", &body, None)
}

pub async fn show(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    let id = param(raw.unwrap_or_default().as_bytes(), "state");
    render(&mut app.lock(), &id, None)
}

pub async fn submit(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let mut st = app.lock();
    let Some(tx) = st.login(&id, LoginStage::Enroll) else {
        return expired();
    };
    if param(&body, "action") == "cancel" {
        st.tokens.logins.remove(&id);
        return error_redirect(&tx, "access_denied", CANCELLED);
    }
    let (Some(ui), Some(auth_id)) = (
        st.user_index(tx.user_id.as_deref().unwrap_or_default()),
        tx.pending_totp.clone(),
    ) else {
        return render(&mut st, &id, None);
    };
    if let Err(e) = st.check_failed_codes(ui) {
        return render(&mut st, &id, Some(&e.body.error_description));
    }
    let step = st.clock.now_secs() / otp::STEP_SECS;
    let code = param(&body, "code");
    let matched = otp::matching_authenticator(&st.users[ui], code.trim(), step)
        .filter(|(matched, _)| *matched == auth_id);
    let Some((_, s)) = matched else {
        st.record_failed_code(ui);
        return render(&mut st, &id, Some("Invalid code. Try again."));
    };
    let recovery = st.first_recovery_code(ui);
    let user = &mut st.users[ui];
    if let Some(a) = user.authenticators.iter_mut().find(|a| a.id == auth_id) {
        a.last_otp_step = Some(s);
    }
    user.activate(&auth_id);
    let user_id = user.user_id.clone();
    st.log(
        "gd_enrollment_complete",
        Entry::user(&user_id, Some(&tx.client_id)),
    );
    match recovery {
        Some(code) => show_recovery_code(&mut st, &id, &code),
        None => st.finish_login(&id),
    }
}
