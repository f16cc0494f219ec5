//! `audit [--user USER]`: the audit log of changes made with this tool, oldest first.

use std::path::Path;

use mfa_core::audit::{AuditEntry, AuditLog, Outcome};
use mfa_core::management::UserRef;
use serde::Serialize;

use crate::failure::Failure;
use crate::report::Report;
use crate::table::Table;

#[derive(Serialize)]
struct AuditReport<'a> {
    path: &'a Path,
    entries: &'a [AuditEntry],
    unreadable_lines: &'a [usize],
}

pub fn run(raw_user: Option<&str>) -> Result<Report, Failure> {
    if let Some(user) = raw_user {
        UserRef::parse(user).map_err(|e| Failure::input("--user", e))?;
    }
    let log = AuditLog::in_data_dir()?;
    let records = match raw_user {
        Some(user) => log.read_for_user(user)?,
        None => log.read()?,
    };
    let mut text = if records.entries.is_empty() {
        format!("No entries in the audit log ({}).\n", log.path().display())
    } else {
        table(&records.entries)
    };
    if !records.unreadable_lines.is_empty() {
        let lines: Vec<String> = records
            .unreadable_lines
            .iter()
            .map(ToString::to_string)
            .collect();
        text.push_str(&format!(
            "Lines {} of the audit log could not be read.\n",
            lines.join(", ")
        ));
    }
    let report = AuditReport {
        path: log.path(),
        entries: &records.entries,
        unreadable_lines: &records.unreadable_lines,
    };
    Ok(Report::new(&report, text))
}

fn table(entries: &[AuditEntry]) -> String {
    let mut table = Table::new(&[
        "TIME",
        "OPERATOR",
        "ACTION",
        "USER",
        "METHOD",
        "OUTCOME",
        "REASON",
        "TICKET",
        "VERIFIED BY",
        "CORRELATION ID",
    ]);
    for entry in entries {
        let outcome = match &entry.outcome {
            Outcome::Ok => "ok".to_owned(),
            Outcome::Error { error } => format!("error: {error}"),
        };
        table.row(vec![
            Some(entry.time.clone()),
            Some(entry.operator.to_string()),
            Some(entry.action.as_str().to_owned()),
            Some(match &entry.user_email {
                Some(email) => format!("{email} ({})", entry.user_id),
                None => entry.user_id.to_string(),
            }),
            entry.method_id.as_ref().map(ToString::to_string),
            Some(outcome),
            Some(entry.reason.to_string()),
            entry.ticket.as_ref().map(ToString::to_string),
            entry.verified_by.as_ref().map(ToString::to_string),
            Some(entry.correlation_id.to_string()),
        ]);
    }
    table.render()
}
