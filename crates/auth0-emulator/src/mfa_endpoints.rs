//! The MFA API: `GET /mfa/authenticators`, `DELETE /mfa/authenticators/{id}`,
//! `POST /mfa/associate` and `POST /mfa/challenge` (spec §3-6, §15.3-5, §15.10).

use serde_json::{json, Map, Value};

use crate::errors::{ApiError, ApiResult, INVALID_MFA_TOKEN};
use crate::ids;
use crate::otp;
use crate::state::{
    push_pair, AccessTokenRec, Authenticator, Binding, Kind, MfaTokenRec, PushDecision,
    SendChannel, State,
};

/// What an `Authorization: Bearer` header resolved to.
pub enum Bearer {
    Mfa { token: String, rec: MfaTokenRec },
    Access(AccessTokenRec),
}

impl Bearer {
    fn user_id(&self) -> &str {
        match self {
            Bearer::Mfa { rec, .. } => &rec.user_id,
            Bearer::Access(a) => &a.user_id,
        }
    }
}

fn insufficient_scope(scope: &str) -> ApiError {
    ApiError::new(
        403,
        "insufficient_scope",
        format!("Insufficient scope, expected any of: {scope}"),
    )
}

/// `+` and 8 to 15 digits (E.164).
fn valid_phone(p: &str) -> bool {
    p.strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `+15555550123` → `XXXXXXXX0123`: everything but the last four characters.
pub fn mask_phone(p: &str) -> String {
    let n = p.chars().count();
    p.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { 'X' } else { c })
        .collect()
}

/// `new.hire@example.com` → `ne****@exam*******` (shape of the recorded masks).
pub fn mask_email(e: &str) -> String {
    let (local, domain) = e.split_once('@').unwrap_or((e, ""));
    let keep_local: String = local.chars().take(2).collect();
    let keep_domain: String = domain.chars().take(4).collect();
    let hidden = domain.chars().count().saturating_sub(4);
    format!("{keep_local}****@{keep_domain}{}", "*".repeat(hidden))
}

fn str_field<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A list given as a JSON array or as a (space-separated) string; the legacy
/// `oob_channels: "sms"` and `challenge_type: "oob otp"` both land here.
fn list_field(body: &Value, key: &str) -> Option<Vec<String>> {
    let list: Vec<String> = match body.get(key)? {
        Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    (!list.is_empty()).then_some(list)
}

/// ASSUMPTION (spec §4.5 UNCONFIRMED): a factor or channel the tenant has off
/// is `400 unsupported_authenticator_type`, the name SDK test mocks use.
fn factor_disabled(what: &str) -> ApiError {
    ApiError::new(
        400,
        "unsupported_authenticator_type",
        format!("The {what} factor is not enabled for this tenant."),
    )
}

impl State {
    /// Resolves a Bearer token for `/mfa/*`. Bad tokens are 401 here (spec §3, §4.5).
    pub fn resolve_bearer(&self, authorization: Option<&str>) -> ApiResult<Bearer> {
        let invalid = || ApiError::new(401, "invalid_grant", INVALID_MFA_TOKEN);
        // ASSUMPTION: no or non-Bearer Authorization header answers like a bad token.
        let token = authorization
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(invalid)?;
        let now = self.clock.now_ms();
        if let Some(rec) = self.mfa_tokens.get(token) {
            if rec.expires_ms <= now {
                return Err(ApiError::new(401, "expired_token", "mfa_token is expired"));
            }
            if self.user_index(&rec.user_id).is_none() {
                return Err(invalid());
            }
            return Ok(Bearer::Mfa {
                token: token.to_string(),
                rec: rec.clone(),
            });
        }
        if let Some(rec) = self.access_tokens.get(token) {
            // ASSUMPTION: expired or foreign-audience access tokens get the
            // RFC 6750 `invalid_token` error.
            if rec.expires_ms <= now {
                return Err(ApiError::new(
                    401,
                    "invalid_token",
                    "The access token is expired.",
                ));
            }
            if rec.audience != self.mfa_audience() {
                return Err(ApiError::new(
                    401,
                    "invalid_token",
                    "The access token audience is not the MFA API.",
                ));
            }
            if self.user_index(&rec.user_id).is_none() {
                return Err(invalid());
            }
            return Ok(Bearer::Access(rec.clone()));
        }
        Err(invalid())
    }

    fn authenticator_json(&self, a: &Authenticator) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(a.id));
        m.insert(
            "authenticator_type".into(),
            json!(a.kind.authenticator_type()),
        );
        m.insert("active".into(), json!(a.active));
        if let Some(ch) = a.kind.oob_channel() {
            m.insert("oob_channel".into(), json!(ch));
        }
        if let Some(p) = &a.phone {
            m.insert("name".into(), json!(mask_phone(p)));
        } else if let Some(e) = &a.email {
            m.insert("name".into(), json!(mask_email(e)));
        }
        if self.tenant.settings.include_type_field {
            m.insert("type".into(), json!(a.kind.type_field()));
        }
        Value::Object(m)
    }

    pub fn list_authenticators(&self, authorization: Option<&str>) -> ApiResult<Value> {
        let bearer = self.resolve_bearer(authorization)?;
        if let Bearer::Access(a) = &bearer {
            if !a.has_scope("read:authenticators") {
                return Err(insufficient_scope("read:authenticators"));
            }
        }
        let ui = self
            .user_index(bearer.user_id())
            .expect("resolved bearer has a user");
        let list: Vec<Value> = self.users[ui]
            .authenticators
            .iter()
            .map(|a| self.authenticator_json(a))
            .collect();
        Ok(Value::Array(list))
    }

    pub fn delete_authenticator(&mut self, authorization: Option<&str>, id: &str) -> ApiResult<()> {
        let access = match self.resolve_bearer(authorization)? {
            // ASSUMPTION: the exact rejection of an mfa_token here is unrecorded.
            Bearer::Mfa { .. } => {
                return Err(ApiError::new(
                    401,
                    "invalid_token",
                    "An access token is required to delete authenticators.",
                ))
            }
            Bearer::Access(a) => a,
        };
        if !access.has_scope("remove:authenticators") {
            return Err(insufficient_scope("remove:authenticators"));
        }
        let ui = self
            .user_index(&access.user_id)
            .expect("resolved bearer has a user");
        if !self.users[ui].remove(id) {
            // ASSUMPTION: body unrecorded; the docs only say "Authenticator not found".
            return Err(ApiError::not_found("Authenticator not found"));
        }
        // Pending oob transactions of deleted authenticators die with them.
        let user_id = access.user_id.clone();
        let users = &self.users[ui];
        self.oob_codes
            .retain(|_, o| o.user_id != user_id || users.find(&o.authenticator_id).is_some());
        Ok(())
    }

    pub fn associate(&mut self, authorization: Option<&str>, body: &Value) -> ApiResult<Value> {
        let bearer = self.resolve_bearer(authorization)?;
        // client_id is optional here (Swift omits it); when sent it must be real.
        if let Some(client_id) = str_field(body, "client_id") {
            let client = self
                .tenant
                .client(client_id)
                .ok_or_else(ApiError::invalid_client)?;
            if let Some(secret) = str_field(body, "client_secret") {
                if client.client_secret.as_deref() != Some(secret) {
                    return Err(ApiError::invalid_client());
                }
            }
            if let Bearer::Mfa { rec, .. } = &bearer {
                if rec.client_id != client_id {
                    return Err(ApiError::new(
                        400,
                        "invalid_request",
                        "mfa_token not issued to this client",
                    ));
                }
            }
        }
        let ui = self
            .user_index(bearer.user_id())
            .expect("resolved bearer has a user");
        match &bearer {
            Bearer::Mfa { .. } if self.users[ui].has_active_factor() => {
                return Err(ApiError::new(
                    self.tenant.settings.already_enrolled_status,
                    "access_denied",
                    "User is already enrolled.",
                ));
            }
            Bearer::Access(a) if !a.has_scope("enroll") => {
                return Err(insufficient_scope("enroll"))
            }
            _ => {}
        }
        let mfa_token = match &bearer {
            Bearer::Mfa { token, .. } => Some(token.clone()),
            Bearer::Access(_) => None,
        };
        let types = list_field(body, "authenticator_types")
            .ok_or_else(|| ApiError::missing("authenticator_types"))?;
        let factors = self.tenant.factors.clone();
        let issuer = self.tenant.friendly_name.clone();
        let account = self.users[ui].email.clone();
        let user_id = self.users[ui].user_id.clone();

        let mut resp = Map::new();
        match types[0].as_str() {
            "otp" => {
                if !factors.otp {
                    return Err(factor_disabled("otp"));
                }
                let secret = ids::totp_secret();
                let mut a = Authenticator::new(Kind::Totp, &ids::device_suffix());
                a.secret = Some(secret.clone());
                self.users[ui].authenticators.push(a);
                resp.insert("authenticator_type".into(), json!("otp"));
                resp.insert("secret".into(), json!(secret));
                resp.insert(
                    "barcode_uri".into(),
                    json!(otp::otp_barcode_uri(&issuer, &account, &secret)),
                );
            }
            "oob" => {
                let channel = list_field(body, "oob_channels")
                    .and_then(|c| c.into_iter().next())
                    .ok_or_else(|| ApiError::missing("oob_channels"))?;
                let suffix = ids::device_suffix();
                let (authenticator_id, binding) = match channel.as_str() {
                    "sms" | "voice" => {
                        let voice = channel == "voice";
                        if (voice && !factors.voice) || (!voice && !factors.sms) {
                            return Err(factor_disabled(&channel));
                        }
                        let phone = str_field(body, "phone_number")
                            .ok_or_else(|| ApiError::missing("phone_number"))?
                            .to_string();
                        if !valid_phone(&phone) {
                            return Err(ApiError::new(
                                400,
                                "invalid_request",
                                "The phone number is invalid.",
                            ));
                        }
                        let send = if voice {
                            SendChannel::Voice
                        } else {
                            SendChannel::Sms
                        };
                        let code = self.send_code(ui, send, &phone)?;
                        let mut kinds = Vec::new();
                        if factors.sms {
                            kinds.push(Kind::Sms);
                        }
                        if factors.voice {
                            kinds.push(Kind::Voice);
                        }
                        for kind in kinds {
                            let mut a = Authenticator::new(kind, &suffix);
                            a.phone = Some(phone.clone());
                            self.users[ui].authenticators.push(a);
                        }
                        (format!("{channel}|{suffix}"), Binding::Prompt { code })
                    }
                    "email" => {
                        if !factors.email {
                            return Err(factor_disabled("email"));
                        }
                        let email = str_field(body, "email")
                            .ok_or_else(|| ApiError::missing("email"))?
                            .to_string();
                        let code = self.send_code(ui, SendChannel::Email, &email)?;
                        let mut a = Authenticator::new(Kind::Email, &suffix);
                        a.email = Some(email);
                        self.users[ui].authenticators.push(a);
                        (format!("email|{suffix}"), Binding::Prompt { code })
                    }
                    "auth0" => {
                        if !factors.push {
                            return Err(factor_disabled("push-notification"));
                        }
                        let (push, totp) = push_pair(&suffix);
                        let id = push.id.clone();
                        self.users[ui].authenticators.push(push);
                        self.users[ui].authenticators.push(totp);
                        let tx = ids::alnum(32);
                        resp.insert(
                            "barcode_uri".into(),
                            json!(otp::push_barcode_uri(
                                &issuer,
                                &account,
                                &tx,
                                &self.base_url
                            )),
                        );
                        let binding = Binding::Push {
                            decision: PushDecision::Pending,
                            last_poll_ms: None,
                            enrollment: true,
                        };
                        (id, binding)
                    }
                    other => return Err(factor_disabled(other)),
                };
                let prompt = matches!(binding, Binding::Prompt { .. });
                let oob_code =
                    self.mint_oob_code(mfa_token.as_deref(), &user_id, &authenticator_id, binding);
                resp.insert("authenticator_type".into(), json!("oob"));
                if prompt {
                    resp.insert("binding_method".into(), json!("prompt"));
                }
                resp.insert("oob_channel".into(), json!(channel));
                resp.insert("oob_code".into(), json!(oob_code));
            }
            other => return Err(factor_disabled(other)),
        }

        let user = &mut self.users[ui];
        let first = !user.ever_associated;
        user.ever_associated = true;
        let has_code = user
            .authenticators
            .iter()
            .any(|a| a.kind == Kind::RecoveryCode);
        if first && factors.recovery_codes && !has_code {
            // Inactive until the first factor is confirmed (State::activate).
            let code = ids::recovery_code();
            user.recovery_code = Some(code.clone());
            user.authenticators.push(Authenticator::new(
                Kind::RecoveryCode,
                &ids::device_suffix(),
            ));
            resp.insert("recovery_codes".into(), json!([code]));
        }
        Ok(Value::Object(resp))
    }

    pub fn challenge(
        &mut self,
        body: &Value,
        basic: Option<&(String, String)>,
    ) -> ApiResult<Value> {
        let client = self.authenticate_client(
            str_field(body, "client_id"),
            str_field(body, "client_secret"),
            basic,
        )?;
        let mfa_token = str_field(body, "mfa_token");
        let rec = self.check_mfa_token(mfa_token, &client.client_id)?;
        let ui = self
            .user_index(&rec.user_id)
            .expect("checked mfa_token has a user");
        let wanted = list_field(body, "challenge_type");
        let allowed = |a: &Authenticator| {
            let type_ok = match &wanted {
                None => true,
                Some(w) => w.iter().any(|t| t == a.kind.authenticator_type()),
            };
            a.kind != Kind::RecoveryCode && type_ok
        };
        let unsupported = || {
            ApiError::new(
                400,
                "unsupported_challenge_type",
                "The user does not support any of the requested challenge types.",
            )
        };
        let user = &self.users[ui];
        let chosen = match str_field(body, "authenticator_id") {
            Some(id) => {
                // ASSUMPTION (spec §6 UNCONFIRMED): name from the SDK docs.
                let a = user.find(id).filter(|a| a.active).ok_or_else(|| {
                    ApiError::new(
                        400,
                        "invalid_authenticator_id",
                        "Unknown or inactive authenticator.",
                    )
                })?;
                if !allowed(a) {
                    return Err(unsupported());
                }
                a.clone()
            }
            None => {
                if !user.has_active_factor() {
                    let code = self.tenant.settings.not_enrolled_error.clone();
                    return Err(ApiError::new(
                        400,
                        &code,
                        "User is not enrolled. Associate an authenticator first.",
                    ));
                }
                user.authenticators
                    .iter()
                    .find(|a| a.active && allowed(a))
                    .cloned()
                    .ok_or_else(unsupported)?
            }
        };
        let token = mfa_token.map(str::to_string);
        match chosen.kind {
            Kind::Totp => Ok(json!({ "challenge_type": "otp" })),
            Kind::Sms | Kind::Voice | Kind::Email => {
                let (channel, to) = match chosen.kind {
                    Kind::Sms => (SendChannel::Sms, chosen.phone.clone()),
                    Kind::Voice => (SendChannel::Voice, chosen.phone.clone()),
                    _ => (SendChannel::Email, chosen.email.clone()),
                };
                let code = self.send_code(ui, channel, &to.unwrap_or_default())?;
                let oob = self.mint_oob_code(
                    token.as_deref(),
                    &rec.user_id,
                    &chosen.id,
                    Binding::Prompt { code },
                );
                Ok(json!({ "challenge_type": "oob", "oob_code": oob, "binding_method": "prompt" }))
            }
            Kind::Push => {
                self.take_push(ui)?;
                let binding = Binding::Push {
                    decision: PushDecision::Pending,
                    last_poll_ms: None,
                    enrollment: false,
                };
                let oob = self.mint_oob_code(token.as_deref(), &rec.user_id, &chosen.id, binding);
                Ok(json!({ "challenge_type": "oob", "oob_code": oob }))
            }
            Kind::RecoveryCode => Err(unsupported()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_phone("+15555550123"), "XXXXXXXX0123");
        assert_eq!(mask_email("new.hire@example.com"), "ne****@exam*******");
        assert!(valid_phone("+15555550123"));
        assert!(!valid_phone("15555550123"));
        assert!(!valid_phone("+1555"));
    }
}
