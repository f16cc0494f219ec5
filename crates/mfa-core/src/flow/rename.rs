//! Naming one's own methods (a security key "Work laptop key"): the My Account API's
//! `PATCH …/{id}` `{"name"}` (§S5.2). The MFA API has no such call.

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::session::MfaSession;
use crate::input;
use crate::my_account::MyAccountClient;

impl MfaSession {
    /// Renames method `id`. The name is checked first ([`input::method_name`]): a refused
    /// one sends nothing. Needs a session that manages methods through the My Account API.
    pub async fn rename_method(
        &mut self,
        client: &Auth0Client,
        id: &str,
        name: &str,
    ) -> Result<(), FlowError> {
        let name = input::method_name(name)?;
        let token = self
            .my_account_token()
            .ok_or(FlowError::MyAccountRequired)?;
        let renamed = MyAccountClient::new(client)
            .rename(token, id, name.as_str())
            .await?;
        if let Some(entry) = self.authenticators.iter_mut().find(|a| a.id == id) {
            entry.name = renamed.name.or(Some(name.as_str().to_owned()));
        }
        Ok(())
    }
}
