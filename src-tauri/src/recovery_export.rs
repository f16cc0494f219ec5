//! The text file a person saves their recovery code to: who it is for, where, when, and that
//! it works once, in the app's language.

use std::io::Write;
use std::path::Path;

use mfa_core::secret_store::PendingRecoveryCode;

struct Labels {
    title: &'static str,
    account: &'static str,
    tenant: &'static str,
    issued: &'static str,
    purpose: &'static str,
    once: &'static str,
}

fn labels(locale: &str) -> Labels {
    match locale {
        "ja" => Labels {
            title: "MFA Desk リカバリーコード",
            account: "アカウント",
            tenant: "テナント",
            issued: "発行日時 (UTC)",
            purpose: "認証デバイスを紛失したときに、2 段階目の認証の代わりにこのコードでサインインできます。",
            once: "このコードは 1 回だけ使えます。使用すると新しいコードが発行され、このコードは無効になります。安全な場所に保管してください。",
        },
        "fr" => Labels {
            title: "Code de récupération MFA Desk",
            account: "Compte",
            tenant: "Locataire",
            issued: "Émis le (UTC)",
            purpose: "Si vous perdez votre appareil d’authentification, ce code vous permet de vous connecter à la place du second facteur.",
            once: "Ce code ne fonctionne qu’une seule fois. Après usage, un nouveau code est émis et celui-ci ne fonctionne plus. Conservez-le en lieu sûr.",
        },
        _ => Labels {
            title: "MFA Desk recovery code",
            account: "Account",
            tenant: "Tenant",
            issued: "Issued (UTC)",
            purpose: "If you lose your authentication device, this code signs you in instead of your second factor.",
            once: "This code works once. Using it issues a new code and this one stops working. Keep it somewhere safe.",
        },
    }
}

pub fn text_file(pending: &PendingRecoveryCode, tenant: &str, locale: &str) -> String {
    let l = labels(locale);
    let issued = httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(pending.issued_at),
    );
    format!(
        "{title}\n\n{code}\n\n{account_l}: {account}\n{tenant_l}: {tenant}\n{issued_l}: {issued}\n\n{purpose}\n{once}\n",
        title = l.title,
        code = pending.code.groups().join(" "),
        account_l = l.account,
        account = pending.account,
        tenant_l = l.tenant,
        issued_l = l.issued,
        purpose = l.purpose,
        once = l.once,
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
