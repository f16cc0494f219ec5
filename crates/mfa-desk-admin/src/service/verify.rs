//! Verifying the caller through the service: `verify` on its own, or inline before a change
//! (`--verified-by HOW`), or a verification made earlier (`--verification ID`). Every value
//! is checked with the core's rules (the ones the service applies) before anything is sent.

use std::time::Duration;

use mfa_core::helpdesk::{CallerVerification, VerificationMethod};
use mfa_core::helpdesk_service::{Checklist, ServiceClient, Verification, VerificationStatus};
use mfa_core::management::{CorrelationId, Reason, TicketRef, User, UserId, UserRef};
use mfa_core::ErrorCode;
use serde::Serialize;

use super::lookup::resolve;
use crate::agent::connect;
use crate::cli::{Cli, VerifyArgs};
use crate::failure::{Exit, Failure};
use crate::report::Report;
use crate::view::describe;

/// How the service polls a push: its CIBA interval (§S3).
const PUSH_POLL: Duration = Duration::from_secs(5);

/// How a change's caller is, or will be, verified; checked, nothing sent yet.
#[derive(Debug, Clone)]
pub enum How {
    Checklist(Checklist),
    Push { reason: String, ticket: String },
    Existing(String),
}

/// Checks `--verified-by`, `--note`, `--reason`, `--ticket` (or `--verification`).
pub fn how(
    verified_by: Option<&str>,
    note: Option<&str>,
    reason: &str,
    ticket: Option<&str>,
    existing: Option<&str>,
) -> Result<How, Failure> {
    let reason_ok = Reason::parse(reason).map_err(|e| Failure::input("--reason", e))?;
    let ticket_ok = ticket
        .map(TicketRef::parse)
        .transpose()
        .map_err(|e| Failure::input("--ticket", e))?;
    let (reason, ticket) = (
        reason_ok.as_str().to_owned(),
        ticket_ok.map(|t| t.as_str().to_owned()).unwrap_or_default(),
    );
    if let Some(id) = existing {
        return verification_id(id).map(How::Existing);
    }
    let Some(word) = verified_by else {
        return Err(Failure::new(
            Exit::Usage,
            ErrorCode::CallerNotVerified,
            "The caller must be verified first: pass --verified-by HOW, or --verification ID from `verify`; nothing was sent.",
        ));
    };
    if word.trim() == "push" {
        return Ok(How::Push { reason, ticket });
    }
    let method = VerificationMethod::all()
        .find(|m| m.as_str() == word.trim())
        .ok_or_else(|| {
            let words: Vec<&str> = VerificationMethod::all().map(|m| m.as_str()).collect();
            Failure::new(
                Exit::Usage,
                ErrorCode::InvalidRequest,
                format!(
                    "--verified-by: {word:?} is not one of {} or push; nothing was sent.",
                    words.join(", ")
                ),
            )
        })?;
    let detail = note.unwrap_or_default().to_owned();
    // The service's own rules (a note for "other", its length and characters), here first.
    let placeholder =
        UserId::parse("auth0|checked-locally").map_err(|e| Failure::input("USER", e))?;
    CallerVerification::record(&placeholder, method, &detail, &reason, &ticket).map_err(|e| {
        let code = e.code();
        Failure::new(
            Exit::Usage,
            code,
            format!(
                "--note: {}; nothing was sent.",
                crate::failure::capitalised(&e.to_string())
            ),
        )
    })?;
    Ok(How::Checklist(Checklist {
        method,
        detail,
        reason,
        ticket,
    }))
}

/// `ver_` and letters or digits, as the service makes them.
pub fn verification_id(raw: &str) -> Result<String, Failure> {
    service_id(raw, "ver_", "--verification")
}

/// An id the service made: the prefix, then letters, digits, `-` or `_`, at most 100.
pub fn service_id(raw: &str, prefix: &str, what: &str) -> Result<String, Failure> {
    match mfa_core::helpdesk_service::parse_service_id(raw, prefix) {
        Some(id) => Ok(id.to_owned()),
        None => Err(Failure::new(
            Exit::Usage,
            ErrorCode::InvalidRequest,
            format!("{what}: {raw:?} is not an id the helpdesk service gave ({prefix}…); nothing was sent."),
        )),
    }
}

/// Carries the verification out (for a push: waits for the caller's answer); its id.
pub async fn obtain(
    client: &ServiceClient,
    user: &User,
    how: &How,
    timeout: u64,
) -> Result<Verification, Failure> {
    let failed = |e| Failure::service(e, false, timeout);
    let started = match how {
        How::Existing(id) => client.verification(id).await.map_err(|e| match e.code() {
            ErrorCode::NotFound => Failure::new(
                Exit::NotVerified,
                ErrorCode::CallerNotVerified,
                "No verification of yours has this id: verify the caller (`verify`).",
            ),
            _ => failed(e),
        })?,
        // A key of its own: a retried push sends no second push.
        How::Checklist(checklist) => client
            .verify(&user.id(), checklist, CorrelationId::generate().as_str())
            .await
            .map_err(failed)?,
        How::Push { reason, ticket } => {
            let key = CorrelationId::generate();
            let mut push = client
                .verify_by_push(&user.id(), reason, ticket, key.as_str())
                .await
                .map_err(failed)?;
            eprintln!(
                "A push went to {}'s phone. Read this out and ask them to approve it only if their phone shows the same words:\n\n    {}\n\nWaiting for their answer…",
                describe(user),
                push.binding_message.as_deref().unwrap_or("")
            );
            while push.status == VerificationStatus::Pending {
                tokio::time::sleep(PUSH_POLL).await;
                push = client.verification(&push.id).await.map_err(failed)?;
            }
            push
        }
    };
    let refused = |code, message: &str| Err(Failure::new(Exit::NotVerified, code, message));
    match started.status {
        _ if started.caller_id != user.user_id => refused(
            ErrorCode::VerificationOtherCaller,
            "That verification is of another caller: verify this caller.",
        ),
        VerificationStatus::Verified => Ok(started),
        VerificationStatus::Denied => refused(
            ErrorCode::PushRejected,
            "The caller rejected the push on their phone: they are not verified.",
        ),
        VerificationStatus::Expired => refused(
            ErrorCode::VerificationExpired,
            "The verification has expired (or the push went unanswered): verify the caller again.",
        ),
        VerificationStatus::Pending => refused(
            ErrorCode::CallerNotVerified,
            "The push has not been answered yet.",
        ),
    }
}

#[derive(Serialize)]
struct Verified<'a> {
    user_id: &'a str,
    #[serde(flatten)]
    verification: &'a Verification,
}

/// `verify USER`: the verification's id, for `--verification` on the changes that follow.
pub async fn verify(cli: &Cli, raw_user: &str, args: &VerifyArgs) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let verified_by = if args.push {
        Some("push")
    } else {
        args.verified_by.as_deref()
    };
    let how = how(
        verified_by,
        args.note.as_deref(),
        &args.reason,
        args.ticket.as_deref(),
        None,
    )?;
    let (client, _) = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let verification = obtain(&client, &user, &how, cli.timeout).await?;
    let text = format!(
        "{} is verified ({}). Use --verification {} on the changes that follow.\n",
        describe(&user),
        verification.method,
        verification.id
    );
    let body = Verified {
        user_id: &user.user_id,
        verification: &verification,
    };
    Ok(Report::new(&body, text))
}
