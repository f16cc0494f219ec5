//! Listing and removing one's own authenticators (MFA-API access token required).

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::session::MfaSession;

impl MfaSession {
    /// Removes an authenticator. Auth0 cascades: SMS takes voice for the same phone with it,
    /// and push takes its authenticator-app twin. Needs a verified sign-in: an `mfa_token`
    /// cannot delete.
    pub async fn remove(
        &mut self,
        client: &Auth0Client,
        authenticator_id: &str,
    ) -> Result<(), FlowError> {
        if self.through_my_account {
            return self
                .remove_through_my_account(client, authenticator_id)
                .await;
        }
        let access_token = match &self.tokens {
            Some(tokens) if tokens.has_scope("remove:authenticators") => &tokens.access_token,
            _ => return Err(FlowError::VerificationRequired),
        };
        client
            .delete_authenticator(access_token, authenticator_id)
            .await?;
        if let Some(target) = self
            .authenticators
            .iter()
            .find(|a| a.id == authenticator_id)
        {
            let target = target.clone();
            self.authenticators
                .retain(|a| !crate::methods::removed_with(&target, a));
        }
        Ok(())
    }
}
