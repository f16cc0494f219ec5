//! The stolen-phone playbook's plan and its progress, kept in the data folder so that a
//! re-run after an interruption repeats nothing done. Each step's idempotency key is written
//! before its request leaves: if the answer is lost on the way back, the re-run sends the
//! same key and the service answers what it did, without doing it again. A step the service
//! refused is planned afresh (a new key) on the re-run.

use std::path::PathBuf;

use mfa_core::audit::data_dir;
use mfa_core::helpdesk_service::ServiceAction;
use mfa_core::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::failure::{Exit, Failure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Planned,
    /// Sent; its answer did not arrive. The re-run sends the same key.
    Sent,
    Done,
    /// Under four eyes: another agent carries it out when they approve.
    PendingApproval,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub action: ServiceAction,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub method_id: Option<String>,
    pub status: StepStatus,
    /// Set once sent: the idempotency key and the verification it went with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub verification_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub approval_id: Option<String>,
}

impl Step {
    pub fn new(action: ServiceAction, method_id: Option<String>) -> Self {
        Self {
            action,
            method_id,
            status: StepStatus::Planned,
            key: None,
            verification_id: None,
            approval_id: None,
        }
    }

    /// "end sessions", "remove method totp|dev_…".
    pub fn words(&self) -> String {
        match (&self.action, &self.method_id) {
            (ServiceAction::EndSessions, _) => "end every session and refresh token".into(),
            (ServiceAction::RemoveMethod, Some(id)) => format!("remove the method {id}"),
            (ServiceAction::ForgetBrowsers, _) => "forget every remembered browser".into(),
            (ServiceAction::IssueRecoveryCode, _) => "issue a new recovery code".into(),
            (ServiceAction::SendEnrollmentTicket, _) => "email an enrollment link".into(),
            (other, _) => other.as_str().replace('_', " "),
        }
    }
}

/// One caller's playbook, as far as it went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Playbook {
    pub caller_id: String,
    pub steps: Vec<Step>,
}

impl Playbook {
    fn path(caller_id: &str) -> Result<PathBuf, Failure> {
        let dir = data_dir().ok_or_else(|| {
            Failure::new(
                Exit::Other,
                ErrorCode::AuditLogUnwritable,
                "No data folder for the playbook's progress (set MFA_DESK_DATA_DIR).",
            )
        })?;
        let name: String = caller_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Ok(dir.join("secure").join(format!("{name}.json")))
    }

    /// The interrupted playbook for this caller, if any.
    pub fn resume(caller_id: &str) -> Result<Option<Self>, Failure> {
        let path = Self::path(caller_id)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                Failure::new(
                    Exit::Other,
                    ErrorCode::AuditLogUnreadable,
                    format!("The playbook's progress in {} cannot be read ({e}): move it away to start afresh.", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(unwritable(&path, &e)),
        }
    }

    /// Writes the progress (before each request leaves, and after each answer).
    pub fn save(&self) -> Result<(), Failure> {
        let path = Self::path(&self.caller_id)?;
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let temporary = path.with_extension("json.new");
            std::fs::write(
                &temporary,
                serde_json::to_vec_pretty(self).unwrap_or_default(),
            )?;
            std::fs::rename(&temporary, &path)
        };
        write().map_err(|e| unwritable(&path, &e))
    }

    /// Every step done or handed to an approver: nothing is left to resume.
    pub fn finish(&self) -> Result<(), Failure> {
        let path = Self::path(&self.caller_id)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(unwritable(&path, &e)),
            _ => Ok(()),
        }
    }
}

fn unwritable(path: &std::path::Path, error: &std::io::Error) -> Failure {
    Failure::new(
        Exit::Other,
        ErrorCode::AuditLogUnwritable,
        format!(
            "The playbook's progress cannot be kept in {} ({error}); nothing more was sent.",
            path.display()
        ),
    )
}
