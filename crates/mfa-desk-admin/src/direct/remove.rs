//! `remove USER METHOD_ID`: one authentication method.

use mfa_core::audit::AuditAction;
use mfa_core::management::MethodId;

use super::change::{Change, Done};
use crate::cli::{ChangeArgs, Cli};
use crate::failure::Failure;
use crate::report::Report;

pub async fn run(
    cli: &Cli,
    user: &str,
    method_id: &str,
    args: &ChangeArgs,
) -> Result<Report, Failure> {
    let method = MethodId::parse(method_id).map_err(|e| Failure::input("METHOD_ID", e))?;
    let change = Change::prepare(cli, user, args).await?;
    let result = change
        .client
        .delete_authentication_method(&change.user_id(), &method, &change.correlation)
        .await;
    let text = format!("Removed the method {method} from {}.", change.who());
    change.finish(AuditAction::RemoveMethod, Some(&method), result, |()| {
        (Done {}, text)
    })
}
