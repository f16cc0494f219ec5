//! Four eyes: `approvals`, `approve ID`, `refuse ID --reason`. The service refuses a
//! decision on one's own request.

use mfa_core::helpdesk_service::{ActionAnswer, Approval};
use mfa_core::management::{CorrelationId, Reason, UserId};
use serde::Serialize;

use super::act::{groups, next_words};
use super::verify::service_id;
use crate::account::when;
use crate::agent::connect;
use crate::cli::Cli;
use crate::failure::Failure;
use crate::report::Report;
use crate::table::Table;

#[derive(Serialize)]
struct Waiting<'a> {
    approvals: &'a [Approval],
}

pub async fn list(cli: &Cli) -> Result<Report, Failure> {
    let (client, _) = connect(cli).await?;
    let approvals = client
        .approvals()
        .await
        .map_err(|e| Failure::service(e, false, cli.timeout))?;
    let text = if approvals.is_empty() {
        "No request is waiting for approval.\n".to_owned()
    } else {
        let mut table = Table::new(&["ID", "ACTION", "USER", "DETAIL", "ASKED BY", "EXPIRES"]);
        for a in &approvals {
            table.row(vec![
                Some(a.id.clone()),
                Some(a.action.as_str().to_owned()),
                Some(a.caller_id.clone()),
                Some(a.params.clone()).filter(|p| p != "{}" && p != "{\"replace\":false}"),
                Some(
                    a.requested_email
                        .clone()
                        .unwrap_or_else(|| a.requested_sub.clone()),
                ),
                Some(when((a.expires_ms / 1000) as u64)),
            ]);
        }
        table.render()
    };
    Ok(Report::new(
        &Waiting {
            approvals: &approvals,
        },
        text,
    ))
}

#[derive(Serialize)]
struct Approved<'a> {
    approval_id: &'a str,
    #[serde(flatten)]
    answer: &'a ActionAnswer,
}

pub async fn approve(cli: &Cli, raw_id: &str) -> Result<Report, Failure> {
    let id = service_id(raw_id, "apr_", "APPROVAL_ID")?;
    let (client, _) = connect(cli).await?;
    let key = CorrelationId::generate();
    let answer = client
        .approve(&id, key.as_str())
        .await
        .map_err(|e| Failure::service(e, true, cli.timeout))?;
    let mut text = format!("Approved {id}: it was carried out.");
    if let ActionAnswer::Done(done) = &answer {
        if let Some(code) = &done.recovery_code {
            text.push_str(&format!(
                "\n\nThe new recovery code, shown only this once:\n\n    {}\n",
                groups(code)
            ));
        }
        if let Some(step) = done.next_step {
            text.push_str(&format!("\nNext, tell the caller: {}", next_words(step)));
        }
        text.push_str(&format!("\nCorrelation id: {}\n", done.correlation_id));
    }
    Ok(Report::new(
        &Approved {
            approval_id: &id,
            answer: &answer,
        },
        text,
    ))
}

pub async fn refuse(cli: &Cli, raw_id: &str, raw_reason: &str) -> Result<Report, Failure> {
    let id = service_id(raw_id, "apr_", "APPROVAL_ID")?;
    let reason = Reason::parse(raw_reason).map_err(|e| Failure::input("--reason", e))?;
    let (client, _) = connect(cli).await?;
    let key = CorrelationId::generate();
    let approval = client
        .refuse(&id, reason.as_str(), key.as_str())
        .await
        .map_err(|e| Failure::service(e, true, cli.timeout))?;
    let who = UserId::parse(&approval.caller_id)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let text = format!(
        "Refused {id} ({} of {who}): nothing will be done.\n",
        approval.action.as_str()
    );
    Ok(Report::new(&approval, text))
}
