//! Finding the caller a command is about, through the service (which applies the core's case
//! handling, `find_callers`, as the app does).

use mfa_core::helpdesk_service::{Found, ServiceClient};
use mfa_core::input::Email;
use mfa_core::management::{User, UserRef};
use mfa_core::ErrorCode;

use crate::failure::{Details, Exit, Failure};

/// The users with `email`; none is "not found" (exit 3).
pub async fn users_with_email(
    client: &ServiceClient,
    email: &Email,
    timeout: u64,
) -> Result<Found, Failure> {
    let found = client
        .find_by_email(email)
        .await
        .map_err(|e| Failure::service(e, false, timeout))?;
    if found.users.is_empty() {
        return Err(Failure::new(
            Exit::NotFound,
            ErrorCode::UserNotFound,
            format!("No user has the email {}.", email.as_str()),
        ));
    }
    Ok(found)
}

/// The user a USER argument names; an email shared by several users is refused.
pub async fn resolve(
    client: &ServiceClient,
    user: &UserRef,
    timeout: u64,
) -> Result<User, Failure> {
    let mut users = match user {
        UserRef::Id(id) => {
            let found = client
                .find_by_id(id)
                .await
                .map_err(|e| Failure::service(e, false, timeout))?;
            if found.users.is_empty() {
                return Err(Failure::new(
                    Exit::NotFound,
                    ErrorCode::UserNotFound,
                    "No such user exists on this tenant.",
                ));
            }
            found.users
        }
        UserRef::Email(email) => users_with_email(client, email, timeout).await?.users,
    };
    if users.len() == 1 {
        return Ok(users.remove(0));
    }
    let ids: Vec<String> = users.into_iter().map(|u| u.user_id).collect();
    let email = match user {
        UserRef::Email(email) => email.as_str().to_owned(),
        UserRef::Id(id) => id.to_string(),
    };
    Err(Failure::new(
        Exit::Usage,
        ErrorCode::AmbiguousEmail,
        format!(
            "Several users have the email {email}: {}; give the user id instead.",
            ids.join(", ")
        ),
    )
    .with_details(Details::UserIds { user_ids: ids }))
}
