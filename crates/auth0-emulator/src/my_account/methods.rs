//! The My Account API's view of the one authenticator store the MFA and Management APIs
//! share (§S5.2): one `phone|X` for an SMS/voice pair, push without its hidden TOTP sibling,
//! nothing masked (§S5.2 shows no masking), and what a person may change: the name, the
//! phone's preferred channel, removal.

use serde::Serialize;
use serde_json::Value;

use super::problem::{MeResult, Problem};
use crate::model::{Kind, User};
use crate::passkey::Passkey;
use crate::state::State;
use crate::timefmt::iso8601;

/// One authentication method as `GET /me/v1/authentication-methods` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MethodView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `["primary"]` for a passkey (it signs in), `["secondary"]` for an MFA factor.
    pub usage: [&'static str; 1],
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_authentication_method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(flatten)]
    pub passkey: Option<PasskeyFields>,
    /// The store's authenticators behind this method (not sent).
    #[serde(skip)]
    pub members: Vec<String>,
}

/// A passkey's own fields (§S5.2).
#[derive(Debug, Clone, Serialize)]
pub struct PasskeyFields {
    pub credential_device_type: &'static str,
    pub credential_backed_up: bool,
    pub identity_user_id: String,
    pub key_id: String,
    pub public_key: String,
    pub transports: Vec<String>,
    pub user_agent: String,
    pub user_handle: String,
    pub relying_party_id: String,
}

fn passkey_view(user: &User, p: &Passkey) -> MethodView {
    MethodView {
        id: p.id.clone(),
        kind: "passkey",
        confirmed: true,
        name: p.name.clone(),
        usage: ["primary"],
        created_at: iso8601(p.created_ms),
        phone_number: None,
        preferred_authentication_method: None,
        email: None,
        passkey: Some(PasskeyFields {
            credential_device_type: p.device_type(),
            credential_backed_up: p.credential.backup_state,
            identity_user_id: user.user_id.trim_start_matches("auth0|").to_owned(),
            key_id: p.key_id(),
            public_key: p.public_key.clone(),
            transports: p.transports.clone(),
            user_agent: p.user_agent.clone(),
            user_handle: p.user_handle.clone(),
            relying_party_id: p.relying_party_id.clone(),
        }),
        members: Vec::new(),
    }
}

/// The My Account `type` of a store kind (§S5.2).
pub fn type_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Totp => "totp",
        Kind::Sms | Kind::Voice => "phone",
        Kind::Email => "email",
        Kind::Push => "push-notification",
        Kind::RecoveryCode => "recovery-code",
    }
}

/// The person's methods, in enrollment order.
pub fn methods_of(user: &User) -> Vec<MethodView> {
    let mut out: Vec<MethodView> = Vec::new();
    for a in &user.authenticators {
        if a.kind == Kind::Totp && a.sibling.is_some() {
            continue; // a push enrollment's TOTP twin is part of the push method
        }
        let mut view = MethodView {
            id: a.id.clone(),
            kind: type_of(a.kind),
            confirmed: a.active,
            name: a.name.clone(),
            usage: ["secondary"],
            created_at: iso8601(a.created_ms),
            phone_number: None,
            preferred_authentication_method: None,
            email: a.email.clone(),
            passkey: None,
            members: vec![a.id.clone()],
        };
        if a.kind.is_phone() {
            view.id = format!("phone|{}", a.suffix());
            if out.iter().any(|m| m.id == view.id) {
                continue;
            }
            view.phone_number = a.phone.clone();
            // The first of the pair is the preferred one (PATCH reorders them).
            view.preferred_authentication_method = Some(a.kind.prefix());
            view.members = user
                .authenticators
                .iter()
                .filter(|b| b.kind.is_phone() && b.suffix() == a.suffix())
                .map(|b| b.id.clone())
                .collect();
        }
        out.push(view);
    }
    out.extend(user.passkeys.iter().map(|p| passkey_view(user, p)));
    out
}

/// `GET …/authentication-methods/{id}`'s 404.
pub fn no_method(id: &str) -> Problem {
    Problem::not_found(format!("Authentication method {id} not found."))
}

pub fn find_method(user: &User, id: &str) -> MeResult<MethodView> {
    methods_of(user)
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| no_method(id))
}

/// A name: 1 to 100 printable characters (ASSUMPTION: the limit is unrecorded).
fn valid_name(name: &str) -> bool {
    let length = name.chars().count();
    (1..=100).contains(&length) && !name.chars().any(char::is_control) && name.trim() == name
}

impl State {
    /// `PATCH …/{id}` with `{"name"?, "preferred_authentication_method"?}` (§S5.2); extra
    /// properties are refused like every My Account body.
    pub fn patch_method(&mut self, ui: usize, id: &str, body: &Value) -> MeResult<MethodView> {
        let object = super::body::object(body, &["name", "preferred_authentication_method"])?;
        let method = find_method(&self.users[ui], id)?;
        let name = match object.get("name") {
            None => None,
            Some(Value::String(name)) if valid_name(name) => Some(name.clone()),
            Some(_) => {
                return Err(Problem::validation(
                    "/name",
                    "data/name must be a string of 1 to 100 characters",
                ))
            }
        };
        let preferred = match object.get("preferred_authentication_method") {
            None => None,
            Some(Value::String(p)) if p == "sms" || p == "voice" => Some(p.as_str()),
            Some(_) => return Err(Problem::validation(
                "/preferred_authentication_method",
                "data/preferred_authentication_method must be equal to one of the allowed values",
            )),
        };
        let user = &mut self.users[ui];
        if let Some(name) = name {
            for a in user.authenticators.iter_mut() {
                if method.members.contains(&a.id) {
                    a.name = Some(name.clone());
                }
            }
            if let Some(p) = user.passkeys.iter_mut().find(|p| p.id == method.id) {
                p.name = Some(name);
            }
        }
        if let Some(channel) = preferred {
            if method.kind != "phone" {
                return Err(Problem::validation(
                    "/preferred_authentication_method",
                    "only a phone method has a preferred authentication method",
                ));
            }
            let wanted = format!("{channel}|");
            let Some(at) = user
                .authenticators
                .iter()
                .position(|a| method.members.contains(&a.id) && a.id.starts_with(&wanted))
            else {
                return Err(Problem::validation(
                    "/preferred_authentication_method",
                    "this channel is not enabled for the phone",
                ));
            };
            let first = user
                .authenticators
                .iter()
                .position(|a| method.members.contains(&a.id))
                .unwrap_or(at);
            user.authenticators.swap(first, at);
        }
        find_method(&self.users[ui], id)
    }

    /// `DELETE …/{id}`: the method and what goes with it (the SMS/voice pair, a push's
    /// TOTP twin), as the MFA API removes them.
    pub fn delete_method(&mut self, ui: usize, id: &str) -> MeResult<()> {
        let method = find_method(&self.users[ui], id)?;
        for member in &method.members {
            self.users[ui].remove(member);
        }
        self.users[ui].passkeys.retain(|p| p.id != method.id);
        self.forget_removed_transactions(ui);
        Ok(())
    }

    /// `GET /me/v1/factors` (§S5.2): the factors enabled on the tenant, and the passkey
    /// (a primary factor) when the connection has passkeys on.
    pub fn my_factors(&self) -> Value {
        let f = &self.tenant.factors;
        let factors: Vec<Value> = [
            (f.otp, "totp"),
            (f.sms || f.voice, "phone"),
            (f.email, "email"),
            (f.push, "push-notification"),
            (f.recovery_codes, "recovery-code"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, kind)| serde_json::json!({"type": kind, "usage": ["secondary"]}))
        .chain(
            self.tenant
                .settings
                .passkeys
                .then(|| serde_json::json!({"type": "passkey", "usage": ["primary"]})),
        )
        .collect();
        serde_json::json!({ "factors": factors })
    }
}
