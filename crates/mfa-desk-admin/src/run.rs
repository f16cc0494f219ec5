//! What each command does. Every value is checked before anything is sent; every change is
//! recorded in the audit log, which is opened before the change so that nothing is done that
//! could not be recorded.

use mfa_core::audit::{AuditAction, AuditContext, AuditEntry, AuditLog, AuditWriter, Outcome};
use mfa_core::management::input::parse_email;
use mfa_core::management::{
    CorrelationId, EnrollmentTicketRequest, ManagementClient, ManagementError, MethodId, Operator,
    Reason, TicketRef, User, UserRef, VerifiedBy,
};
use mfa_core::secret::ExposeSecret;
use mfa_core::ErrorCode;
use serde_json::{json, Value};

use crate::cli::{ChangeArgs, Cli, Command};
use crate::connect::{management_client, tenant_config};
use crate::failure::{Exit, Failure};
use crate::table::Table;

/// What a command prints: one JSON document, or text for people. `late_failure` is set when
/// the change was made but something after it failed (writing the audit line): the result
/// is still shown (a recovery code exists only here), and the command still fails.
pub struct Report {
    pub json: Value,
    pub text: String,
    pub late_failure: Option<Failure>,
}

impl Report {
    fn new(json: Value, text: String) -> Self {
        Self {
            json,
            text,
            late_failure: None,
        }
    }
}

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    match &cli.command {
        Command::Find { email } => find(cli, email).await,
        Command::Methods { user } => methods(cli, user).await,
        Command::Remove {
            user,
            method_id,
            change,
        } => {
            let method = MethodId::parse(method_id).map_err(|e| Failure::input("METHOD_ID", e))?;
            let action = Change::prepare(cli, user, change).await?;
            let result = action
                .client
                .delete_authentication_method(&action.user_id(), &method, &action.correlation)
                .await;
            let text = format!("Removed the method {method} from {}.", action.who());
            action.finish(AuditAction::RemoveMethod, Some(&method), result, |()| {
                (json!({ "method_id": method }), text)
            })
        }
        Command::Reset { user, change } => {
            let action = Change::prepare(cli, user, change).await?;
            let result = action
                .client
                .delete_all_authentication_methods(&action.user_id(), &action.correlation)
                .await;
            let text = format!(
                "Removed every authentication method of {}: they will set up MFA afresh at their next sign-in.",
                action.who()
            );
            action.finish(AuditAction::ResetMethods, None, result, |()| {
                (json!({}), text)
            })
        }
        Command::RecoveryCode { user, change } => {
            let action = Change::prepare(cli, user, change).await?;
            let result = action
                .client
                .regenerate_recovery_code(&action.user_id(), &action.correlation)
                .await;
            let who = action.who();
            action.finish(AuditAction::RegenerateRecoveryCode, None, result, |code| {
                let text = format!(
                    "New recovery code for {who}:\n\n    {}\n\nIt is shown only this once: give it to the user now. Their previous code no longer works.",
                    code.groups().join(" ")
                );
                (json!({ "recovery_code": code.expose() }), text)
            })
        }
        Command::Ticket {
            user,
            send_mail,
            change,
        } => {
            let action = Change::prepare(cli, user, change).await?;
            let mut request = EnrollmentTicketRequest::new(action.user_id());
            request.send_mail = *send_mail;
            let result = action
                .client
                .create_enrollment_ticket(&request, &action.correlation)
                .await;
            let who = action.who();
            action.finish(AuditAction::CreateEnrollmentTicket, None, result, |ticket| {
                let mailed = if *send_mail {
                    "\nAuth0 has also emailed the link to the user."
                } else {
                    ""
                };
                let text = format!(
                    "Enrollment ticket for {who}: whoever opens this link can set up a sign-in method for the user, so give it to them only.\n\n    {}\n{mailed}",
                    ticket.ticket_url.expose_secret()
                );
                let json = json!({
                    "ticket_id": ticket.ticket_id.expose_secret(),
                    "ticket_url": ticket.ticket_url.expose_secret(),
                    "send_mail": send_mail,
                });
                (json, text)
            })
        }
        Command::ForgetBrowsers { user, change } => {
            let action = Change::prepare(cli, user, change).await?;
            let result = action
                .client
                .invalidate_remembered_browsers(&action.user_id(), &action.correlation)
                .await;
            let text = format!(
                "Every browser {} told to skip MFA will ask for it again.",
                action.who()
            );
            action.finish(AuditAction::ForgetBrowsers, None, result, |()| {
                (json!({}), text)
            })
        }
        Command::Audit { user } => audit(user.as_deref()),
    }
}

// ---- reading ------------------------------------------------------------------------------

async fn find(cli: &Cli, raw_email: &str) -> Result<Report, Failure> {
    let email = parse_email(raw_email).map_err(|e| Failure::input("EMAIL", e))?;
    let client = connect(cli).await?;
    let users = client
        .users_by_email(&email)
        .await
        .map_err(|e| Failure::management(e, false, cli.timeout))?;
    if users.is_empty() {
        return Err(Failure::new(
            Exit::NotFound,
            ErrorCode::UserNotFound,
            format!("No user has the email {}.", email.as_str()),
        ));
    }
    let mut table = Table::new(&["USER ID", "EMAIL", "NAME", "CONNECTION", "LAST LOGIN"]);
    for user in &users {
        table.row(vec![
            Some(user.user_id.clone()),
            user.email.clone(),
            user.name.clone(),
            user.identities.first().and_then(|i| i.connection.clone()),
            user.last_login.clone(),
        ]);
    }
    Ok(Report::new(json!({ "users": users }), table.render()))
}

async fn methods(cli: &Cli, raw_user: &str) -> Result<Report, Failure> {
    let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
    let client = connect(cli).await?;
    let user = resolve(&client, &user_ref, cli.timeout).await?;
    let methods = client
        .authentication_methods(&user.id())
        .await
        .map_err(|e| Failure::management(e, false, cli.timeout))?;
    let who = describe(&user);
    let text = if methods.is_empty() {
        format!("{who} has no authentication method: they will set up MFA at their next sign-in.\n")
    } else {
        let mut table = Table::new(&["ID", "TYPE", "DETAIL", "CONFIRMED", "CREATED", "LAST USED"]);
        for method in &methods {
            table.row(vec![
                Some(method.id.clone()),
                method.kind.as_ref().map(ToString::to_string),
                method.detail().map(str::to_owned),
                method
                    .confirmed
                    .map(|c| if c { "yes" } else { "no" }.to_owned()),
                method.created_at.clone(),
                method.last_auth_at.clone(),
            ]);
        }
        format!("{who}\n\n{}", table.render())
    };
    Ok(Report::new(
        json!({ "user": user, "methods": methods }),
        text,
    ))
}

fn audit(raw_user: Option<&str>) -> Result<Report, Failure> {
    if let Some(user) = raw_user {
        UserRef::parse(user).map_err(|e| Failure::input("--user", e))?;
    }
    let log = AuditLog::in_data_dir()?;
    let records = match raw_user {
        Some(user) => log.read_for_user(user)?,
        None => log.read()?,
    };
    let mut text = String::new();
    if records.entries.is_empty() {
        text.push_str(&format!(
            "No entries in the audit log ({}).\n",
            log.path().display()
        ));
    } else {
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
        for entry in &records.entries {
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
        text.push_str(&table.render());
    }
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
    let json = json!({
        "path": log.path(),
        "entries": records.entries,
        "unreadable_lines": records.unreadable_lines,
    });
    Ok(Report::new(json, text))
}

// ---- changing -----------------------------------------------------------------------------

/// A change about to be made: checked input, an open audit log, a client and the user.
struct Change {
    client: ManagementClient,
    user: User,
    audit: AuditWriter,
    context: AuditContext,
    correlation: CorrelationId,
    timeout: u64,
}

impl Change {
    async fn prepare(cli: &Cli, raw_user: &str, args: &ChangeArgs) -> Result<Self, Failure> {
        let user_ref = UserRef::parse(raw_user).map_err(|e| Failure::input("USER", e))?;
        let context = AuditContext {
            reason: Reason::parse(&args.reason).map_err(|e| Failure::input("--reason", e))?,
            ticket: args
                .ticket
                .as_deref()
                .map(TicketRef::parse)
                .transpose()
                .map_err(|e| Failure::input("--ticket", e))?,
            verified_by: args
                .verified_by
                .as_deref()
                .map(VerifiedBy::parse)
                .transpose()
                .map_err(|e| Failure::input("--verified-by", e))?,
            operator: operator(cli)?,
        };
        let tenant = tenant_config(cli)?;
        let audit = AuditLog::in_data_dir()?.writer()?;
        let client = management_client(&tenant, cli.timeout).await?;
        let user = resolve(&client, &user_ref, cli.timeout).await?;
        Ok(Self {
            client,
            user,
            audit,
            context,
            correlation: CorrelationId::generate(),
            timeout: cli.timeout,
        })
    }

    fn user_id(&self) -> mfa_core::management::UserId {
        self.user.id()
    }

    fn who(&self) -> String {
        describe(&self.user)
    }

    /// Records the outcome in the audit log, then turns it into the report or the failure.
    fn finish<T>(
        mut self,
        action: AuditAction,
        method: Option<&MethodId>,
        result: Result<T, ManagementError>,
        report: impl FnOnce(T) -> (Value, String),
    ) -> Result<Report, Failure> {
        let outcome = match &result {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Error { error: e.code() },
        };
        let entry = AuditEntry::now(
            &self.context,
            action,
            &self.user.id(),
            self.user.email.as_deref(),
            method,
            &self.correlation,
            outcome,
        );
        let audit_failure = self.audit.append(&entry).err().map(|e| {
            let mut failure = Failure::from(e);
            failure.message = format!(
                "The change was made, but {}",
                lowercase_first(&failure.message)
            );
            failure
        });
        let value = match result {
            Ok(value) => value,
            Err(error) => {
                let mut failure = Failure::management(error, true, self.timeout);
                if let Some(audit) = audit_failure {
                    failure
                        .message
                        .push_str(&format!(" Also: {}", audit.message));
                }
                return Err(failure);
            }
        };
        let (extra, text) = report(value);
        let mut json = json!({
            "action": action,
            "user_id": self.user.user_id,
            "user_email": self.user.email,
            "method_id": method,
            "correlation_id": self.correlation,
            "outcome": "ok",
        });
        if let (Some(json), Some(extra)) = (json.as_object_mut(), extra.as_object()) {
            json.extend(extra.clone());
        }
        let text = format!("{text}\nCorrelation id: {}\n", self.correlation);
        Ok(Report {
            json,
            text,
            late_failure: audit_failure,
        })
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn operator(cli: &Cli) -> Result<Operator, Failure> {
    let name = cli
        .operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .ok_or_else(|| {
            Failure::new(
                Exit::Usage,
                ErrorCode::InputEmpty,
                "No operator name for the audit log: pass --operator NAME; nothing was sent.",
            )
        })?;
    Operator::parse(&name).map_err(|e| Failure::input("--operator", e))
}

async fn connect(cli: &Cli) -> Result<ManagementClient, Failure> {
    let tenant = tenant_config(cli)?;
    management_client(&tenant, cli.timeout).await
}

/// The user a USER argument names. An email shared by several users is refused: acting on
/// the wrong account is worse than asking for the id.
async fn resolve(client: &ManagementClient, user: &UserRef, timeout: u64) -> Result<User, Failure> {
    let fail = |e| Failure::management(e, false, timeout);
    match user {
        UserRef::Id(id) => client.user(id).await.map_err(fail),
        UserRef::Email(email) => {
            let mut users = client.users_by_email(email).await.map_err(fail)?;
            match users.len() {
                0 => Err(Failure::new(
                    Exit::NotFound,
                    ErrorCode::UserNotFound,
                    format!("No user has the email {}.", email.as_str()),
                )),
                1 => Ok(users.remove(0)),
                _ => {
                    let ids: Vec<&str> = users.iter().map(|u| u.user_id.as_str()).collect();
                    Err(Failure::new(
                        Exit::Usage,
                        ErrorCode::AmbiguousEmail,
                        format!(
                            "Several users have the email {}: {}; give the user id instead.",
                            email.as_str(),
                            ids.join(", ")
                        ),
                    )
                    .with_details(json!({ "user_ids": ids })))
                }
            }
        }
    }
}

/// "ana@example.com (auth0|5f1c…)".
fn describe(user: &User) -> String {
    match &user.email {
        Some(email) => format!("{email} ({})", user.user_id),
        None => user.user_id.clone(),
    }
}
