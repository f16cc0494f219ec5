//! `reset USER`: every authentication method; the user enrolls afresh at the next sign-in.

use mfa_core::audit::AuditAction;

use super::change::{Change, Done};
use crate::cli::{ChangeArgs, Cli};
use crate::failure::Failure;
use crate::report::Report;

pub async fn run(cli: &Cli, user: &str, args: &ChangeArgs) -> Result<Report, Failure> {
    let change = Change::prepare(cli, user, args).await?;
    let result = change
        .client
        .delete_all_authentication_methods(&change.user_id(), &change.correlation)
        .await;
    let text = format!(
        "Removed every authentication method of {}: they will set up MFA afresh at their next sign-in.",
        change.who()
    );
    change.finish(AuditAction::ResetMethods, None, result, |()| {
        (Done {}, text)
    })
}
