//! A recovery code waiting for "I saved it": the one secret the export dialog shows.

use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodeView {
    pub code: String,
    pub groups: Vec<String>,
    pub account: String,
    pub tenant: String,
    pub issued_at: u64,
    pub reason: IssuedFor,
    pub stored_in_keyring: bool,
}

impl RecoveryCodeView {
    pub fn new(pending: &PendingRecoveryCode, tenant: &str, stored_in_keyring: bool) -> Self {
        Self {
            code: pending.code.expose().to_owned(),
            groups: pending.code.groups(),
            account: pending.account.clone(),
            tenant: tenant.to_owned(),
            issued_at: pending.issued_at,
            reason: pending.reason,
            stored_in_keyring,
        }
    }
}
