//! The audit log as a CSV file, for auditors and spreadsheets. Columns are the audit log's
//! own field names, so scripts read the same names in the JSON lines, `mfa-desk-admin audit
//! --json` and this file. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
//! `@`, tab, carriage return) get a leading apostrophe: a reason typed by an agent must not
//! become a formula on an auditor's machine (OWASP, "CSV injection").

use crate::audit::{AuditEntry, Outcome};

pub const CSV_COLUMNS: [&str; 12] = [
    "time",
    "operator",
    "action",
    "user_id",
    "user_email",
    "method_id",
    "outcome",
    "error",
    "reason",
    "ticket",
    "verified_by",
    "correlation_id",
];

/// The entries as CSV (RFC 4180: comma-separated, CRLF line ends, quotes doubled), header first.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for entry in entries {
        let (outcome, error) = match &entry.outcome {
            Outcome::Ok => ("ok", String::new()),
            Outcome::Error { error } => ("error", error.as_str().to_owned()),
        };
        push_row(
            &mut out,
            [
                entry.time.clone(),
                entry.operator.to_string(),
                entry.action.as_str().to_owned(),
                entry.user_id.to_string(),
                entry.user_email.clone().unwrap_or_default(),
                entry
                    .method_id
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                outcome.to_owned(),
                error,
                entry.reason.to_string(),
                entry
                    .ticket
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                entry
                    .verified_by
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                entry.correlation_id.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let row: Vec<String> = cells.map(|cell| cell_text(&cell)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

fn cell_text(raw: &str) -> String {
    let neutralised = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if neutralised.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutralised.replace('"', "\"\""))
    } else {
        neutralised
    }
}

/// The file name offered in the save dialog.
pub fn csv_file_name(date: &str) -> String {
    format!("mfa-desk-helpdesk-audit-{date}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditAction, AuditContext};
    use crate::management::{CorrelationId, Operator, Reason, TicketRef, UserId};
    use crate::ErrorCode;

    #[test]
    fn entries_become_rows_with_quoting_and_no_formulas() {
        let context = AuditContext {
            operator: Operator::parse("agent@acme.example").unwrap(),
            reason: Reason::parse("=HYPERLINK(\"x\"), lost phone").unwrap(),
            ticket: Some(TicketRef::parse("INC-1").unwrap()),
            verified_by: None,
        };
        let ok = AuditEntry::now(
            &context,
            AuditAction::ResetMethods,
            &UserId::parse("auth0|ana").unwrap(),
            Some("ana@example.com"),
            None,
            &CorrelationId::parse("c-1").unwrap(),
            Outcome::Ok,
        );
        let failed = AuditEntry {
            outcome: Outcome::Error {
                error: ErrorCode::MissingScope,
            },
            reason: Reason::parse("-1+1").unwrap(),
            ..ok.clone()
        };
        let csv = to_csv(&[ok, failed]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert!(lines[1].contains(",reset_methods,auth0|ana,ana@example.com,,ok,,"));
        assert!(
            lines[1].contains(",\"'=HYPERLINK(\"\"x\"\"), lost phone\","),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(",error,missing_scope,'-1+1,INC-1,,c-1"));
        assert_eq!(lines[3], "");
    }
}
