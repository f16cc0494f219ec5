//! `/u/mfa`: the second factor of a hosted sign-in, with a factor the user
//! has: a code from the authenticator app, a code sent by SMS, voice or
//! email (to the outbox), a push approval (`/__emulator/push/approve`), or
//! the recovery code (which rotates, and the new one is shown).

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;

use super::{error_redirect, expired, show_recovery_code, step_form, App, CANCELLED};
use crate::html::{error_line, escape, page, param};
use crate::limits::SendChannel;
use crate::model::{Authenticator, Kind};
use crate::otp;
use crate::state::State;
use crate::tenant_log::Entry;
use crate::tokens::{Binding, LoginStage, LoginTx, PushDecision};

const RECOVERY: &str = "recovery-code";

/// The factors offered: active ones, push siblings' TOTP left out, and only the kinds an
/// Action limiting the factors lets verify (§2.2, `action_factor_rules`).
fn offered(st: &State, ui: usize) -> Vec<Authenticator> {
    st.users[ui]
        .authenticators
        .iter()
        .filter(|a| a.active && a.kind != Kind::RecoveryCode)
        .filter(|a| !(a.kind == Kind::Totp && a.sibling.is_some()))
        .filter(|a| action_allows(st, a.kind.type_field()))
        .cloned()
        .collect()
}

fn action_allows(st: &State, factor_type: &str) -> bool {
    let rules = st.tenant.settings.action_factor_rules.as_ref();
    rules.is_none_or(|r| r.may_challenge(factor_type))
}

fn has_recovery_code(st: &State, ui: usize) -> bool {
    action_allows(st, RECOVERY)
        && st.users[ui]
            .authenticators
            .iter()
            .any(|a| a.active && a.kind == Kind::RecoveryCode)
}

fn label(a: &Authenticator) -> String {
    match a.kind {
        Kind::Totp => "Authenticator app".into(),
        Kind::Push => "Push notification".into(),
        Kind::Sms => format!(
            "SMS to {}",
            crate::masks::mask_phone(a.phone.as_deref().unwrap_or(""))
        ),
        Kind::Voice => format!(
            "Call to {}",
            crate::masks::mask_phone(a.phone.as_deref().unwrap_or(""))
        ),
        Kind::Email => format!(
            "Email to {}",
            crate::masks::mask_email_mfa(a.email.as_deref().unwrap_or(""))
        ),
        Kind::RecoveryCode => "Recovery code".into(),
    }
}

/// Links to the other factors.
fn alternatives(id: &str, options: &[Authenticator], chosen: &str, recovery: bool) -> String {
    let mut links: Vec<String> = options
        .iter()
        .filter(|a| a.id != chosen)
        .map(|a| {
            let href = format!("/u/mfa?state={id}&factor={}", crate::otp::encode(&a.id));
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&href),
                escape(&label(a))
            )
        })
        .collect();
    if recovery && chosen != RECOVERY {
        let href = format!("/u/mfa?state={id}&factor={RECOVERY}");
        links.push(format!(
            "<li><a href=\"{}\" id=\"use-recovery-code\">Use your recovery code</a></li>",
            escape(&href)
        ));
    }
    if links.is_empty() {
        return String::new();
    }
    format!("<p>Other ways to verify:</p>\n<ul>{}</ul>", links.join(""))
}

fn code_field(name: &str) -> String {
    format!("<label>{name} <input name=\"code\" autocomplete=\"one-time-code\"></label>")
}

/// Renders the step for `factor` (or the first offered one), sending a code
/// or a push when the factor needs one and none is pending.
fn render(st: &mut State, id: &str, factor: &str, error: Option<&str>) -> Response {
    let Some(tx) = st.login(id, LoginStage::Mfa) else {
        return expired();
    };
    let ui = st.user_index(tx.user_id.as_deref().unwrap_or_default());
    let Some(ui) = ui else {
        return expired();
    };
    let options = offered(st, ui);
    let recovery = has_recovery_code(st, ui);
    let chosen = if factor == RECOVERY && recovery {
        None
    } else {
        options
            .iter()
            .find(|a| a.id == factor)
            .or(options.first())
            .cloned()
    };
    let (chosen_id, inner, refresh) = match &chosen {
        None => (RECOVERY.to_string(), code_field("Recovery code"), None),
        Some(a) => match prepare(st, id, &tx, ui, a) {
            Step::Fields(fields, refresh) => (a.id.clone(), fields, refresh),
            Step::Done(resp) => return resp,
        },
    };
    let form_inner = format!(
        "<input type=\"hidden\" name=\"factor\" value=\"{}\">\n{inner}",
        escape(&chosen_id)
    );
    let body = format!(
        "{}{}\n{}",
        error_line(error),
        step_form(id, "/u/mfa", &form_inner),
        alternatives(id, &options, &chosen_id, recovery)
    );
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    page(status, "Verify it's you", &body, refresh)
}

/// What a factor's step shows, or how the sign-in ends.
enum Step {
    /// Form fields, and a refresh interval while a push is pending.
    Fields(String, Option<u32>),
    Done(Response),
}

fn refused(e: &crate::errors::ApiError) -> Step {
    let body = error_line(Some(&e.body.error_description));
    Step::Done(page(e.status, "Verify it's you", &body, None))
}

/// The form fields for `a`, after sending what it needs; a push already
/// answered ends the sign-in instead.
fn prepare(st: &mut State, id: &str, tx: &LoginTx, ui: usize, a: &Authenticator) -> Step {
    match a.kind {
        Kind::Sms | Kind::Voice | Kind::Email => {
            let fresh = tx.sent_code.as_ref().is_some_and(|(to, _)| *to == a.id);
            if !fresh {
                let (channel, to) = match a.kind {
                    Kind::Sms => (SendChannel::Sms, a.phone.clone()),
                    Kind::Voice => (SendChannel::Voice, a.phone.clone()),
                    _ => (SendChannel::Email, a.email.clone()),
                };
                match st.send_code(ui, channel, &to.unwrap_or_default()) {
                    Ok(code) => st.login_mut(id).sent_code = Some((a.id.clone(), code)),
                    Err(e) => return refused(&e),
                }
            }
            let sent = format!(
                "<p id=\"sent\">We sent a code: {}.</p>\n",
                escape(&label(a))
            );
            Step::Fields(sent + &code_field("Code"), None)
        }
        Kind::Push => prepare_push(st, id, tx, ui, a),
        _ => Step::Fields(code_field("Code from your authenticator app"), None),
    }
}

/// Sends a push unless one for `a` is pending; ends the sign-in once it is answered.
fn prepare_push(st: &mut State, id: &str, tx: &LoginTx, ui: usize, a: &Authenticator) -> Step {
    let sent = tx.push_oob.clone().unwrap_or_default();
    let pending = st.tokens.oob_codes.get(&sent).cloned();
    let decision = match pending.as_ref().map(|o| &o.binding) {
        Some(Binding::Push { decision, .. })
            if pending.as_ref().is_some_and(|o| o.authenticator_id == a.id) =>
        {
            Some(*decision)
        }
        _ => None,
    };
    match decision {
        Some(PushDecision::Approved) => {
            st.tokens.spend_oob_code(&sent);
            return Step::Done(st.finish_login(id));
        }
        Some(PushDecision::Denied) => {
            st.tokens.spend_oob_code(&sent);
            st.tokens.logins.remove(id);
            return Step::Done(error_redirect(
                tx,
                "access_denied",
                "MFA Authorization rejected.",
            ));
        }
        Some(PushDecision::Pending) => {}
        None => {
            if let Err(e) = st.take_push(ui) {
                return refused(&e);
            }
            let binding = Binding::Push {
                decision: PushDecision::Pending,
                last_poll_ms: None,
                enrollment: false,
            };
            let user_id = st.users[ui].user_id.clone();
            let oob = st.mint_oob_code(None, &user_id, &a.id, binding);
            st.login_mut(id).push_oob = Some(oob);
        }
    }
    Step::Fields(
        "<p id=\"push-sent\">We sent a notification to your phone. Approve it, then continue.</p>"
            .into(),
        Some(2),
    )
}

pub async fn show(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let id = param(raw.as_bytes(), "state");
    let factor = param(raw.as_bytes(), "factor");
    render(&mut app.lock(), &id, &factor, None)
}

pub async fn submit(AxState(app): App, body: Bytes) -> Response {
    let id = param(&body, "state");
    let factor = param(&body, "factor");
    let code = param(&body, "code").trim().to_string();
    let mut st = app.lock();
    let Some(tx) = st.login(&id, LoginStage::Mfa) else {
        return expired();
    };
    if param(&body, "action") == "cancel" {
        if let Some(oob) = &tx.push_oob {
            st.tokens.spend_oob_code(oob);
        }
        st.tokens.logins.remove(&id);
        return error_redirect(&tx, "access_denied", CANCELLED);
    }
    let Some(ui) = st.user_index(tx.user_id.as_deref().unwrap_or_default()) else {
        return expired();
    };
    // No factor named: the one the page showed first.
    let factor = match offered(&st, ui).first() {
        Some(first) if factor.is_empty() => first.id.clone(),
        _ => factor,
    };
    let kind = st.users[ui].find(&factor).map(|a| a.kind);
    if kind == Some(Kind::Push) {
        return render(&mut st, &id, &factor, None);
    }
    if let Err(e) = st.check_failed_codes(ui) {
        return render(&mut st, &id, &factor, Some(&e.body.error_description));
    }
    let verified = match kind {
        _ if factor == RECOVERY => return verify_recovery(&mut st, &id, ui, &code, &factor),
        Some(Kind::Totp) => {
            let step = st.clock.now_secs() / otp::STEP_SECS;
            match otp::matching_authenticator(&st.users[ui], &code, step) {
                Some((auth_id, s)) => {
                    if let Some(a) = st.users[ui]
                        .authenticators
                        .iter_mut()
                        .find(|a| a.id == auth_id)
                    {
                        a.last_otp_step = Some(s);
                    }
                    true
                }
                None => false,
            }
        }
        Some(_) => tx
            .sent_code
            .as_ref()
            .is_some_and(|(to, sent)| *to == factor && *sent == code),
        None => false,
    };
    if !verified {
        st.record_failed_code(ui);
        return render(&mut st, &id, &factor, Some("Invalid code. Try again."));
    }
    st.finish_login(&id)
}

fn verify_recovery(st: &mut State, id: &str, ui: usize, code: &str, factor: &str) -> Response {
    let given = if st.tenant.settings.lenient_recovery_codes {
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_uppercase()
    } else {
        code.to_string()
    };
    if !has_recovery_code(st, ui) || st.users[ui].recovery_code.as_deref() != Some(given.as_str()) {
        st.record_failed_code(ui);
        return render(st, id, factor, Some("Invalid recovery code."));
    }
    // Each use rotates the code (spec §10); the new one is shown once.
    let fresh = crate::ids::recovery_code();
    st.users[ui].recovery_code = Some(fresh.clone());
    let user_id = st.users[ui].user_id.clone();
    st.log("gd_recovery_succeed", Entry::user(&user_id, None));
    show_recovery_code(st, id, &fresh)
}
