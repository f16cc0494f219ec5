//! `POST /mfa/associate`: enroll an authenticator (spec §4, §15.4).

use serde_json::Value;

use super::{insufficient_scope, list_field, str_field, Bearer};
use crate::errors::{ApiError, ApiResult};
use crate::ids;
use crate::limits::SendChannel;
use crate::model::{push_pair, Authenticator, Kind};
use crate::otp;
use crate::state::State;
use crate::tokens::{Binding, PushDecision};
use crate::wire::AssociateResponse;

/// `+` and 8 to 15 digits (E.164).
pub fn valid_phone(p: &str) -> bool {
    p.strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
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
    pub fn associate(
        &mut self,
        authorization: Option<&str>,
        body: &Value,
    ) -> ApiResult<AssociateResponse> {
        let bearer = self.resolve_bearer(authorization)?;
        self.check_associate_client(&bearer, body)?;
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
            Bearer::Mfa { token, .. } => Some(token.as_str()),
            Bearer::Access(_) => None,
        };
        let types = list_field(body, "authenticator_types")
            .ok_or_else(|| ApiError::missing("authenticator_types"))?;
        let mut resp = match types[0].as_str() {
            "otp" => self.associate_otp(ui)?,
            "oob" => self.associate_oob(ui, mfa_token, body)?,
            other => return Err(factor_disabled(other)),
        };
        resp.recovery_codes = self.first_recovery_code(ui).map(|code| vec![code]);
        Ok(resp)
    }

    /// client_id is optional here (Swift omits it); when sent it must be real.
    fn check_associate_client(&self, bearer: &Bearer, body: &Value) -> ApiResult<()> {
        let Some(client_id) = str_field(body, "client_id") else {
            return Ok(());
        };
        let client = self
            .tenant
            .client(client_id)
            .ok_or_else(ApiError::invalid_client)?;
        if let Some(secret) = str_field(body, "client_secret") {
            if client.client_secret.as_deref() != Some(secret) {
                return Err(ApiError::invalid_client());
            }
        }
        if let Bearer::Mfa { rec, .. } = bearer {
            if rec.client_id != client_id {
                return Err(ApiError::new(
                    400,
                    "invalid_request",
                    "mfa_token not issued to this client",
                ));
            }
        }
        Ok(())
    }

    /// A new, inactive TOTP authenticator for user `ui`: `(id, secret, otpauth URI)`.
    pub fn add_pending_totp(&mut self, ui: usize) -> (String, String, String) {
        let secret = ids::totp_secret();
        let mut a = Authenticator::new(Kind::Totp, &ids::device_suffix(), self.clock.now_ms());
        a.secret = Some(secret.clone());
        let id = a.id.clone();
        self.users[ui].authenticators.push(a);
        let uri = otp::otp_barcode_uri(&self.tenant.friendly_name, &self.users[ui].email, &secret);
        (id, secret, uri)
    }

    fn associate_otp(&mut self, ui: usize) -> ApiResult<AssociateResponse> {
        if !self.tenant.factors.otp {
            return Err(factor_disabled("otp"));
        }
        let (_, secret, uri) = self.add_pending_totp(ui);
        Ok(AssociateResponse {
            authenticator_type: "otp",
            secret: Some(secret),
            barcode_uri: Some(uri),
            ..AssociateResponse::default()
        })
    }

    fn associate_oob(
        &mut self,
        ui: usize,
        mfa_token: Option<&str>,
        body: &Value,
    ) -> ApiResult<AssociateResponse> {
        let channel = list_field(body, "oob_channels")
            .and_then(|c| c.into_iter().next())
            .ok_or_else(|| ApiError::missing("oob_channels"))?;
        let suffix = ids::device_suffix();
        let now_ms = self.clock.now_ms();
        let factors = self.tenant.factors.clone();
        let mut resp = AssociateResponse {
            authenticator_type: "oob",
            oob_channel: Some(channel.clone()),
            ..AssociateResponse::default()
        };
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
                let kinds = [(factors.sms, Kind::Sms), (factors.voice, Kind::Voice)];
                for (_, kind) in kinds.into_iter().filter(|(on, _)| *on) {
                    let mut a = Authenticator::new(kind, &suffix, now_ms);
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
                let mut a = Authenticator::new(Kind::Email, &suffix, now_ms);
                a.email = Some(email);
                self.users[ui].authenticators.push(a);
                (format!("email|{suffix}"), Binding::Prompt { code })
            }
            "auth0" => {
                if !factors.push {
                    return Err(factor_disabled("push-notification"));
                }
                let (push, totp) = push_pair(&suffix, now_ms);
                let id = push.id.clone();
                self.users[ui].authenticators.push(push);
                self.users[ui].authenticators.push(totp);
                let tx = ids::alnum(32);
                resp.barcode_uri = Some(otp::push_barcode_uri(
                    &self.tenant.friendly_name,
                    &self.users[ui].email,
                    &tx,
                    &self.base_url,
                ));
                let binding = Binding::Push {
                    decision: PushDecision::Pending,
                    last_poll_ms: None,
                    enrollment: true,
                };
                (id, binding)
            }
            other => return Err(factor_disabled(other)),
        };
        if matches!(binding, Binding::Prompt { .. }) {
            resp.binding_method = Some("prompt");
        }
        let user_id = self.users[ui].user_id.clone();
        resp.oob_code = Some(self.mint_oob_code(mfa_token, &user_id, &authenticator_id, binding));
        Ok(resp)
    }

    /// On the user's first association ever (and recovery codes on), a new
    /// recovery code; its authenticator stays inactive until the first factor
    /// is confirmed (`User::activate`).
    pub fn first_recovery_code(&mut self, ui: usize) -> Option<String> {
        let now_ms = self.clock.now_ms();
        let recovery_codes = self.tenant.factors.recovery_codes;
        let user = &mut self.users[ui];
        let first = !user.ever_associated;
        user.ever_associated = true;
        let has_code = user
            .authenticators
            .iter()
            .any(|a| a.kind == Kind::RecoveryCode);
        if !first || !recovery_codes || has_code {
            return None;
        }
        let code = ids::recovery_code();
        user.recovery_code = Some(code.clone());
        user.authenticators.push(Authenticator::new(
            Kind::RecoveryCode,
            &ids::device_suffix(),
            now_ms,
        ));
        Some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_phone;

    #[test]
    fn e164_phones() {
        assert!(valid_phone("+15555550123"));
        assert!(!valid_phone("15555550123"));
        assert!(!valid_phone("+1555"));
    }
}
