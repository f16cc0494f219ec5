//! `find`, `methods` and `events` through the service.

use mfa_core::helpdesk::Standing;
use mfa_core::helpdesk_service::{CallerEvent, CallerProfile};
use mfa_core::management::input::parse_email;
use mfa_core::management::UserRef;
use serde::Serialize;

use super::lookup::{resolve, users_with_email};
use crate::agent::connect;
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::table::Table;
use crate::view::{describe, methods_table, users_table};

pub async fn find(cli: &Cli, raw_email: &str) -> Result<Report, Failure> {
    let email = parse_email(raw_email).map_err(|e| Failure::input("EMAIL", e))?;
    let (client, _) = connect(cli).await?;
    let found = users_with_email(&client, &email, cli.timeout).await?;
    let mut text = users_table(&found.users);
    if found.matched_lower_case {
        text.push_str(&format!(
            "(No user has {} as typed; these have it in lower case.)\n",
            email.as_str()
        ));
    }
    Ok(Report::new(&found, text))
}

pub async fn methods(cli: &Cli, raw_user: &str) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let (client, _) = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let profile: CallerProfile = client
        .caller(&user.id())
        .await
        .map_err(|e| Failure::service(e, false, cli.timeout))?;
    let who = describe(&profile.user);
    let standing = match profile.standing {
        Standing::HoldsFactors => "They hold at least one factor: they can sign in and help themselves.",
        Standing::OnlyRecoveryCode => "Only a recovery code remains: without it they cannot sign in (offer a new recovery code).",
        Standing::NoMethods => "No method at all: they will set up MFA at their next sign-in.",
    };
    let blocked = if profile.blocked {
        "\nThe account is blocked (see `unblock`)."
    } else {
        ""
    };
    let text = if profile.methods.is_empty() {
        format!("{who} has no authentication method: they will set up MFA at their next sign-in.{blocked}\n")
    } else {
        format!(
            "{who}\n\n{}\n{standing}{blocked}\n",
            methods_table(&profile.methods)
        )
    };
    Ok(Report::new(&profile, text))
}

#[derive(Serialize)]
struct Events<'a> {
    user_id: &'a str,
    events: &'a [CallerEvent],
}

pub async fn events(cli: &Cli, raw_user: &str) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let (client, _) = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let events = client
        .events(&user.id())
        .await
        .map_err(|e| Failure::service(e, false, cli.timeout))?;
    let text = if events.is_empty() {
        format!("No recent events for {}.\n", describe(&user))
    } else {
        let mut table = Table::new(&["DATE", "WHAT HAPPENED", "EVENT", "APPLICATION", "DETAIL"]);
        for event in &events {
            table.row(vec![
                event.date.clone(),
                Some(event.words.clone()),
                Some(event.kind.clone()),
                event.client_name.clone(),
                event.description.clone(),
            ]);
        }
        format!("{}\n\n{}", describe(&user), table.render())
    };
    let report = Events {
        user_id: &user.user_id,
        events: &events,
    };
    Ok(Report::new(&report, text))
}
