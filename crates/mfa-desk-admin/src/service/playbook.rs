//! The stolen-phone playbook's plan and its progress, kept in the data folder so that a
//! re-run after an interruption repeats nothing done. Each step's idempotency key is written
//! before its request leaves: if the answer is lost on the way back, the re-run sends the
//! same key and the service answers what it did, without doing it again. A step the service
//! refused is planned afresh (a new key) on the re-run.

use std::path::PathBuf;

use mfa_core::audit::data_dir;
use mfa_core::helpdesk_service::{Playbook, ServiceAction, Step};
use mfa_core::ErrorCode;

use crate::failure::{Exit, Failure};

/// How a step reads in the command line's output.
pub fn words(step: &Step) -> String {
    match (&step.action, &step.method_id) {
        (ServiceAction::EndSessions, _) => "end every session and refresh token".into(),
        (ServiceAction::RemoveMethod, Some(id)) => format!("remove the method {id}"),
        (ServiceAction::ForgetBrowsers, _) => "forget every remembered browser".into(),
        (ServiceAction::IssueRecoveryCode, _) => "issue a new recovery code".into(),
        (ServiceAction::SendEnrollmentTicket, _) => "email an enrollment link".into(),
        (other, _) => other.as_str().replace('_', " "),
    }
}

/// Where a caller's interrupted playbook is kept between runs.
pub trait Kept: Sized {
    fn resume(caller_id: &str) -> Result<Option<Self>, Failure>;
    fn save(&self) -> Result<(), Failure>;
    fn finish(&self) -> Result<(), Failure>;
}

fn kept_path(caller_id: &str) -> Result<PathBuf, Failure> {
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

impl Kept for Playbook {
    /// The interrupted playbook for this caller, if any.
    fn resume(caller_id: &str) -> Result<Option<Self>, Failure> {
        let path = kept_path(caller_id)?;
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
    fn save(&self) -> Result<(), Failure> {
        let path = kept_path(&self.caller_id)?;
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
    fn finish(&self) -> Result<(), Failure> {
        let path = kept_path(&self.caller_id)?;
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
