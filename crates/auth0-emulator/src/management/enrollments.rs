//! `GET /api/v2/users/{id}/enrollments` (`read:users`, §S4.4, MFA §12.2):
//! the legacy Guardian view of a user's confirmed and pending factors, a
//! bare array with ISO 8601 dates.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::{call, user_at};
use crate::errors::json_response;
use crate::masks::mask_phone;
use crate::model::{Authenticator, Kind};
use crate::state::Shared;
use crate::timefmt::iso8601;

type App = AxState<Arc<Shared>>;

/// One enrollment (PY `UsersEnrollment`). ASSUMPTION: `id` is the
/// `dev_…` part of the authenticator id, `type` names the Guardian factor
/// (`authenticator`, `pn`, `sms`, `email`), `last_auth` is not sent.
#[derive(Serialize)]
struct Enrollment {
    id: String,
    status: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    auth_method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    enrolled_at: String,
}

fn view(a: &Authenticator) -> Option<Enrollment> {
    let (kind, auth_method) = match a.kind {
        // A push enrollment's TOTP sibling is part of it, not an enrollment.
        Kind::Totp if a.sibling.is_some() => return None,
        Kind::Totp => ("authenticator", "authenticator"),
        Kind::Push => ("pn", "guardian"),
        Kind::Sms => ("sms", "sms"),
        Kind::Email => ("email", "email"),
        // Voice is the SMS enrollment's twin; recovery codes are no enrollment.
        Kind::Voice | Kind::RecoveryCode => return None,
    };
    Some(Enrollment {
        id: a.suffix().to_owned(),
        status: if a.active { "confirmed" } else { "pending" },
        kind,
        auth_method,
        name: (a.kind == Kind::Push).then(|| "Guardian".to_owned()),
        identifier: (a.kind == Kind::Push).then(|| a.suffix().to_owned()),
        phone_number: a.phone.as_deref().map(mask_phone),
        enrolled_at: iso8601(a.created_ms),
    })
}

pub async fn list(AxState(app): App, headers: HeaderMap, Path(id): Path<String>) -> Response {
    call(&app, &headers, &["read:users"], |st| {
        let ui = user_at(st, &id)?;
        let list: Vec<Enrollment> = st.users[ui]
            .authenticators
            .iter()
            .filter_map(view)
            .collect();
        Ok(json_response(StatusCode::OK, &list))
    })
}
