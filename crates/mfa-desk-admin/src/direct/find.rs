//! `find EMAIL`: the users with this email address.

use mfa_core::management::input::parse_email;
use mfa_core::management::User;
use serde::Serialize;

use super::lookup::{connect, users_with_email};
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::view::users_table;

#[derive(Serialize)]
struct Found<'a> {
    users: &'a [User],
}

pub async fn run(cli: &Cli, raw_email: &str) -> Result<Report, Failure> {
    let email = parse_email(raw_email).map_err(|e| Failure::input("EMAIL", e))?;
    let client = connect(cli).await?;
    let found = users_with_email(&client, &email, cli.timeout).await?;
    let mut text = users_table(&found.users);
    if found.matched_lower_case {
        text.push_str(&format!(
            "(No user has {} as typed; these have it in lower case.)\n",
            email.as_str()
        ));
    }
    Ok(Report::new(
        &Found {
            users: &found.users,
        },
        text,
    ))
}
