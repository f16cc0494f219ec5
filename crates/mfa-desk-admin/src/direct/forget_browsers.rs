//! `forget-browsers USER`: every browser the user told to skip MFA asks again.

use mfa_core::audit::AuditAction;

use super::change::{Change, Done};
use crate::cli::{ChangeArgs, Cli};
use crate::failure::Failure;
use crate::report::Report;

pub async fn run(cli: &Cli, user: &str, args: &ChangeArgs) -> Result<Report, Failure> {
    let change = Change::prepare(cli, user, args).await?;
    let result = change
        .client
        .invalidate_remembered_browsers(&change.user_id(), &change.correlation)
        .await;
    let text = format!(
        "Every browser {} told to skip MFA will ask for it again.",
        change.who()
    );
    change.finish(AuditAction::ForgetBrowsers, None, result, |()| {
        (Done {}, text)
    })
}
