//! `methods USER`: a user's authentication methods.

use mfa_core::management::{AuthenticationMethod, User, UserRef};
use serde::Serialize;

use super::lookup::{connect, describe, resolve};
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::table::Table;

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
        format!("{who}\n\n{}", table(&methods))
    };
    let report = Methods {
        user: &user,
        methods: &methods,
    };
    Ok(Report::new(&report, text))
}

fn table(methods: &[AuthenticationMethod]) -> String {
    let mut table = Table::new(&["ID", "TYPE", "DETAIL", "CONFIRMED", "CREATED", "LAST USED"]);
    for method in methods {
        table.row(vec![
            Some(method.id.clone()),
            method.kind.as_ref().map(ToString::to_string),
            method.detail().map(str::to_owned),
            method
                .confirmed
                .map(|c| if c { "yes" } else { "no" }.to_owned()),
            method.created_at.clone(),
            method.last_auth_at.clone(),
        ]);
    }
    table.render()
}
