//! The helpdesk audit log: one JSON line per change made through the Management API, appended
//! to a file in the app's data folder and never rewritten. It answers "who did what to whose
//! account, why, on which ticket, after checking the caller how, and did it work", and can be
//! matched with Auth0's tenant logs through the correlation id.
//!
//! An entry is built only from typed values (ids, notes, an error code), so no secret (a
//! recovery code, a token, an enrollment ticket) can end up in it.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::ErrorCode;
use crate::management::{CorrelationId, MethodId, Operator, Reason, TicketRef, UserId, VerifiedBy};

/// Overrides the data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "MFA_DESK_DATA_DIR";
/// The desktop app's bundle identifier (`tauri.conf.json`): Tauri's app data folder is the
/// platform data folder joined with it, and the audit log lives there too.
pub const APP_IDENTIFIER: &str = "com.example.mfadesk";
pub const FILE_NAME: &str = "helpdesk-audit.jsonl";

/// What the agent did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    RemoveMethod,
    ResetMethods,
    RegenerateRecoveryCode,
    CreateEnrollmentTicket,
    ForgetBrowsers,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RemoveMethod => "remove_method",
            Self::ResetMethods => "reset_methods",
            Self::RegenerateRecoveryCode => "regenerate_recovery_code",
            Self::CreateEnrollmentTicket => "create_enrollment_ticket",
            Self::ForgetBrowsers => "forget_browsers",
        }
    }
}

/// How the action ended: `{"outcome":"ok"}` or `{"outcome":"error","error":"<code>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Error {
        /// The error code (`user_not_found`, `rate_limited`, …) as in the UI catalogues.
        error: ErrorCode,
    },
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub time: String,
    pub operator: Operator,
    pub action: AuditAction,
    pub user_id: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_id: Option<MethodId>,
    pub reason: Reason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<VerifiedBy>,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub correlation_id: CorrelationId,
    /// Done with the Management API's secret, not through the helpdesk service (break-glass).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct: bool,
}

/// Everything about an action except its outcome, known before it is sent.
#[derive(Debug, Clone)]
pub struct AuditContext {
    pub operator: Operator,
    pub reason: Reason,
    pub ticket: Option<TicketRef>,
    pub verified_by: Option<VerifiedBy>,
}

impl AuditEntry {
    /// An entry stamped with the current time.
    #[allow(clippy::too_many_arguments)]
    pub fn now(
        context: &AuditContext,
        action: AuditAction,
        user_id: &UserId,
        user_email: Option<&str>,
        method_id: Option<&MethodId>,
        correlation_id: &CorrelationId,
        outcome: Outcome,
    ) -> Self {
        Self {
            time: now_rfc3339(),
            operator: context.operator.clone(),
            action,
            user_id: user_id.clone(),
            user_email: user_email.map(str::to_owned),
            method_id: method_id.cloned(),
            reason: context.reason.clone(),
            ticket: context.ticket.clone(),
            verified_by: context.verified_by.clone(),
            outcome,
            correlation_id: correlation_id.clone(),
            direct: false,
        }
    }

    /// True when the entry is about `user` (a user id, or an email in any letter case).
    pub fn is_about(&self, user: &str) -> bool {
        let user = user.trim();
        self.user_id.as_str() == user
            || self
                .user_email
                .as_deref()
                .is_some_and(|email| email.eq_ignore_ascii_case(user))
    }
}

/// Now in UTC, to the millisecond, always the same width ("2026-03-01T09:30:12.340Z").
fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("no data folder for the audit log: set {DATA_DIR_ENV}")]
    NoDataDir,
    #[error("the audit log {path} cannot be written: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the audit log {path} cannot be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

impl AuditError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NoDataDir | Self::Write { .. } => ErrorCode::AuditLogUnwritable,
            Self::Read { .. } => ErrorCode::AuditLogUnreadable,
        }
    }
}

/// The data folder as `mfa-desk-admin` finds it: `$MFA_DESK_DATA_DIR`, else
/// [`platform_data_dir`]. (The desktop app honours the variable in test builds only.)
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => platform_data_dir(),
    }
}

/// The platform's data folder joined with [`APP_IDENTIFIER`] (`~/.local/share/…`,
/// `~/Library/Application Support/…`, `%APPDATA%\…`), whatever the environment says.
pub fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}

/// The entries read back, oldest first, and the line numbers that could not be read (a line
/// cut short by a crash, say), so a screen can say the log is damaged instead of hiding it.
#[derive(Debug, Default)]
pub struct AuditRecords {
    pub entries: Vec<AuditEntry>,
    pub unreadable_lines: Vec<usize>,
}

/// The log file.
#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The log in the data folder as `mfa-desk-admin` finds it ([`data_dir`]).
    pub fn in_data_dir() -> Result<Self, AuditError> {
        data_dir()
            .map(|dir| Self::in_dir(&dir))
            .ok_or(AuditError::NoDataDir)
    }

    /// The log in the platform's data folder ([`platform_data_dir`]): the desktop app's.
    pub fn in_platform_data_dir() -> Result<Self, AuditError> {
        platform_data_dir()
            .map(|dir| Self::in_dir(&dir))
            .ok_or(AuditError::NoDataDir)
    }

    /// The log file in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self::at(dir.join(FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the log for appending, creating it (readable by its owner only) and its folder.
    /// Open it before acting, so an action is never taken that could not be recorded.
    pub fn writer(&self) -> Result<AuditWriter, AuditError> {
        let write_error = |source| AuditError::Write {
            path: self.path.display().to_string(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(write_error)?;
        }
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&self.path).map_err(write_error)?;
        Ok(AuditWriter {
            file,
            path: self.path.clone(),
        })
    }

    /// Every entry, oldest first. A log that does not exist yet is empty.
    pub fn read(&self) -> Result<AuditRecords, AuditError> {
        let read_error = |source| AuditError::Read {
            path: self.path.display().to_string(),
            source,
        };
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(AuditRecords::default())
            }
            Err(e) => return Err(read_error(e)),
        };
        let mut records = AuditRecords::default();
        for (index, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(read_error)?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(&line) {
                Ok(entry) => records.entries.push(entry),
                Err(_) => records.unreadable_lines.push(index + 1),
            }
        }
        Ok(records)
    }

    /// The entries about one user (id or email), oldest first.
    pub fn read_for_user(&self, user: &str) -> Result<AuditRecords, AuditError> {
        let mut records = self.read()?;
        records.entries.retain(|entry| entry.is_about(user));
        Ok(records)
    }
}

/// The same operations for async callers: the file is opened, written and synced on a
/// blocking thread, never on an async runtime's worker.
impl AuditLog {
    /// Opens the log once to prove it can be written: call before acting, so an action is
    /// never taken that could not be recorded.
    pub async fn check_writable(&self) -> Result<(), AuditError> {
        let log = self.clone();
        off_runtime(move || log.writer().map(drop)).await
    }

    /// Appends one entry and syncs it to disk.
    pub async fn append(&self, entry: AuditEntry) -> Result<(), AuditError> {
        let log = self.clone();
        off_runtime(move || log.writer()?.append(&entry)).await
    }

    /// [`AuditLog::read`] or, with `user`, [`AuditLog::read_for_user`].
    pub async fn read_async(&self, user: Option<String>) -> Result<AuditRecords, AuditError> {
        let log = self.clone();
        off_runtime(move || match user {
            Some(user) => log.read_for_user(&user),
            None => log.read(),
        })
        .await
    }
}

async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// An open log, ready for an entry.
#[derive(Debug)]
pub struct AuditWriter {
    file: File,
    path: PathBuf,
}

impl AuditWriter {
    /// Appends one line in a single write and flushes it to disk.
    pub fn append(&mut self, entry: &AuditEntry) -> Result<(), AuditError> {
        let write_error = |source| AuditError::Write {
            path: self.path.display().to_string(),
            source,
        };
        let mut line = serde_json::to_vec(entry)
            .map_err(|e| write_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(write_error)?;
        self.file.sync_data().map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;

    fn context() -> AuditContext {
        AuditContext {
            operator: Operator::parse("ana").unwrap(),
            reason: Reason::parse("lost phone").unwrap(),
            ticket: Some(TicketRef::parse("INC-1").unwrap()),
            verified_by: None,
        }
    }

    #[test]
    fn entries_are_appended_and_read_back_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("sub/audit.jsonl"));
        assert!(log.read().unwrap().entries.is_empty());
        let ana = UserId::parse("auth0|ana").unwrap();
        let bo = UserId::parse("auth0|bo").unwrap();
        let correlation = CorrelationId::generate();
        let mut writer = log.writer().unwrap();
        for (user, email) in [(&ana, "Ana@example.com"), (&bo, "bo@example.com")] {
            let entry = AuditEntry::now(
                &context(),
                AuditAction::ResetMethods,
                user,
                Some(email),
                None,
                &correlation,
                Outcome::Ok,
            );
            writer.append(&entry).unwrap();
        }
        let failed = AuditEntry::now(
            &context(),
            AuditAction::RemoveMethod,
            &ana,
            None,
            Some(&MethodId::parse("totp|dev_1").unwrap()),
            &correlation,
            Outcome::Error {
                error: ErrorCode::MethodNotFound,
            },
        );
        log.writer().unwrap().append(&failed).unwrap();
        let all = log.read().unwrap();
        assert_eq!(all.entries.len(), 3);
        assert_eq!(all.entries[0].user_id, ana);
        assert_eq!(all.entries[2], failed);
        let about_ana = log.read_for_user("ana@EXAMPLE.com").unwrap();
        assert_eq!(about_ana.entries.len(), 1);
        assert_eq!(log.read_for_user("auth0|ana").unwrap().entries.len(), 2);

        let text = std::fs::read_to_string(log.path()).unwrap();
        let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(last["outcome"], "error");
        assert_eq!(last["error"], "method_not_found");
        assert_eq!(last["action"], "remove_method");
        assert!(OffsetDateTime::parse(last["time"].as_str().unwrap(), &Rfc3339).is_ok());
    }

    #[test]
    fn a_damaged_line_is_reported_not_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        let entry = AuditEntry::now(
            &context(),
            AuditAction::ForgetBrowsers,
            &UserId::parse("auth0|ana").unwrap(),
            None,
            None,
            &CorrelationId::generate(),
            Outcome::Ok,
        );
        log.writer().unwrap().append(&entry).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"time\":\"2026")
            .unwrap();
        let records = log.read().unwrap();
        assert_eq!(records.entries.len(), 1);
        assert_eq!(records.unreadable_lines, [2]);
    }

    #[test]
    fn the_folder_is_the_desktop_apps_data_folder() {
        let conf = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tauri.conf.json");
        let conf: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(conf).unwrap()).unwrap();
        assert_eq!(conf["identifier"], APP_IDENTIFIER);
    }

    #[cfg(unix)]
    #[test]
    fn the_log_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        log.writer().unwrap();
        let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
