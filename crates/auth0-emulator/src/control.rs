//! Test and demo hooks under the reserved `/__emulator/` prefix: the outbox,
//! push decisions, the virtual clock, faults, counters, secrets and users.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::errors::{json_response, ApiError};
use crate::faults::Fault;
use crate::otp;
use crate::state::{Binding, Kind, PushDecision, Shared, State};

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
}

fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

/// Optional JSON body; empty means `{}`.
fn json_body(bytes: &Bytes) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new(400, "invalid_request", format!("Invalid JSON body: {e}")))
}

async fn outbox(AxState(app): App) -> Response {
    ok(json!(app.lock().outbox))
}

/// The pending push a decision applies to: the named one, else the newest.
fn pending_push_code(st: &State, wanted: Option<&str>) -> Option<String> {
    let now = st.clock.now_ms();
    st.oob_codes
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

fn push_json(st: &State, code: &str) -> Value {
    let o = &st.oob_codes[code];
    let (decision, enrollment) = match &o.binding {
        Binding::Push {
            decision,
            enrollment,
            ..
        } => (*decision, *enrollment),
        Binding::Prompt { .. } => (PushDecision::Pending, false),
    };
    let email = st.user_index(&o.user_id).map(|i| st.users[i].email.clone());
    json!({
        "oob_code": code,
        "user_id": o.user_id,
        "email": email,
        "authenticator_id": o.authenticator_id,
        "enrollment": enrollment,
        "decision": format!("{decision:?}").to_lowercase(),
        "created_at": o.created_ms / 1000,
        "expires_at": o.expires_ms / 1000,
    })
}

async fn pending_push(AxState(app): App) -> Response {
    let st = app.lock();
    match pending_push_code(&st, None) {
        Some(code) => ok(push_json(&st, &code)),
        None => ok(Value::Null),
    }
}

fn decide(app: &Shared, body: &Bytes, decision: PushDecision) -> Response {
    let body = match json_body(body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut st = app.lock();
    let wanted = body.get("oob_code").and_then(Value::as_str);
    let Some(code) = pending_push_code(&st, wanted) else {
        return ApiError::not_found("No pending push notification.").into_response();
    };
    if let Some(Binding::Push { decision: d, .. }) =
        st.oob_codes.get_mut(&code).map(|o| &mut o.binding)
    {
        *d = decision;
    }
    ok(push_json(&st, &code))
}

async fn approve_push(AxState(app): App, body: Bytes) -> Response {
    decide(&app, &body, PushDecision::Approved)
}

async fn deny_push(AxState(app): App, body: Bytes) -> Response {
    decide(&app, &body, PushDecision::Denied)
}

async fn clock(AxState(app): App) -> Response {
    let now = app.lock().clock.now_secs();
    ok(json!({ "now": now }))
}

async fn advance_clock(AxState(app): App, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let Some(seconds) = body.get("seconds").and_then(Value::as_i64) else {
        return ApiError::missing("seconds").into_response();
    };
    let mut st = app.lock();
    st.clock.advance(seconds);
    ok(json!({ "now": st.clock.now_secs() }))
}

async fn add_fault(AxState(app): App, body: Bytes) -> Response {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(f) => {
            let mut st = app.lock();
            st.faults.push(f);
            ok(json!(st.faults))
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
    ok(json!(app.lock().faults))
}

async fn stats(AxState(app): App) -> Response {
    let connections = app.connections_accepted.load(Ordering::Relaxed);
    let requests = app.lock().requests.clone();
    ok(json!({ "connections_accepted": connections, "requests": requests }))
}

async fn reset_stats(AxState(app): App) -> Response {
    app.connections_accepted.store(0, Ordering::Relaxed);
    app.lock().requests.clear();
    ok(json!({ "connections_accepted": 0, "requests": {} }))
}

/// Demo aid: every secret a human would otherwise read off a phone.
async fn secrets(AxState(app): App) -> Response {
    let st = app.lock();
    let step = st.clock.now_secs() / otp::STEP_SECS;
    let users: Vec<Value> = st
        .users
        .iter()
        .map(|u| {
            let otps: Vec<Value> = u
                .authenticators
                .iter()
                .filter(|a| a.kind == Kind::Totp)
                .map(|a| {
                    let secret = a.secret.clone().unwrap_or_default();
                    json!({
                        "authenticator_id": a.id,
                        "secret": secret,
                        "current_code": otp::code_at_step(&secret, step),
                        "active": a.active,
                    })
                })
                .collect();
            let phone = u.authenticators.iter().find_map(|a| a.phone.clone());
            json!({
                "email": u.email,
                "user_id": u.user_id,
                "otp": otps,
                "recovery_code": u.recovery_code,
                "phone": phone,
            })
        })
        .collect();
    ok(Value::Array(users))
}

/// Every token the tenant issued, so a leak test can search for each exact value.
async fn tokens(AxState(app): App) -> Response {
    let st = app.lock();
    ok(json!({
        "mfa_tokens": st.mfa_tokens.keys().collect::<Vec<_>>(),
        "oob_codes": st.oob_codes.keys().chain(&st.spent_oob_codes).collect::<Vec<_>>(),
        "access_tokens": st.access_tokens.keys().collect::<Vec<_>>(),
        "refresh_tokens": st.refresh_tokens.keys().collect::<Vec<_>>(),
        "id_tokens": st.id_tokens,
    }))
}

async fn create_user(AxState(app): App, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let field = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(email), Some(password)) = (field("email"), field("password")) else {
        return ApiError::new(400, "invalid_request", "email and password are required")
            .into_response();
    };
    let mut st = app.lock();
    let directory = st.tenant.default_directory.clone();
    if st
        .users
        .iter()
        .any(|u| u.connection == directory && u.email.eq_ignore_ascii_case(email))
    {
        return ApiError::new(409, "user_exists", "The user already exists.").into_response();
    }
    let i = st.new_user(email, password, None);
    let user_id = st.users[i].user_id.clone();
    ok(json!({ "user_id": user_id }))
}
