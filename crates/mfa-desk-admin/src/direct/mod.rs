//! `--direct`: the break-glass path for the tenant's own administrators when the helpdesk
//! service is down. The Management API with the helpdesk application's secret, as before
//! the service existed; every result and every local audit line is marked "direct". Every
//! value is checked before anything is sent; every change goes through [`change::Change`],
//! which opens the audit log before the change so that nothing is done that could not be
//! recorded.

mod audit;
mod change;
mod find;
mod forget_browsers;
mod lookup;
mod methods;
mod recovery_code;
mod remove;
mod reset;
mod ticket;

use mfa_core::ErrorCode;

use crate::cli::{ChangeArgs, Cli, Command};
use crate::failure::{Exit, Failure};
use crate::report::Report;

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    if let Some(change) = change_args(&cli.command) {
        service_only_flags(change)?;
    }
    let report = match &cli.command {
        Command::Find { email } => find::run(cli, email).await,
        Command::Methods { user } => methods::run(cli, user).await,
        Command::Remove {
            user,
            method_id,
            change,
        } => remove::run(cli, user, method_id, change).await,
        Command::Reset { user, change } => reset::run(cli, user, change).await,
        Command::RecoveryCode { user, change, .. } => recovery_code::run(cli, user, change).await,
        Command::Ticket {
            user,
            send_mail,
            locale: None,
            change,
        } => ticket::run(cli, user, *send_mail, change).await,
        Command::ForgetBrowsers { user, change } => forget_browsers::run(cli, user, change).await,
        Command::Audit { user } => audit::run(user.as_deref()),
        other => Err(Failure::new(
            Exit::Usage,
            ErrorCode::Usage,
            format!(
                "{} goes through the helpdesk service only (not with --direct); nothing was sent.",
                command_name(other)
            ),
        )),
    }?;
    Ok(report.direct())
}

fn change_args(command: &Command) -> Option<&ChangeArgs> {
    match command {
        Command::Remove { change, .. }
        | Command::Reset { change, .. }
        | Command::RecoveryCode { change, .. }
        | Command::Ticket { change, .. }
        | Command::ForgetBrowsers { change, .. }
        | Command::EndSessions { change, .. }
        | Command::Unblock { change, .. }
        | Command::Secure { change, .. } => Some(change),
        _ => None,
    }
}

/// `--verification` and `--note` name the service's verifications: refused here.
fn service_only_flags(change: &ChangeArgs) -> Result<(), Failure> {
    let flag = match (&change.verification, &change.note) {
        (Some(_), _) => "--verification",
        (_, Some(_)) => "--note",
        _ => return Ok(()),
    };
    Err(Failure::new(
        Exit::Usage,
        ErrorCode::Usage,
        format!("{flag} goes with the helpdesk service, not --direct (where --verified-by is free text); nothing was sent."),
    ))
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Login => "login",
        Command::Logout => "logout",
        Command::Whoami => "whoami",
        Command::Events { .. } => "events",
        Command::Verify { .. } => "verify",
        Command::EndSessions { .. } => "end-sessions",
        Command::Unblock { .. } => "unblock",
        Command::Secure { .. } => "secure",
        Command::Approvals => "approvals",
        Command::Approve { .. } => "approve",
        Command::Refuse { .. } => "refuse",
        Command::Ticket { .. } => "ticket --locale",
        _ => "this command",
    }
}
