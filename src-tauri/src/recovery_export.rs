//! The text file a person saves their recovery code to: who it is for, where, when, and that
//! it works once, in the UI's language.

use std::io::Write;
use std::path::Path;

use mfa_core::secret_store::PendingRecoveryCode;

/// The file's wording, in the person's language, taken by the UI from its own catalogue
/// (`print.*`), so there is one set of translations.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileLabels {
    title: String,
    account: String,
    organization: String,
    issued: String,
    purpose: String,
    works_once: String,
}

pub fn text_file(pending: &PendingRecoveryCode, tenant: &str, labels: &FileLabels) -> String {
    let issued = httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(pending.issued_at),
    );
    // One line per label: a label cannot add lines of its own to the file.
    let line = |text: &str| text.replace(['\r', '\n'], " ");
    format!(
        "{title}\n\n{code}\n\n{account_l}: {account}\n{tenant_l}: {tenant}\n{issued_l}: {issued}\n\n{purpose}\n{once}\n",
        title = line(&labels.title),
        code = pending.code.groups().join(" "),
        account_l = line(&labels.account),
        account = pending.account,
        tenant_l = line(&labels.organization),
        issued_l = line(&labels.issued),
        purpose = line(&labels.purpose),
        once = line(&labels.works_once),
    )
}

pub fn file_name(tenant: &str) -> String {
    let safe: String = tenant
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("recovery-code-{safe}.txt")
}

/// Writes the file readable by its owner only.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
