//! Users: `GET /users-by-email`, `GET /users/{id}`, recovery-code
//! regeneration and invalidating remembered browsers (spec §12.2, §12.3).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::boom::Boom;
use super::query::{self, select_fields};
use super::{call, user_at};
use crate::errors::json_response;
use crate::ids;
use crate::model::{Authenticator, Kind, User};
use crate::state::{Shared, State};
use crate::timefmt::iso8601;

type App = AxState<Arc<Shared>>;

/// One identity of a database user.
#[derive(Serialize)]
struct Identity {
    connection: String,
    /// The user id without `auth0|`.
    user_id: String,
    provider: &'static str,
    #[serde(rename = "isSocial")]
    is_social: bool,
}

/// A user as the Management API returns it.
#[derive(Serialize)]
pub struct UserView {
    user_id: String,
    email: String,
    email_verified: bool,
    name: String,
    nickname: String,
    picture: String,
    created_at: String,
    updated_at: String,
    identities: Vec<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_login: Option<String>,
    logins_count: u64,
    /// Present while an admin block is on (§S4.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    blocked: Option<bool>,
}

impl UserView {
    pub fn of(u: &User) -> Self {
        let id = u
            .user_id
            .split_once('|')
            .map_or(u.user_id.as_str(), |(_, id)| id);
        let p = &u.profile;
        UserView {
            user_id: u.user_id.clone(),
            email: u.email.clone(),
            email_verified: p.email_verified,
            name: p.name.clone(),
            nickname: p.nickname.clone(),
            picture: p.picture.clone(),
            created_at: iso8601(p.created_ms),
            updated_at: iso8601(p.updated_ms),
            identities: vec![Identity {
                connection: u.connection.clone(),
                user_id: id.to_string(),
                provider: "auth0",
                is_social: false,
            }],
            last_login: p.last_login_ms.map(iso8601),
            logins_count: p.logins_count,
            blocked: u.blocked.then_some(true),
        }
    }
}

fn json_ok<T: Serialize>(value: &T) -> Response {
    json_response(StatusCode::OK, value)
}

/// `GET /api/v2/users-by-email?email=…`: exact, case-sensitive, a bare array.
pub async fn by_email(AxState(app): App, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    call(&app, &headers, &["read:users"], |st| {
        let q = query::parse(raw.as_deref());
        let email = q
            .get("email")
            .filter(|e| !e.is_empty())
            .ok_or_else(|| Boom::bad_query("Missing required property: email", "email"))?;
        let found: Vec<UserView> = st
            .users
            .iter()
            .filter(|u| &u.email == email)
            .map(UserView::of)
            .collect();
        let value = serde_json::to_value(found).expect("users serialize");
        Ok(json_ok(&select_fields(value, &q)?))
    })
}

/// `GET /api/v2/users/{id}`
pub async fn get_user(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    call(&app, &headers, &["read:users"], |st| {
        let ui = user_at(st, &id)?;
        let value = serde_json::to_value(UserView::of(&st.users[ui])).expect("user serializes");
        Ok(json_ok(&select_fields(
            value,
            &query::parse(raw.as_deref()),
        )?))
    })
}

#[derive(Serialize)]
struct RecoveryCode {
    recovery_code: String,
}

impl State {
    /// A new recovery code for user `ui`; the old one stops working at once.
    /// ASSUMPTION: a user without one (never enrolled, or reset) gets one too.
    pub fn regenerate_recovery_code(&mut self, ui: usize) -> String {
        let now_ms = self.clock.now_ms();
        let code = ids::recovery_code();
        let user = &mut self.users[ui];
        user.recovery_code = Some(code.clone());
        match user
            .authenticators
            .iter_mut()
            .find(|a| a.kind == Kind::RecoveryCode)
        {
            Some(a) => a.active = true,
            None => {
                let mut a = Authenticator::new(Kind::RecoveryCode, &ids::device_suffix(), now_ms);
                a.active = true;
                user.authenticators.push(a);
            }
        }
        code
    }
}

/// `POST /api/v2/users/{id}/recovery-code-regeneration` (any body, or none).
pub async fn regenerate_recovery_code(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["update:users"], |st| {
        let ui = user_at(st, &id)?;
        let recovery_code = st.regenerate_recovery_code(ui);
        Ok(json_ok(&RecoveryCode { recovery_code }))
    })
}

/// `POST /api/v2/users/{id}/multifactor/actions/invalidate-remember-browser`:
/// 204. The emulator has no "remember this browser", so only the user's
/// existence is checked.
pub async fn invalidate_remember_browser(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["update:users"], |st| {
        user_at(st, &id)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
