//! What every change shares: checked input, an audit log opened before anything is sent, the
//! user, a correlation id; then the audit line and the report.

use mfa_core::audit::{AuditAction, AuditContext, AuditEntry, AuditLog, AuditWriter, Outcome};
use mfa_core::management::{
    CorrelationId, ManagementClient, ManagementError, MethodId, Operator, Reason, TicketRef, User,
    UserId, UserRef, VerifiedBy,
};
use mfa_core::ErrorCode;
use serde::Serialize;

use super::lookup::resolve;
use crate::cli::{ChangeArgs, Cli};
use crate::connect::{management_client, tenant_config};
use crate::failure::{Exit, Failure};
use crate::report::Report;
use crate::view::describe;

/// The `--json` report of a change: what was done to whom, and the command's own facts.
#[derive(Serialize)]
struct ChangeReport<'a, T> {
    action: AuditAction,
    user_id: &'a str,
    user_email: Option<&'a str>,
    method_id: Option<&'a MethodId>,
    correlation_id: &'a CorrelationId,
    outcome: &'static str,
    #[serde(flatten)]
    result: T,
}

/// A change with nothing to report beyond what was done.
#[derive(Serialize)]
pub struct Done {}

/// A change about to be made.
pub struct Change {
    pub client: ManagementClient,
    user: User,
    audit: AuditWriter,
    context: AuditContext,
    pub correlation: CorrelationId,
    timeout: u64,
}

impl Change {
    pub async fn prepare(cli: &Cli, raw_user: &str, args: &ChangeArgs) -> Result<Self, Failure> {
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

    pub fn user_id(&self) -> UserId {
        self.user.id()
    }

    pub fn who(&self) -> String {
        describe(&self.user)
    }

    /// Records the outcome in the audit log, then turns it into the report (`report` gives
    /// the command's own facts and its text) or the failure.
    pub fn finish<T, R: Serialize>(
        mut self,
        action: AuditAction,
        method: Option<&MethodId>,
        result: Result<T, ManagementError>,
        report: impl FnOnce(T) -> (R, String),
    ) -> Result<Report, Failure> {
        let outcome = match &result {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Error { error: e.code() },
        };
        let mut entry = AuditEntry::now(
            &self.context,
            action,
            &self.user.id(),
            self.user.email.as_deref(),
            method,
            &self.correlation,
            outcome,
        );
        entry.direct = true;
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
        let (result, text) = report(value);
        let json = ChangeReport {
            action,
            user_id: &self.user.user_id,
            user_email: self.user.email.as_deref(),
            method_id: method,
            correlation_id: &self.correlation,
            outcome: "ok",
            result,
        };
        let text = format!("{text}\nCorrelation id: {}\n", self.correlation);
        let mut report = Report::new(&json, text);
        report.late_failure = audit_failure;
        Ok(report)
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `--operator`, else the login name, for the audit log: `USER` (`USERNAME` on Windows),
/// else the OS account this runs as (cron jobs, `env -i`, services have no `USER`).
fn operator(cli: &Cli) -> Result<Operator, Failure> {
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let name = cli
        .operator
        .clone()
        .or_else(|| from_env("USER"))
        .or_else(|| from_env("USERNAME"))
        .or_else(|| whoami::fallible::username().ok())
        .ok_or_else(|| {
            Failure::new(
                Exit::Usage,
                ErrorCode::InputEmpty,
                "No operator name for the audit log: pass --operator NAME; nothing was sent.",
            )
        })?;
    Operator::parse(&name).map_err(|e| Failure::input("--operator", e))
}
