//! One file per subcommand, each with its serializable report. Every value is checked before
//! anything is sent; every change goes through [`change::Change`], which opens the audit log
//! before the change so that nothing is done that could not be recorded.

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

use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::report::Report;

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    match &cli.command {
        Command::Find { email } => find::run(cli, email).await,
        Command::Methods { user } => methods::run(cli, user).await,
        Command::Remove {
            user,
            method_id,
            change,
        } => remove::run(cli, user, method_id, change).await,
        Command::Reset { user, change } => reset::run(cli, user, change).await,
        Command::RecoveryCode { user, change } => recovery_code::run(cli, user, change).await,
        Command::Ticket {
            user,
            send_mail,
            change,
        } => ticket::run(cli, user, *send_mail, change).await,
        Command::ForgetBrowsers { user, change } => forget_browsers::run(cli, user, change).await,
        Command::Audit { user } => audit::run(user.as_deref()),
    }
}
