//! `login`: the device flow (§S2), as `gh auth login` does it: the code and the link on
//! standard error, polling until the agent confirms in a browser, the token into the keyring.

use mfa_core::device::DeviceFlowClient;
use mfa_core::helpdesk_service::AgentSession;
use mfa_core::secret::ExposeSecret;
use mfa_core::ErrorCode;

use super::signed_in::{describe, SignedIn};
use crate::agent::{blocking, keyring, location, timeouts};
use crate::cli::Cli;
use crate::connect::sign_in_tenant;
use crate::failure::{Exit, Failure};
use crate::report::Report;

/// What the agent's token asks for: who they are, and every helpdesk permission their roles
/// grant (the tenant keeps only those, §S1.3).
const SCOPE: &str =
    "openid profile email helpdesk:read helpdesk:act helpdesk:reset helpdesk:approve";

pub async fn login(cli: &Cli) -> Result<Report, Failure> {
    let location = location(cli)?;
    let (tenant, client_id) = sign_in_tenant(cli)?;
    let flow = DeviceFlowClient::new(&tenant, client_id, timeouts(cli.timeout))?;
    let mut device = flow
        .start(&location.api, SCOPE)
        .await
        .map_err(Failure::device)?;
    // Standard error, so that `--json` keeps standard output to one document.
    let link = device
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&device.verification_uri);
    eprintln!(
        "! First check your one-time code: {code}\n\
         Open {link} in a browser, sign in with MFA and confirm that the page shows {code}.\n\
         (Or go to {} and type the code.)\n\
         Waiting for the confirmation…",
        device.verification_uri,
        code = device.user_code,
    );
    let tokens = flow.wait(&mut device).await.map_err(Failure::device)?;
    let email = tokens
        .id_token
        .as_ref()
        .and_then(|t| AgentSession::id_token_email(t.expose_secret()));
    let session = AgentSession::from_tokens(tokens.access_token, email).ok_or_else(|| {
        Failure::new(
            Exit::Other,
            ErrorCode::UnexpectedResponse,
            "The tenant sent an access token this tool cannot read (not a JWT for the helpdesk API).",
        )
    })?;
    let (kept, url) = (session.clone(), location.url.clone());
    blocking(move || kept.save(&keyring(), &url).map_err(Failure::store)).await?;
    let body = SignedIn {
        service: &location.url,
        agent: &session.claims,
    };
    Ok(Report::new(&body, describe(&location.url, &session)))
}
