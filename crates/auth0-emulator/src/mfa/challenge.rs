//! `POST /mfa/challenge` (spec §6, §15.5).

use serde_json::Value;

use super::{list_field, str_field};
use crate::errors::{ApiError, ApiResult};
use crate::limits::SendChannel;
use crate::model::{Authenticator, Kind};
use crate::state::State;
use crate::tokens::{Binding, PushDecision};
use crate::wire::ChallengeResponse;

fn unsupported() -> ApiError {
    ApiError::new(
        400,
        "unsupported_challenge_type",
        "The user does not support any of the requested challenge types.",
    )
}

impl State {
    pub fn challenge(
        &mut self,
        body: &Value,
        basic: Option<&(String, String)>,
    ) -> ApiResult<ChallengeResponse> {
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
        let chosen = self.pick_authenticator(ui, body)?;
        let token = mfa_token.map(str::to_string);
        match chosen.kind {
            Kind::Totp => Ok(ChallengeResponse {
                challenge_type: "otp",
                oob_code: None,
                binding_method: None,
            }),
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
                Ok(ChallengeResponse {
                    challenge_type: "oob",
                    oob_code: Some(oob),
                    binding_method: Some("prompt"),
                })
            }
            Kind::Push => {
                self.take_push(ui)?;
                let binding = Binding::Push {
                    decision: PushDecision::Pending,
                    last_poll_ms: None,
                    enrollment: false,
                };
                let oob = self.mint_oob_code(token.as_deref(), &rec.user_id, &chosen.id, binding);
                Ok(ChallengeResponse {
                    challenge_type: "oob",
                    oob_code: Some(oob),
                    binding_method: None,
                })
            }
            Kind::RecoveryCode => Err(unsupported()),
        }
    }

    /// The authenticator `authenticator_id` names, else the first active one
    /// whose type `challenge_type` allows.
    fn pick_authenticator(&self, ui: usize, body: &Value) -> ApiResult<Authenticator> {
        let wanted = list_field(body, "challenge_type");
        let allowed = |a: &Authenticator| {
            let type_ok = match &wanted {
                None => true,
                Some(w) => w.iter().any(|t| t == a.kind.authenticator_type()),
            };
            a.kind != Kind::RecoveryCode && type_ok
        };
        let user = &self.users[ui];
        if let Some(id) = str_field(body, "authenticator_id") {
            // ASSUMPTION (spec §6 UNCONFIRMED): name from the SDK docs.
            let a = user.find(id).filter(|a| a.active).ok_or_else(|| {
                ApiError::new(
                    400,
                    "invalid_authenticator_id",
                    "Unknown or inactive authenticator.",
                )
            })?;
            return if allowed(a) {
                Ok(a.clone())
            } else {
                Err(unsupported())
            };
        }
        if !user.has_active_factor() {
            let code = &self.tenant.settings.not_enrolled_error;
            return Err(ApiError::new(
                400,
                code,
                "User is not enrolled. Associate an authenticator first.",
            ));
        }
        user.authenticators
            .iter()
            .find(|a| a.active && allowed(a))
            .cloned()
            .ok_or_else(unsupported)
    }
}
