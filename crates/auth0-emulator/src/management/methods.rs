//! A user's authentication methods: list, get, delete one, delete all, and
//! delete all Guardian authenticators (spec §12.2, §12.3).
//!
//! The store holds MFA API authenticators; this module shows them as the
//! Management API does: one `phone|X` for the `sms|X`/`voice|X` pair, push
//! without its hidden TOTP sibling, phone numbers and emails masked.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::boom::Boom;
use super::query::{self, Paging};
use super::{call, user_at};
use crate::errors::json_response;
use crate::masks::{mask_email_management, mask_phone};
use crate::model::{Kind, User};
use crate::passkey::Passkey;
use crate::state::{Shared, State};
use crate::timefmt::iso8601;

type App = AxState<Arc<Shared>>;

#[derive(Debug, Clone, Serialize)]
struct MethodRef {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// One authentication method.
#[derive(Debug, Clone, Serialize)]
struct MethodView {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_authentication_method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authentication_methods: Option<Vec<MethodRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(flatten)]
    passkey: Option<PasskeyFields>,
    created_at: String,
    /// The store's authenticator ids behind this method (not sent).
    #[serde(skip)]
    members: Vec<String>,
}

/// A passkey's fields as the Management API names them (§12.2: `relying_party_identifier`
/// and `aaguid` where the My Account API says `relying_party_id`).
#[derive(Debug, Clone, Serialize)]
struct PasskeyFields {
    credential_device_type: &'static str,
    credential_backed_up: bool,
    identity_user_id: String,
    key_id: String,
    public_key: String,
    transports: Vec<String>,
    user_agent: String,
    user_handle: String,
    aaguid: String,
    relying_party_identifier: String,
    /// The last sign-in with it (§12.2 `last_auth_at`), absent before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_auth_at: Option<String>,
}

fn passkey_view(user: &User, p: &Passkey) -> MethodView {
    MethodView {
        id: p.id.clone(),
        kind: "passkey",
        confirmed: true,
        phone_number: None,
        email: None,
        preferred_authentication_method: None,
        authentication_methods: None,
        name: p.name.clone(),
        passkey: Some(PasskeyFields {
            credential_device_type: p.device_type(),
            credential_backed_up: p.credential.backup_state,
            identity_user_id: user.user_id.trim_start_matches("auth0|").to_owned(),
            key_id: p.key_id(),
            public_key: p.public_key.clone(),
            transports: p.transports.clone(),
            user_agent: p.user_agent.clone(),
            user_handle: p.user_handle.clone(),
            aaguid: p.aaguid.clone(),
            relying_party_identifier: p.relying_party_id.clone(),
            last_auth_at: p.last_auth_ms.map(iso8601),
        }),
        created_at: iso8601(p.created_ms),
        members: vec![p.id.clone()],
    }
}

/// `include_totals=true`: one page and its place.
#[derive(Serialize)]
struct MethodPage<'a> {
    authenticators: &'a [MethodView],
    /// Absent when the list is empty (recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<usize>,
    start: usize,
    limit: usize,
}

/// The user's methods, in enrollment order.
fn methods_of(user: &User) -> Vec<MethodView> {
    let mut out: Vec<MethodView> = Vec::new();
    for a in &user.authenticators {
        let base = |kind: &'static str, id: String| MethodView {
            id,
            kind,
            confirmed: a.active,
            phone_number: None,
            email: None,
            preferred_authentication_method: None,
            authentication_methods: None,
            name: None,
            passkey: None,
            created_at: iso8601(a.created_ms),
            members: vec![a.id.clone()],
        };
        let view = match a.kind {
            // A push enrollment's TOTP sibling is part of the push method.
            Kind::Totp if a.sibling.is_some() => continue,
            Kind::Totp => base("totp", a.id.clone()),
            Kind::Push => base("push", a.id.clone()),
            Kind::RecoveryCode => base("recovery-code", a.id.clone()),
            Kind::Email => MethodView {
                email: a.email.as_deref().map(mask_email_management),
                ..base("email", a.id.clone())
            },
            Kind::Sms | Kind::Voice => {
                let id = format!("phone|{}", a.suffix());
                if out.iter().any(|m| m.id == id) {
                    continue;
                }
                let pair: Vec<_> = user
                    .authenticators
                    .iter()
                    .filter(|b| b.kind.is_phone() && b.suffix() == a.suffix())
                    .collect();
                let refs: Vec<MethodRef> = pair
                    .iter()
                    .map(|b| MethodRef {
                        id: b.id.clone(),
                        kind: b.kind.prefix(),
                    })
                    .collect();
                MethodView {
                    phone_number: a.phone.as_deref().map(mask_phone),
                    preferred_authentication_method: Some(refs[0].kind),
                    authentication_methods: Some(refs),
                    members: pair.iter().map(|b| b.id.clone()).collect(),
                    ..base("phone", id)
                }
            }
        };
        out.push(view);
    }
    out.extend(user.passkeys.iter().map(|p| passkey_view(user, p)));
    out
}

fn find_method(user: &User, method_id: &str) -> Result<MethodView, Boom> {
    methods_of(user)
        .into_iter()
        .find(|m| m.id == method_id)
        .ok_or_else(Boom::no_method)
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

impl State {
    /// Removes authenticators of user `ui` by store id (with their cascades)
    /// and what hung on them; a user left with nothing enrolls afresh, recovery
    /// code included, as a new user would.
    fn remove_authenticators(&mut self, ui: usize, ids: &[String]) {
        let user = &mut self.users[ui];
        for id in ids {
            user.remove(id);
        }
        user.passkeys.retain(|p| !ids.contains(&p.id));
        if user.authenticators.is_empty() {
            user.reset_mfa();
        }
        self.forget_removed_transactions(ui);
    }

    fn reset_user_mfa(&mut self, ui: usize) {
        self.users[ui].reset_mfa();
        self.forget_removed_transactions(ui);
    }
}

/// `GET /api/v2/users/{id}/authentication-methods[?page&per_page&include_totals]`
pub async fn list(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    call(&app, &headers, &["read:authentication_methods"], |st| {
        let paging = Paging::from_query(&query::parse(raw.as_deref()))?;
        let ui = user_at(st, &id)?;
        let all = methods_of(&st.users[ui]);
        let start = (paging.page * paging.per_page).min(all.len());
        let end = (start + paging.per_page).min(all.len());
        let page = &all[start..end];
        if !paging.include_totals {
            return Ok(json_response(StatusCode::OK, page));
        }
        Ok(json_response(
            StatusCode::OK,
            &MethodPage {
                authenticators: page,
                total: (!all.is_empty()).then_some(all.len()),
                start,
                limit: paging.per_page,
            },
        ))
    })
}

/// `GET /api/v2/users/{id}/authentication-methods/{method_id}`
pub async fn get_one(
    AxState(app): App,
    headers: HeaderMap,
    Path((id, method_id)): Path<(String, String)>,
) -> Response {
    call(&app, &headers, &["read:authentication_methods"], |st| {
        let ui = user_at(st, &id)?;
        let method = find_method(&st.users[ui], &method_id)?;
        Ok(json_response(StatusCode::OK, &method))
    })
}

/// `DELETE /api/v2/users/{id}/authentication-methods/{method_id}`: 204.
pub async fn delete_one(
    AxState(app): App,
    headers: HeaderMap,
    Path((id, method_id)): Path<(String, String)>,
) -> Response {
    call(&app, &headers, &["delete:authentication_methods"], |st| {
        let ui = user_at(st, &id)?;
        let method = find_method(&st.users[ui], &method_id)?;
        st.remove_authenticators(ui, &method.members);
        Ok(no_content())
    })
}

/// `DELETE /api/v2/users/{id}/authentication-methods`: every method, passkeys too; 204.
pub async fn delete_all(AxState(app): App, headers: HeaderMap, Path(id): Path<String>) -> Response {
    call(&app, &headers, &["delete:authentication_methods"], |st| {
        let ui = user_at(st, &id)?;
        st.users[ui].passkeys.clear();
        st.reset_user_mfa(ui);
        Ok(no_content())
    })
}

/// `DELETE /api/v2/users/{id}/authenticators`: every Guardian enrollment
/// (OTP, email, phone, push) and the recovery code; 204.
pub async fn delete_authenticators(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(&app, &headers, &["delete:guardian_enrollments"], |st| {
        let ui = user_at(st, &id)?;
        st.reset_user_mfa(ui);
        Ok(no_content())
    })
}
