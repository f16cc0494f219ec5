//! `audit [--user USER]`: the service's audit trail, newest first.

use mfa_core::helpdesk_service::{AuditFilter, AuditRow};
use mfa_core::management::UserRef;
use serde::Serialize;

use super::lookup::resolve;
use crate::account::when;
use crate::agent::connect;
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::table::Table;

#[derive(Serialize)]
struct Trail<'a> {
    entries: &'a [AuditRow],
}

pub async fn run(cli: &Cli, raw_user: Option<&str>) -> Result<Report, Failure> {
    let user_ref = raw_user
        .map(UserRef::parse)
        .transpose()
        .map_err(|e| Failure::input("--user", e))?;
    let (client, _) = connect(cli).await?;
    let mut filter = AuditFilter::default();
    if let Some(user) = &user_ref {
        filter.caller_id = Some(resolve(&client, user, cli.timeout).await?.user_id);
    }
    let rows = client
        .audit(&filter)
        .await
        .map_err(|e| Failure::service(e, false, cli.timeout))?;
    let text = if rows.is_empty() {
        "No entries in the audit trail.\n".to_owned()
    } else {
        let mut table = Table::new(&[
            "TIME",
            "KIND",
            "AGENT",
            "ACTION",
            "USER",
            "METHOD",
            "OUTCOME",
            "REASON",
            "VERIFIED BY",
            "APPROVAL",
        ]);
        for r in &rows {
            table.row(vec![
                Some(when((r.at_ms / 1000) as u64)),
                Some(r.kind.clone()),
                Some(r.agent_email.clone().unwrap_or_else(|| r.agent_sub.clone())),
                Some(r.action.clone()),
                r.caller_email.clone().or_else(|| r.caller_id.clone()),
                r.method_id.clone(),
                r.outcome.clone().map(|o| match &r.error_code {
                    Some(code) => format!("{o}: {code}"),
                    None => o,
                }),
                r.reason.clone(),
                r.verified_by.clone(),
                r.approval.clone(),
            ]);
        }
        table.render()
    };
    Ok(Report::new(&Trail { entries: &rows }, text))
}
