//! Every change through the service: checked input, the caller found and verified, one
//! action with its own idempotency key, and what to tell the caller next. An action IT put
//! under four eyes comes back waiting for approval (exit 8).

use mfa_core::helpdesk::CallerNextStep;
use mfa_core::helpdesk_service::{ActionAnswer, ActionRequest, ServiceAction, ServiceClient};
use mfa_core::input::RecoveryCode;
use mfa_core::management::{CorrelationId, MethodId, User, UserRef};
use mfa_core::ErrorCode;
use serde::Serialize;

use super::lookup::resolve;
use super::verify::{how, obtain, How};
use crate::agent::connect;
use crate::cli::{ChangeArgs, Cli};
use crate::failure::{Exit, Failure};
use crate::report::Report;
use crate::view::describe;

/// What one change takes beyond the user and its verification.
#[derive(Debug, Default, Clone)]
pub struct Extra {
    pub method_id: Option<String>,
    pub replace: bool,
    pub locale: Option<String>,
}

/// `--verified-by`/`--verification` with `--reason`/`--ticket`, checked.
pub fn how_of(args: &ChangeArgs) -> Result<How, Failure> {
    how(
        args.verified_by.as_deref(),
        args.note.as_deref(),
        &args.reason,
        args.ticket.as_deref(),
        args.verification.as_deref(),
    )
}

/// `en`, `ja`, `fr-CA`: a language tag, checked before it reaches Auth0.
pub fn locale(raw: &str) -> Result<String, Failure> {
    let tag = raw.trim();
    let (language, region) = tag.split_once('-').unwrap_or((tag, ""));
    let ok = (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_lowercase())
        && (region.is_empty()
            || (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase())));
    if ok {
        Ok(tag.to_owned())
    } else {
        Err(Failure::new(
            Exit::Usage,
            ErrorCode::InvalidRequest,
            format!(
                "--locale: {raw:?} is not a language such as en, ja or fr-CA; nothing was sent."
            ),
        ))
    }
}

pub async fn run(
    cli: &Cli,
    raw_user: &str,
    args: &ChangeArgs,
    action: ServiceAction,
    extra: Extra,
) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let how = how_of(args)?;
    let method_id = extra
        .method_id
        .as_deref()
        .map(MethodId::parse)
        .transpose()
        .map_err(|e| Failure::input("METHOD_ID", e))?;
    let locale = extra.locale.as_deref().map(locale).transpose()?;
    let (client, _) = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let verification = obtain(&client, &user, &how, cli.timeout).await?;
    let mut request = ActionRequest::new(action, verification.id);
    request.method_id = method_id.map(|m| m.as_str().to_owned());
    request.replace = extra.replace;
    request.locale = locale;
    if action == ServiceAction::Reset {
        // The caller's email or id as the agent typed it: the reset's confirmation.
        request.confirmation = Some(raw_user.trim().to_owned());
    }
    let key = CorrelationId::generate();
    let answer = send(&client, &user, &request, key.as_str(), cli.timeout).await?;
    Ok(report(&user, &request, &answer))
}

pub async fn send(
    client: &ServiceClient,
    user: &User,
    request: &ActionRequest,
    key: &str,
    timeout: u64,
) -> Result<ActionAnswer, Failure> {
    client
        .act(&user.id(), request, key)
        .await
        .map_err(|e| Failure::service(e, true, timeout))
}

#[derive(Serialize)]
struct ChangeReport<'a> {
    user_id: &'a str,
    user_email: Option<&'a str>,
    verification_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    method_id: Option<&'a str>,
    #[serde(flatten)]
    answer: &'a ActionAnswer,
}

/// The report of an action's answer (exit 8 while it waits for approval).
pub fn report(user: &User, request: &ActionRequest, answer: &ActionAnswer) -> Report {
    let body = ChangeReport {
        user_id: &user.user_id,
        user_email: user.email.as_deref(),
        verification_id: &request.verification_id,
        method_id: request.method_id.as_deref(),
        answer,
    };
    let who = describe(user);
    match answer {
        ActionAnswer::PendingApproval(pending) => {
            let text = format!(
                "The {} of {who} waits for another agent's approval: request {}.\n",
                request.action.as_str().replace('_', " "),
                pending.approval_id
            );
            let mut report = Report::new(&body, text);
            report.pending = Some(format!(
                "Waiting for another agent to approve {} (`mfa-desk-admin approvals`); nothing was changed yet.",
                pending.approval_id
            ));
            report
        }
        ActionAnswer::Done(done) => {
            let mut text = done_text(request, &who);
            if let Some(code) = &done.recovery_code {
                text.push_str(&format!(
                    "\n\n    {}\n\nIt is shown only this once: give it to the user now. Their previous code no longer works.",
                    groups(code)
                ));
            }
            if done.replayed {
                text.push_str(
                    "\n(This was already done by an earlier run: nothing was done again.)",
                );
            }
            if let Some(step) = done.next_step {
                text.push_str(&format!("\nNext, tell them: {}", next_words(step)));
            }
            text.push_str(&format!("\nCorrelation id: {}\n", done.correlation_id));
            Report::new(&body, text)
        }
    }
}

fn done_text(request: &ActionRequest, who: &str) -> String {
    match request.action {
        ServiceAction::RemoveMethod => format!("Removed the method {} from {who}.", request.method_id.as_deref().unwrap_or("")),
        ServiceAction::Reset => format!("Removed every authentication method of {who}: they will set up MFA afresh at their next sign-in."),
        ServiceAction::IssueRecoveryCode => format!("New recovery code for {who}:"),
        ServiceAction::SendEnrollmentTicket => format!("Auth0 emailed {who} a link to set up a new method."),
        ServiceAction::ForgetBrowsers => format!("Every browser {who} told to skip MFA will ask for it again."),
        ServiceAction::EndSessions => format!("Ended every session and refresh token of {who}."),
        ServiceAction::Unblock => format!("Lifted every block on {who}."),
    }
}

/// A recovery code in groups of four, as it is read out.
pub fn groups(code: &RecoveryCode) -> String {
    code.groups().join(" ")
}

pub fn next_words(step: CallerNextStep) -> &'static str {
    match step {
        CallerNextStep::SignInWithIssuedRecoveryCode => "sign in with MFA Desk, choose \"Use a recovery code\", enter the code just read out, then set up a new method.",
        CallerNextStep::SetUpAtNextSignIn => "the next sign-in asks them to set up a method, as for a new account.",
        CallerNextStep::FollowEnrollmentEmail => "open the email just sent and follow its link to set up a method.",
        CallerNextStep::SignInWithRemainingMethod => "sign in with a method they still have, then add a new one.",
        CallerNextStep::SignInWithRecoveryCodeThenSetUp => "only their recovery code is left: sign in with it and set up a new method.",
        CallerNextStep::ExpectMfaOnEveryBrowser => "every browser will ask for MFA at the next sign-in.",
    }
}
