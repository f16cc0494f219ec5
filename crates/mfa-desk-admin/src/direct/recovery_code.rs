//! `recovery-code USER`: a new recovery code, printed once.

use mfa_core::audit::AuditAction;
use serde::Serialize;

use super::change::Change;
use crate::cli::{ChangeArgs, Cli};
use crate::failure::Failure;
use crate::report::Report;

#[derive(Serialize)]
struct Issued {
    recovery_code: String,
}

pub async fn run(cli: &Cli, user: &str, args: &ChangeArgs) -> Result<Report, Failure> {
    let change = Change::prepare(cli, user, args).await?;
    let result = change
        .client
        .regenerate_recovery_code(&change.user_id(), &change.correlation)
        .await;
    let who = change.who();
    change.finish(AuditAction::RegenerateRecoveryCode, None, result, |code| {
        let text = format!(
            "New recovery code for {who}:\n\n    {}\n\nIt is shown only this once: give it to the user now. Their previous code no longer works.",
            code.groups().join(" ")
        );
        let issued = Issued {
            recovery_code: code.expose().to_owned(),
        };
        (issued, text)
    })
}
