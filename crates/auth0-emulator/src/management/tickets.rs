//! `POST /api/v2/guardian/enrollments/ticket` (spec §12.2, §12.3). The
//! ticket URL opens the emulator's enrollment page (`enrollment_page`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use super::boom::Boom;
use super::{call, read_payload};
use crate::errors::json_response;
use crate::ids;
use crate::state::{Shared, State};
use crate::tokens::Ticket;

type App = AxState<Arc<Shared>>;

const FIELDS: [&str; 6] = [
    "user_id",
    "email",
    "send_mail",
    "email_locale",
    "factor",
    "allow_multiple_enrollments",
];
const FACTORS: [&str; 6] = [
    "push-notification",
    "phone",
    "email",
    "otp",
    "webauthn-roaming",
    "webauthn-platform",
];

#[derive(Serialize)]
struct TicketResponse {
    ticket_id: String,
    ticket_url: String,
}

/// The request, validated the way a JSON schema would (`null` means absent).
struct TicketRequest {
    user_id: String,
    email: Option<String>,
    send_mail: bool,
    allow_multiple_enrollments: bool,
}

fn parse(bytes: &[u8]) -> Result<TicketRequest, Boom> {
    let body: Map<String, Value> = if bytes.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(Boom::bad_body("Expected type object", None)),
            Err(_) => {
                return Err(
                    Boom::new(400, "Invalid request payload JSON format").code("invalid_body")
                )
            }
        }
    };
    if let Some(extra) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Boom::bad_body(
            &format!("Additional properties not allowed: {extra}"),
            None,
        ));
    }
    let string = |key: &str| match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Boom::bad_body("Expected type string", Some(key))),
    };
    let boolean = |key: &str| match body.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Boom::bad_body("Expected type boolean", Some(key))),
    };
    let user_id = string("user_id")?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Boom::bad_body("Missing required property: user_id", None))?;
    if let Some(factor) = string("factor")? {
        if !FACTORS.contains(&factor.as_str()) {
            return Err(Boom::bad_body(
                &format!("No enum match for: \"{factor}\""),
                Some("factor"),
            ));
        }
    }
    string("email_locale")?;
    Ok(TicketRequest {
        user_id,
        email: string("email")?,
        send_mail: boolean("send_mail")?,
        allow_multiple_enrollments: boolean("allow_multiple_enrollments")?,
    })
}

impl State {
    fn create_ticket(&mut self, req: TicketRequest) -> Result<TicketResponse, Boom> {
        let ui = self.user_index(&req.user_id).ok_or_else(Boom::no_user)?;
        let ticket_id = ids::alnum(32);
        let ticket_url = format!("{}/mfa/enrollment?ticket={ticket_id}", self.base_url);
        let now_ms = self.clock.now_ms();
        self.tokens.tickets.insert(
            ticket_id.clone(),
            Ticket {
                user_id: req.user_id,
                expires_ms: now_ms + self.tenant.settings.enrollment_ticket_ttl_secs * 1000,
                allow_multiple_enrollments: req.allow_multiple_enrollments,
                pending_authenticator: None,
                used: false,
            },
        );
        if req.send_mail {
            let to = req.email.unwrap_or_else(|| self.users[ui].email.clone());
            let text = format!(
                "You are invited to set up multi-factor authentication for {}. Open this link to enroll: {ticket_url}",
                self.tenant.friendly_name
            );
            self.outbox.send_link(&to, text, &ticket_url, now_ms / 1000);
        }
        Ok(TicketResponse {
            ticket_id,
            ticket_url,
        })
    }
}

/// `POST /api/v2/guardian/enrollments/ticket`
pub async fn create(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_payload(body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    call(
        &app,
        &headers,
        &["create:guardian_enrollment_tickets"],
        |st| {
            let ticket = st.create_ticket(parse(&bytes)?)?;
            Ok(json_response(StatusCode::OK, &ticket))
        },
    )
}
