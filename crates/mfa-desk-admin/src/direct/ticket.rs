//! `ticket USER`: an enrollment ticket, a link with which the user sets up a new method.

use mfa_core::audit::AuditAction;
use mfa_core::management::EnrollmentTicketRequest;
use mfa_core::secret::ExposeSecret;
use serde::Serialize;

use super::change::Change;
use crate::cli::{ChangeArgs, Cli};
use crate::failure::Failure;
use crate::report::Report;

#[derive(Serialize)]
struct Ticket {
    ticket_id: String,
    ticket_url: String,
    send_mail: bool,
}

pub async fn run(
    cli: &Cli,
    user: &str,
    send_mail: bool,
    args: &ChangeArgs,
) -> Result<Report, Failure> {
    let change = Change::prepare(cli, user, args).await?;
    let mut request = EnrollmentTicketRequest::new(change.user_id());
    request.send_mail = send_mail;
    let result = change
        .client
        .create_enrollment_ticket(&request, &change.correlation)
        .await;
    let who = change.who();
    change.finish(AuditAction::CreateEnrollmentTicket, None, result, |ticket| {
        let mailed = if send_mail {
            "\nAuth0 has also emailed the link to the user."
        } else {
            ""
        };
        let text = format!(
            "Enrollment ticket for {who}: whoever opens this link can set up a sign-in method for the user, so give it to them only.\n\n    {}\n{mailed}",
            ticket.ticket_url.expose_secret()
        );
        let report = Ticket {
            ticket_id: ticket.ticket_id.expose_secret().to_owned(),
            ticket_url: ticket.ticket_url.expose_secret().to_owned(),
            send_mail,
        };
        (report, text)
    })
}
