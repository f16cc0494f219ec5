//! `secure USER`: the stolen-phone playbook. The thief must lose every way in that the phone
//! gave, and the caller must get one back: end every session and refresh token, remove the
//! methods on the lost device, forget the browsers that skip MFA, then a new recovery code
//! (read out) or an enrollment email. `--dry-run` prints the plan; a re-run after an
//! interruption carries on where it stopped ([`Playbook`]).

use mfa_core::helpdesk::CallerNextStep;
use mfa_core::helpdesk_service::{ActionAnswer, FinalStep, Playbook, Step, StepStatus};
use mfa_core::input::RecoveryCode;
use mfa_core::management::{CorrelationId, MethodId, Reason, UserRef};
use serde::Serialize;

use super::act::{groups, how_of, next_words};
use super::lookup::resolve;
use super::playbook::{words, Kept};
use super::verify::obtain;
use crate::agent::connect;
use crate::cli::{ChangeArgs, Cli, SecureArgs, Then};
use crate::failure::Failure;
use crate::report::Report;
use crate::view::describe;

impl From<Then> for FinalStep {
    fn from(then: Then) -> Self {
        match then {
            Then::RecoveryCode => Self::RecoveryCode,
            Then::EnrollmentEmail => Self::EnrollmentEmail,
        }
    }
}

#[derive(Serialize)]
struct SecureReport<'a> {
    user_id: &'a str,
    dry_run: bool,
    resumed: bool,
    steps: &'a [Step],
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_step: Option<CallerNextStep>,
}

pub async fn run(
    cli: &Cli,
    raw_user: &str,
    secure: &SecureArgs,
    args: &ChangeArgs,
) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let lost = secure
        .lost_methods
        .iter()
        .map(|m| MethodId::parse(m))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::input("--lost-method", e))?;
    let how = if secure.dry_run {
        Reason::parse(&args.reason).map_err(|e| Failure::input("--reason", e))?;
        None
    } else {
        Some(how_of(args)?)
    };
    let (client, _) = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let profile = client
        .caller(&user.id())
        .await
        .map_err(|e| Failure::service(e, false, cli.timeout))?;
    let resumed = Playbook::resume(&user.user_id)?;
    let was_resumed = resumed.is_some();
    let lost: Vec<String> = lost.iter().map(|m| m.as_str().to_owned()).collect();
    let mut playbook =
        resumed.unwrap_or_else(|| Playbook::plan(&profile, &lost, secure.then.into()));
    let who = describe(&user);
    let Some(how) = how else {
        let mut text = format!("The plan for {who} (nothing is changed with --dry-run):\n");
        for (i, step) in playbook.steps.iter().enumerate() {
            let state = if step.status == StepStatus::Done {
                " (already done)"
            } else {
                ""
            };
            text.push_str(&format!("  {}. {}{state}\n", i + 1, words(step)));
        }
        let body = SecureReport {
            user_id: &user.user_id,
            dry_run: true,
            resumed: was_resumed,
            steps: &playbook.steps,
            recovery_code: None,
            next_step: None,
        };
        return Ok(Report::new(&body, text));
    };
    let verification = obtain(&client, &user, &how, cli.timeout).await?;
    let (mut code, mut next, mut pending) = (None, None, None);
    let total = playbook.steps.len();
    let mut text = if was_resumed {
        format!("Carrying on with the playbook started earlier for {who} (its plan is kept):\n")
    } else {
        format!("Securing {who}:\n")
    };
    for i in 0..total {
        let step = &mut playbook.steps[i];
        if step.status.settled() {
            text.push_str(&format!("  {}. {}: done before\n", i + 1, words(step)));
            continue;
        }
        let fresh = CorrelationId::generate().as_str().to_owned();
        let (request, key) = step.request(&verification.id, fresh);
        playbook.save()?;
        let answer = client.act(&user.id(), &request, &key).await;
        let step = &mut playbook.steps[i];
        step.record(&answer);
        let outcome = match answer {
            Ok(ActionAnswer::Done(done)) => {
                code = done.recovery_code.or(code);
                next = done.next_step.or(next);
                "done"
            }
            Ok(ActionAnswer::PendingApproval(waiting)) => {
                pending = Some(waiting.approval_id);
                "waits for another agent's approval"
            }
            Err(_) if step.status == StepStatus::AlreadyGone => "already gone",
            Err(error) => {
                let words = words(step);
                playbook.save()?;
                let mut failure = Failure::service(error, true, cli.timeout);
                failure.message = format!("Step {} of {total} ({words}) did not complete: {} Run the same command again to carry on; nothing done is repeated.", i + 1, failure.message);
                return Err(failure);
            }
        };
        text.push_str(&format!("  {}. {}: {outcome}\n", i + 1, words(step)));
        playbook.save()?;
    }
    playbook.finish()?;
    if let Some(code) = &code {
        text.push_str(&format!(
            "\nNew recovery code, shown only this once:\n\n    {}\n",
            groups(code)
        ));
    }
    if let Some(step) = next {
        text.push_str(&format!("\nNext, tell them: {}\n", next_words(step)));
    }
    let body = SecureReport {
        user_id: &user.user_id,
        dry_run: false,
        resumed: was_resumed,
        steps: &playbook.steps,
        recovery_code: code.as_ref().map(RecoveryCode::expose),
        next_step: next,
    };
    let mut report = Report::new(&body, text);
    if let Some(id) = pending {
        report.pending = Some(format!(
            "A step waits for another agent to approve {id}; the rest is done."
        ));
    }
    Ok(report)
}
