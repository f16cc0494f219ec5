//! Finding the user a command is about.

use mfa_core::helpdesk::{find_callers, FoundCallers};
use mfa_core::input::Email;
use mfa_core::management::{ManagementClient, User, UserRef};
use mfa_core::ErrorCode;

use crate::cli::Cli;
use crate::connect::{management_client, tenant_config};
use crate::failure::{Details, Exit, Failure};

/// A Management client for the tenant and helpdesk application the command line names.
pub async fn connect(cli: &Cli) -> Result<ManagementClient, Failure> {
    let tenant = tenant_config(cli)?;
    management_client(&tenant, cli.timeout).await
}

/// The users with `email`, with the core's case handling (as typed, then lower-cased, since
/// Auth0 database connections store emails lower-cased). None is "not found" (exit 3).
pub async fn users_with_email(
    client: &ManagementClient,
    email: &Email,
    timeout: u64,
) -> Result<FoundCallers, Failure> {
    let found = find_callers(client, email)
        .await
        .map_err(|e| Failure::management(e, false, timeout))?;
    if found.users.is_empty() {
        return Err(Failure::new(
            Exit::NotFound,
            ErrorCode::UserNotFound,
            format!("No user has the email {}.", email.as_str()),
        ));
    }
    Ok(found)
}

/// The user a USER argument names. An email shared by several users is refused: acting on
/// the wrong account is worse than asking for the id.
pub async fn resolve(
    client: &ManagementClient,
    user: &UserRef,
    timeout: u64,
) -> Result<User, Failure> {
    let email = match user {
        UserRef::Id(id) => {
            return client
                .user(id)
                .await
                .map_err(|e| Failure::management(e, false, timeout))
        }
        UserRef::Email(email) => email,
    };
    let mut users = users_with_email(client, email, timeout).await?.users;
    if users.len() == 1 {
        return Ok(users.remove(0));
    }
    let ids: Vec<String> = users.into_iter().map(|u| u.user_id).collect();
    Err(Failure::new(
        Exit::Usage,
        ErrorCode::AmbiguousEmail,
        format!(
            "Several users have the email {}: {}; give the user id instead.",
            email.as_str(),
            ids.join(", ")
        ),
    )
    .with_details(Details::UserIds { user_ids: ids }))
}
