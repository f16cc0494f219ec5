//! Test and demo hooks under the reserved `/__emulator/` prefix: the outbox,
//! push decisions, the virtual clock, faults, counters, secrets and users.
//! Wire shapes are in `control_api`.

mod keys;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::control_api::{
    ClockReading, CreatedUser, IssuedTokens, NewUser, OtpSecret, PendingPush, PushAnswer,
    PushState, Stats, UserSecrets,
};
use crate::errors::{json_response, ApiError};
use crate::faults::Fault;
use crate::model::Kind;
use crate::otp;
use crate::state::{Shared, State};
use crate::tenant_log::Entry;
use crate::tokens::{Binding, PushDecision};

type App = AxState<Arc<Shared>>;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__emulator/outbox", get(outbox))
        .route("/__emulator/push", get(pending_push))
        .route("/__emulator/push/approve", post(approve_push))
        .route("/__emulator/push/deny", post(deny_push))
        .route("/__emulator/clock", get(clock))
        .route("/__emulator/clock/advance", post(advance_clock))
        .route(
            "/__emulator/faults",
            post(add_fault).delete(clear_faults).get(list_faults),
        )
        .route("/__emulator/stats", get(stats))
        .route("/__emulator/stats/reset", post(reset_stats))
        .route("/__emulator/secrets", get(secrets))
        .route("/__emulator/tokens", get(tokens))
        .route("/__emulator/users", post(create_user))
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .merge(keys::router())
}

fn ok<T: Serialize>(v: &T) -> Response {
    json_response(StatusCode::OK, v)
}

/// A JSON body; empty means `{}` (every field defaulted).
fn json_body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new(400, "invalid_request", format!("Invalid JSON body: {e}")))
}

async fn outbox(AxState(app): App) -> Response {
    ok(&app.lock().outbox.messages())
}

/// The pending push a decision applies to: the named one, else the newest.
fn pending_push_code(st: &State, wanted: Option<&str>) -> Option<String> {
    let now = st.clock.now_ms();
    st.tokens
        .oob_codes
        .iter()
        .filter(|(code, o)| {
            o.expires_ms > now
                && matches!(
                    o.binding,
                    Binding::Push {
                        decision: PushDecision::Pending,
                        ..
                    }
                )
                && (wanted.is_none() || wanted == Some(code.as_str()))
        })
        .max_by_key(|(_, o)| o.seq)
        .map(|(code, _)| code.clone())
}

fn push_view(st: &State, code: &str) -> PendingPush {
    let o = &st.tokens.oob_codes[code];
    let (decision, enrollment) = match &o.binding {
        Binding::Push {
            decision,
            enrollment,
            ..
        } => (*decision, *enrollment),
        Binding::Prompt { .. } => (PushDecision::Pending, false),
    };
    let email = st.user_index(&o.user_id).map(|i| st.users[i].email.clone());
    PendingPush {
        oob_code: code.to_owned(),
        user_id: o.user_id.clone(),
        email,
        authenticator_id: o.authenticator_id.clone(),
        enrollment,
        decision: match decision {
            PushDecision::Pending => PushState::Pending,
            PushDecision::Approved => PushState::Approved,
            PushDecision::Denied => PushState::Denied,
        },
        created_at: o.created_ms / 1000,
        expires_at: o.expires_ms / 1000,
        binding_message: st
            .tokens
            .ciba
            .values()
            .find(|r| r.push_oob == code)
            .map(|r| r.binding_message.clone()),
    }
}

async fn pending_push(AxState(app): App) -> Response {
    let st = app.lock();
    let pending = pending_push_code(&st, None).map(|code| push_view(&st, &code));
    ok(&pending)
}

fn decide(app: &Shared, body: &Bytes, decision: PushDecision) -> Response {
    let answer: PushAnswer = match json_body(body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut st = app.lock();
    let Some(code) = pending_push_code(&st, answer.oob_code.as_deref()) else {
        return ApiError::not_found("No pending push notification.").into_response();
    };
    if let Some(Binding::Push { decision: d, .. }) =
        st.tokens.oob_codes.get_mut(&code).map(|o| &mut o.binding)
    {
        *d = decision;
    }
    if decision == PushDecision::Denied {
        // §S4.1: the user rejected the push.
        let user_id = st.tokens.oob_codes[&code].user_id.clone();
        st.log("gd_auth_rejected", Entry::user(&user_id, None));
    }
    ok(&push_view(&st, &code))
}

async fn approve_push(AxState(app): App, body: Bytes) -> Response {
    decide(&app, &body, PushDecision::Approved)
}

async fn deny_push(AxState(app): App, body: Bytes) -> Response {
    decide(&app, &body, PushDecision::Denied)
}

async fn clock(AxState(app): App) -> Response {
    let now = app.lock().clock.now_secs();
    ok(&ClockReading { now })
}

async fn advance_clock(AxState(app): App, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    struct Partial {
        seconds: Option<i64>,
    }
    let seconds = match json_body::<Partial>(&body) {
        Ok(Partial { seconds: Some(s) }) => s,
        Ok(_) => return ApiError::missing("seconds").into_response(),
        Err(e) => return e.into_response(),
    };
    let mut st = app.lock();
    st.clock.advance(seconds);
    ok(&ClockReading {
        now: st.clock.now_secs(),
    })
}

async fn add_fault(AxState(app): App, body: Bytes) -> Response {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(f) => {
            let mut st = app.lock();
            st.faults.add(f);
            ok(&st.faults.list())
        }
        Err(e) => {
            ApiError::new(400, "invalid_request", format!("Invalid fault: {e}")).into_response()
        }
    }
}

async fn clear_faults(AxState(app): App) -> Response {
    app.lock().faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn list_faults(AxState(app): App) -> Response {
    ok(&app.lock().faults.list())
}

async fn stats(AxState(app): App) -> Response {
    let connections_accepted = app.connections_accepted.load(Ordering::Relaxed);
    let requests = app.lock().requests.clone();
    ok(&Stats {
        connections_accepted,
        requests,
    })
}

async fn reset_stats(AxState(app): App) -> Response {
    app.connections_accepted.store(0, Ordering::Relaxed);
    app.lock().requests.clear();
    ok(&Stats::default())
}

async fn list_requests(AxState(app): App) -> Response {
    ok(&app.lock().request_log)
}

async fn clear_requests(AxState(app): App) -> Response {
    app.lock().request_log.clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Demo aid: every secret a human would otherwise read off a phone.
async fn secrets(AxState(app): App) -> Response {
    let st = app.lock();
    let step = st.clock.now_secs() / otp::STEP_SECS;
    let users: Vec<UserSecrets> = st
        .users
        .iter()
        .map(|u| UserSecrets {
            email: u.email.clone(),
            user_id: u.user_id.clone(),
            otp: u
                .authenticators
                .iter()
                .filter(|a| a.kind == Kind::Totp)
                .map(|a| {
                    let secret = a.secret.clone().unwrap_or_default();
                    OtpSecret {
                        authenticator_id: a.id.clone(),
                        current_code: otp::code_at_step(&secret, step).unwrap_or_default(),
                        secret,
                        active: a.active,
                    }
                })
                .collect(),
            recovery_code: u.recovery_code.clone(),
            phone: u.authenticators.iter().find_map(|a| a.phone.clone()),
        })
        .collect();
    ok(&users)
}

/// Every token the tenant issued, so a leak test can search for each exact value.
async fn tokens(AxState(app): App) -> Response {
    let st = app.lock();
    let t = &st.tokens;
    let keys = |m: &mut dyn Iterator<Item = &String>| m.cloned().collect::<Vec<_>>();
    ok(&IssuedTokens {
        mfa_tokens: keys(&mut t.mfa_tokens.keys()),
        oob_codes: keys(&mut t.oob_codes.keys().chain(&t.spent_oob_codes)),
        access_tokens: keys(&mut t.access_tokens.keys()),
        refresh_tokens: keys(&mut t.refresh_tokens.keys()),
        id_tokens: t.id_tokens.clone(),
        authorization_codes: keys(&mut t.auth_codes.keys().chain(&t.spent_auth_codes)),
        enrollment_tickets: keys(&mut t.tickets.keys()),
    })
}

async fn create_user(AxState(app): App, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    struct Partial {
        email: Option<String>,
        password: Option<String>,
    }
    let new_user = match json_body::<Partial>(&body) {
        Ok(Partial {
            email: Some(email),
            password: Some(password),
        }) if !email.is_empty() && !password.is_empty() => NewUser { email, password },
        Ok(_) => {
            return ApiError::new(400, "invalid_request", "email and password are required")
                .into_response()
        }
        Err(e) => return e.into_response(),
    };
    let mut st = app.lock();
    let directory = st.tenant.default_directory.clone();
    if st.find_login(&directory, &new_user.email).is_some() {
        return ApiError::new(409, "user_exists", "The user already exists.").into_response();
    }
    let i = st.add_user(&new_user.email, &new_user.password);
    ok(&CreatedUser {
        user_id: st.users[i].user_id.clone(),
    })
}
