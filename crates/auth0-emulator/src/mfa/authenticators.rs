//! `GET /mfa/authenticators` and `DELETE /mfa/authenticators/{id}` (spec §3, §5).

use super::{insufficient_scope, mask_email, mask_phone, Bearer};
use crate::errors::{ApiError, ApiResult};
use crate::model::Authenticator;
use crate::state::State;
use crate::wire::AuthenticatorView;

impl State {
    fn authenticator_view(&self, a: &Authenticator) -> AuthenticatorView {
        let name = match (&a.phone, &a.email) {
            (Some(p), _) => Some(mask_phone(p)),
            (None, Some(e)) => Some(mask_email(e)),
            (None, None) => None,
        };
        AuthenticatorView {
            id: a.id.clone(),
            authenticator_type: a.kind.authenticator_type(),
            active: a.active,
            oob_channel: a.kind.oob_channel(),
            name,
            kind: self
                .tenant
                .settings
                .include_type_field
                .then(|| a.kind.type_field()),
        }
    }

    pub fn list_authenticators(
        &self,
        authorization: Option<&str>,
    ) -> ApiResult<Vec<AuthenticatorView>> {
        let bearer = self.resolve_bearer(authorization)?;
        if let Bearer::Access(a) = &bearer {
            if !a.has_scope("read:authenticators") {
                return Err(insufficient_scope("read:authenticators"));
            }
        }
        let ui = self
            .user_index(bearer.user_id())
            .expect("resolved bearer has a user");
        Ok(self.users[ui]
            .authenticators
            .iter()
            .map(|a| self.authenticator_view(a))
            .collect())
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
        self.forget_removed_transactions(ui);
        Ok(())
    }

    /// Pending oob transactions of deleted authenticators die with them.
    pub fn forget_removed_transactions(&mut self, ui: usize) {
        let user = &self.users[ui];
        self.tokens
            .forget_oob_codes_without(&user.user_id, |id| user.find(id).is_some());
    }
}
