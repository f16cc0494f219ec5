//! `/mfa/enrollment?ticket=…`: the page an enrollment ticket opens, standing
//! in for Universal Login. It enrolls an authenticator app for the ticket's
//! user: it shows the secret and its `otpauth://` URI, takes a code, and on
//! success shows the recovery code of a first enrollment. Tickets are single
//! use and expire (`settings.enrollment_ticket_ttl_secs`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::html::{error_line, escape, page, param};
use crate::otp;
use crate::state::{Shared, State};

type App = AxState<Arc<Shared>>;

pub fn router() -> Router<Arc<Shared>> {
    Router::new().route("/mfa/enrollment", get(show).post(confirm))
}

/// Why a ticket cannot be used.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    Unknown,
    Expired,
    Used,
    AlreadyEnrolled,
    WrongCode,
    TooManyCodes,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::Unknown => StatusCode::NOT_FOUND,
            Refusal::Expired => StatusCode::GONE,
            Refusal::Used | Refusal::AlreadyEnrolled => StatusCode::CONFLICT,
            Refusal::WrongCode => StatusCode::BAD_REQUEST,
            Refusal::TooManyCodes => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    fn message(self) -> &'static str {
        match self {
            Refusal::Unknown => "This enrollment link is not valid.",
            Refusal::Expired => "This enrollment link has expired. Ask your helpdesk for a new one.",
            Refusal::Used => "This enrollment link has already been used.",
            Refusal::AlreadyEnrolled => {
                "You already have multi-factor authentication set up. Ask your helpdesk to reset it first."
            }
            Refusal::WrongCode => "That code is not right. Enter the code your app shows now.",
            Refusal::TooManyCodes => "Too many wrong codes. Try again later.",
        }
    }
}

/// What the page shows to enroll.
struct Enrollment {
    email: String,
    secret: String,
    uri: String,
}

impl State {
    /// The ticket's user, if the ticket may still be used.
    fn usable_ticket(&self, id: &str) -> Result<usize, Refusal> {
        let t = self.tokens.tickets.get(id).ok_or(Refusal::Unknown)?;
        if t.used {
            return Err(Refusal::Used);
        }
        if t.expires_ms <= self.clock.now_ms() {
            return Err(Refusal::Expired);
        }
        let ui = self.user_index(&t.user_id).ok_or(Refusal::Unknown)?;
        if self.users[ui].has_active_factor() && !t.allow_multiple_enrollments {
            return Err(Refusal::AlreadyEnrolled);
        }
        Ok(ui)
    }

    /// The ticket's pending authenticator app, made on first view.
    fn open_ticket(&mut self, id: &str) -> Result<Enrollment, Refusal> {
        let ui = self.usable_ticket(id)?;
        let pending = self.tokens.tickets[id].pending_authenticator.clone();
        let existing = pending.and_then(|a| self.users[ui].find(&a).cloned());
        let (auth_id, secret) = match existing {
            Some(a) => (a.id.clone(), a.secret.clone().unwrap_or_default()),
            None => {
                let (auth_id, secret, _) = self.add_pending_totp(ui);
                (auth_id, secret)
            }
        };
        if let Some(t) = self.tokens.tickets.get_mut(id) {
            t.pending_authenticator = Some(auth_id);
        }
        let email = self.users[ui].email.clone();
        let uri = otp::otp_barcode_uri(&self.tenant.friendly_name, &email, &secret);
        Ok(Enrollment { email, secret, uri })
    }

    /// Confirms the ticket's authenticator with `code`; the recovery code of
    /// a first enrollment, if any.
    fn confirm_ticket(&mut self, id: &str, code: &str) -> Result<Option<String>, Refusal> {
        let ui = self.usable_ticket(id)?;
        let auth_id = self.tokens.tickets[id]
            .pending_authenticator
            .clone()
            .ok_or(Refusal::WrongCode)?;
        self.check_failed_codes(ui)
            .map_err(|_| Refusal::TooManyCodes)?;
        let step = self.clock.now_secs() / otp::STEP_SECS;
        let matched = otp::matching_authenticator(&self.users[ui], code.trim(), step)
            .filter(|(id, _)| *id == auth_id);
        let Some((_, s)) = matched else {
            self.record_failed_code(ui);
            return Err(Refusal::WrongCode);
        };
        let recovery = self.first_recovery_code(ui);
        let user = &mut self.users[ui];
        if let Some(a) = user.authenticators.iter_mut().find(|a| a.id == auth_id) {
            a.last_otp_step = Some(s);
        }
        user.activate(&auth_id);
        if let Some(t) = self.tokens.tickets.get_mut(id) {
            t.used = true;
        }
        Ok(recovery)
    }
}

fn refused(r: Refusal) -> Response {
    page(
        r.status(),
        "Set up your authenticator app",
        &error_line(Some(r.message())),
        None,
    )
}

fn form(status: StatusCode, ticket: &str, e: &Enrollment, error: Option<Refusal>) -> Response {
    let error = error_line(error.map(Refusal::message));
    let body = format!(
        "{error}<p>Account: <span id=\"account\">{email}</span></p>\n\
<p>Add this account to your authenticator app with the key <code id=\"secret\">{secret}</code>, \
or open <a href=\"{uri}\" id=\"otpauth\">{uri}</a>.</p>\n\
<form method=\"post\" action=\"/mfa/enrollment\">\n\
<input type=\"hidden\" name=\"ticket\" value=\"{ticket}\">\n\
<label>Code from the app <input name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></label>\n\
<button type=\"submit\">Continue</button>\n</form>",
        email = escape(&e.email),
        secret = escape(&e.secret),
        uri = escape(&e.uri),
        ticket = escape(ticket),
    );
    page(status, "Set up your authenticator app", &body, None)
}

async fn show(AxState(app): App, RawQuery(raw): RawQuery) -> Response {
    let ticket = param(raw.unwrap_or_default().as_bytes(), "ticket");
    let mut st = app.lock();
    match st.open_ticket(&ticket) {
        Ok(e) => form(StatusCode::OK, &ticket, &e, None),
        Err(r) => refused(r),
    }
}

async fn confirm(AxState(app): App, body: Bytes) -> Response {
    let ticket = param(&body, "ticket");
    let code = param(&body, "code");
    let mut st = app.lock();
    match st.confirm_ticket(&ticket, &code) {
        Ok(recovery) => {
            let recovery = recovery
                .map(|c| {
                    format!(
                        "<p>Keep this recovery code somewhere safe; it signs you in if you lose your phone: \
<code id=\"recovery-code\">{}</code></p>",
                        escape(&c)
                    )
                })
                .unwrap_or_default();
            page(
                StatusCode::OK,
                "You're all set",
                &format!("<p id=\"done\">Your authenticator app is set up.</p>\n{recovery}"),
                None,
            )
        }
        Err(r @ (Refusal::WrongCode | Refusal::TooManyCodes)) => match st.open_ticket(&ticket) {
            Ok(e) => form(r.status(), &ticket, &e, Some(r)),
            Err(other) => refused(other),
        },
        Err(r) => refused(r),
    }
}
