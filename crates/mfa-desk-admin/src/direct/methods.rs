//! `methods USER`: a user's authentication methods.

use mfa_core::management::{AuthenticationMethod, User, UserRef};
use serde::Serialize;

use super::lookup::{connect, resolve};
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::view::{describe, methods_table};

#[derive(Serialize)]
struct Methods<'a> {
    user: &'a User,
    methods: &'a [AuthenticationMethod],
}

pub async fn run(cli: &Cli, raw_user: &str) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let client = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let methods = client
        .authentication_methods(&user.id())
        .await
        .map_err(|e| Failure::management(e, false, cli.timeout))?;
    let who = describe(&user);
    let text = if methods.is_empty() {
        format!("{who} has no authentication method: they will set up MFA at their next sign-in.\n")
    } else {
        format!("{who}\n\n{}", methods_table(&methods))
    };
    let report = Methods {
        user: &user,
        methods: &methods,
    };
    Ok(Report::new(&report, text))
}
