//! `POST /me/v1/authentication-methods` (202, enrollment started) and
//! `POST …/{id}/verify` (201, confirmed) for each factor type (§S5.3), over the store the
//! MFA and Management APIs share.

use serde_json::{json, Map, Value};

use super::body::{object, required};
use super::methods::{find_method, MethodView};
use super::problem::{MeResult, Problem};
use super::sessions::{PendingMethod, Proof, Started};

use crate::errors::ApiError;
use crate::ids;
use crate::limits::SendChannel;
use crate::model::{push_pair, Authenticator, Kind};
use crate::otp;
use crate::state::State;
use crate::tokens::{Binding, PushDecision};

/// What starting one factor's enrollment gives: the new method's id, the ids of the
/// authenticators it stands for, what verifying it must prove, and the factor's own fields
/// of the 202 answer.
type FactorStart = (String, Vec<String>, Proof, Map<String, Value>);

/// `+` and 8 to 15 digits (E.164), as the MFA API checks it.
fn valid_phone(p: &str) -> bool {
    p.strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_email(e: &str) -> bool {
    e.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !e.chars().any(char::is_whitespace)
    })
}

/// ASSUMPTION: a factor the tenant has off is refused like an unknown `type`.
fn not_enabled(kind: &str) -> Problem {
    Problem::validation("/type", format!("the {kind} factor is not enabled"))
}

/// A 429 from the shared send limits, as a problem body.
fn limited(_: ApiError) -> Problem {
    Problem::new(429, 1, "Too Many Requests", "Too many requests.")
}

impl State {
    pub fn start_method(&mut self, ui: usize, body: &Value) -> MeResult<Started> {
        let kind = body
            .as_object()
            .and_then(|o| o.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let allowed: &[&str] = match kind.as_str() {
            "totp" | "push-notification" | "recovery-code" => &["type"],
            "email" => &["type", "email"],
            "phone" => &["type", "phone_number", "preferred_authentication_method"],
            "passkey" => &["type", "connection", "identity_user_id"],
            _ => {
                return Err(Problem::validation(
                    "/type",
                    "data/type must be equal to one of the allowed values",
                ))
            }
        };
        let fields = object(body, allowed)?;
        if kind == "passkey" {
            return self.start_passkey(ui, fields);
        }
        let now_ms = self.clock.now_ms();
        let user_id = self.users[ui].user_id.clone();
        let (method_id, members, proof, mut answer) = match kind.as_str() {
            "totp" => self.start_totp(ui)?,
            "phone" => self.start_phone(ui, fields)?,
            "email" => self.start_email(ui, fields)?,
            "push-notification" => self.start_push(ui)?,
            _ => self.start_recovery_code(ui)?,
        };
        let ttl_ms = self.tenant.settings.my_account_auth_session_ttl_secs * 1000;
        let auth_session = ids::fe26(now_ms + ttl_ms);
        answer.insert("id".into(), json!(method_id));
        answer.insert("auth_session".into(), json!(auth_session));
        self.my_account.start(
            auth_session,
            PendingMethod {
                user_id,
                method_id: method_id.clone(),
                members,
                proof,
                expires_ms: now_ms + ttl_ms,
            },
        );
        Ok(Started {
            method_id,
            body: Value::Object(answer),
        })
    }

    fn start_totp(&mut self, ui: usize) -> MeResult<FactorStart> {
        if !self.tenant.factors.otp {
            return Err(not_enabled("totp"));
        }
        let (id, secret, _) = self.add_pending_totp(ui);
        // §S5.3: the account label is the URL-encoded user_id here (UNCONFIRMED live).
        let uri =
            otp::otp_barcode_uri(&self.tenant.friendly_name, &self.users[ui].user_id, &secret);
        let mut answer = Map::new();
        answer.insert("barcode_uri".into(), json!(uri));
        answer.insert("manual_input_code".into(), json!(secret.clone()));
        Ok((id.clone(), vec![id], Proof::Totp(secret), answer))
    }

    fn start_phone(&mut self, ui: usize, fields: &Map<String, Value>) -> MeResult<FactorStart> {
        let phone = required(fields, "phone_number")?.to_owned();
        if !valid_phone(&phone) {
            return Err(Problem::validation(
                "/phone_number",
                "data/phone_number must be a phone number in E.164 format",
            ));
        }
        let preferred = match fields.get("preferred_authentication_method") {
            None => "sms",
            Some(Value::String(p)) if p == "sms" || p == "voice" => p.as_str(),
            Some(_) => return Err(Problem::validation(
                "/preferred_authentication_method",
                "data/preferred_authentication_method must be equal to one of the allowed values",
            )),
        };
        let f = self.tenant.factors.clone();
        let on = |kind: &str| if kind == "voice" { f.voice } else { f.sms };
        if !on(preferred) {
            return Err(not_enabled(preferred));
        }
        let channel = if preferred == "voice" {
            SendChannel::Voice
        } else {
            SendChannel::Sms
        };
        let code = self.send_code(ui, channel, &phone).map_err(limited)?;
        let suffix = ids::device_suffix();
        let now_ms = self.clock.now_ms();
        // The preferred channel first: the method view reads the preference from the order.
        let order = if preferred == "voice" {
            [Kind::Voice, Kind::Sms]
        } else {
            [Kind::Sms, Kind::Voice]
        };
        let mut members = Vec::new();
        for kind in order.into_iter().filter(|k| on(k.prefix())) {
            let mut a = Authenticator::new(kind, &suffix, now_ms);
            a.phone = Some(phone.clone());
            members.push(a.id.clone());
            self.users[ui].authenticators.push(a);
        }
        Ok((
            format!("phone|{suffix}"),
            members,
            Proof::SentCode(code),
            Map::new(),
        ))
    }

    fn start_email(&mut self, ui: usize, fields: &Map<String, Value>) -> MeResult<FactorStart> {
        if !self.tenant.factors.email {
            return Err(not_enabled("email"));
        }
        let email = required(fields, "email")?.to_owned();
        if !valid_email(&email) {
            return Err(Problem::validation(
                "/email",
                "data/email must match format \"email\"",
            ));
        }
        let code = self
            .send_code(ui, SendChannel::Email, &email)
            .map_err(limited)?;
        let mut a = Authenticator::new(Kind::Email, &ids::device_suffix(), self.clock.now_ms());
        a.email = Some(email);
        let id = a.id.clone();
        self.users[ui].authenticators.push(a);
        Ok((id.clone(), vec![id], Proof::SentCode(code), Map::new()))
    }

    fn start_push(&mut self, ui: usize) -> MeResult<FactorStart> {
        if !self.tenant.factors.push {
            return Err(not_enabled("push-notification"));
        }
        let (push, totp) = push_pair(&ids::device_suffix(), self.clock.now_ms());
        let id = push.id.clone();
        let members = vec![push.id.clone(), totp.id.clone()];
        self.users[ui].authenticators.extend([push, totp]);
        let uri = otp::push_barcode_uri(
            &self.tenant.friendly_name,
            &self.users[ui].email,
            &ids::alnum(32),
            &self.base_url,
        );
        let user_id = self.users[ui].user_id.clone();
        let binding = Binding::Push {
            decision: PushDecision::Pending,
            last_poll_ms: None,
            enrollment: true,
        };
        let oob_code = self.mint_oob_code(None, &user_id, &id, binding);
        let mut answer = Map::new();
        answer.insert("barcode_uri".into(), json!(uri));
        Ok((id, members, Proof::Push(oob_code), answer))
    }

    fn start_recovery_code(&mut self, ui: usize) -> MeResult<FactorStart> {
        if !self.tenant.factors.recovery_codes {
            return Err(not_enabled("recovery-code"));
        }
        let user = &mut self.users[ui];
        if user
            .authenticators
            .iter()
            .any(|a| a.kind == Kind::RecoveryCode && a.active)
        {
            // ASSUMPTION: one recovery code per person, as the MFA API keeps it.
            return Err(Problem::validation(
                "/type",
                "a recovery code is already enrolled",
            ));
        }
        user.authenticators.retain(|a| a.kind != Kind::RecoveryCode);
        let a = Authenticator::new(
            Kind::RecoveryCode,
            &ids::device_suffix(),
            self.clock.now_ms(),
        );
        let id = a.id.clone();
        user.authenticators.push(a);
        let code = ids::recovery_code();
        let mut answer = Map::new();
        answer.insert("recovery_code".into(), json!(code.clone()));
        Ok((id.clone(), vec![id], Proof::RecoveryCode(code), answer))
    }

    /// `POST …/{id}/verify`: the `auth_session` of this user and method, once, with the code
    /// the method needs; a wrong code can be corrected, an expired or used session cannot.
    pub fn verify_method(
        &mut self,
        ui: usize,
        id: &str,
        body: &Value,
        user_agent: &str,
    ) -> MeResult<MethodView> {
        if id == super::passkey::PASSKEY_NEW {
            return self.verify_passkey(ui, body, user_agent);
        }
        let now_ms = self.clock.now_ms();
        let user_id = self.users[ui].user_id.clone();
        let session_of = |body: &Value| -> Option<String> {
            body.get("auth_session")
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let auth_session = session_of(body).unwrap_or_default();
        let pending = self
            .my_account
            .find(&auth_session, &user_id, id, now_ms)
            .cloned();
        // §S5.3: totp, email and phone verify with a code; the others with the session alone.
        let with_code = ["totp|", "email|", "phone|"]
            .iter()
            .any(|p| id.starts_with(p));
        let allowed: &[&str] = if with_code {
            &["auth_session", "otp_code"]
        } else {
            &["auth_session"]
        };
        let fields = object(body, allowed)?;
        required(fields, "auth_session")?;
        // ASSUMPTION: the answer to an unknown, used or expired auth_session is unrecorded.
        let pending = pending.ok_or_else(|| {
            Problem::validation("/auth_session", "the auth_session is invalid or expired")
        })?;
        match &pending.proof {
            Proof::SentCode(code) => {
                if required(fields, "otp_code")? != code {
                    return Err(wrong_code());
                }
            }
            Proof::Totp(secret) => {
                let code = required(fields, "otp_code")?;
                let step = self.clock.now_secs() / 30;
                let matched = [step, step.saturating_sub(1)]
                    .into_iter()
                    .find(|&s| otp::code_at_step(secret, s).as_deref() == Some(code));
                let Some(step) = matched else {
                    return Err(wrong_code());
                };
                if let Some(a) = self.users[ui]
                    .authenticators
                    .iter_mut()
                    .find(|a| a.id == pending.members[0])
                {
                    a.last_otp_step = Some(step);
                }
            }
            Proof::Push(oob_code) => {
                let decision = self.tokens.oob_codes.get(oob_code).map(|o| &o.binding);
                match decision {
                    Some(Binding::Push {
                        decision: PushDecision::Approved,
                        ..
                    }) => {}
                    // ASSUMPTION (§S5.3 UNCONFIRMED): before Guardian answers, 400.
                    _ => {
                        return Err(Problem::new(
                            400,
                            1,
                            "Bad Request",
                            "The enrollment has not been confirmed on the device yet.",
                        ))
                    }
                }
                self.tokens.spend_oob_code(oob_code);
            }
            Proof::RecoveryCode(code) => self.users[ui].recovery_code = Some(code.clone()),
            Proof::Passkey(_) => {
                return Err(Problem::not_found(format!(
                    "Authentication method {id} not found."
                )))
            }
        }
        self.my_account.finish(&auth_session);
        let user = &mut self.users[ui];
        for member in &pending.members {
            if let Some(a) = user.authenticators.iter_mut().find(|a| &a.id == member) {
                a.active = true;
            }
        }
        let entry = crate::tenant_log::Entry::user(&user_id, None);
        self.log("my_account_authentication_method_succeeded", entry);
        find_method(&self.users[ui], id)
    }
}

/// ASSUMPTION: a wrong code is a validation error on `otp_code` (unrecorded).
fn wrong_code() -> Problem {
    Problem::validation("/otp_code", "the otp_code is invalid")
}
