//! A rotated recovery code is the one secret whose loss locks a person out: Auth0 shows it
//! once and the previous code is already dead. It goes into the keyring before anything else
//! happens, stays there (and in memory for the export dialog) until the person confirms they
//! stored it, and comes back at the next start if the app died while showing it.
//!
//! A code a helpdesk agent issues for a caller is not kept here: it lives in the agent's
//! session only (`service::helpdesk::caller_code`). Earlier versions kept those in the
//! keyring too; the first start of a run deletes any left there, unread.

use std::sync::{Mutex, MutexGuard};

use mfa_core::secret_store::{AsyncVault, IssuedFor, PendingRecoveryCode, Secrets};
use mfa_core::FlowError;

use crate::command_error::CommandResult;
use crate::views::RecoveryCodeView;

/// The tenant's keyring vault, as far as this part of the app needs it.
struct VaultPlace {
    secrets: Secrets,
    namespace: String,
    domain: String,
    /// The OS keyring answered at start; without it the vault is memory only.
    keyring_usable: bool,
}

/// The code shown in the export dialog, if one waits for "I saved it".
struct Shown {
    pending: PendingRecoveryCode,
    in_keyring: bool,
}

pub struct RecoveryCodes {
    /// `None` without a tenant: then no code can ever arrive.
    place: Option<VaultPlace>,
    shown: Mutex<Option<Shown>>,
    /// Set once the keyring was read for a code left pending by an earlier run.
    loaded: tokio::sync::OnceCell<()>,
}

impl RecoveryCodes {
    /// The vault of `namespace` (the tenant's keyring namespace) in `secrets`.
    pub fn new(secrets: Secrets, tenant: Option<(&str, &str)>, keyring_usable: bool) -> Self {
        Self {
            place: tenant.map(|(namespace, domain)| VaultPlace {
                secrets,
                namespace: namespace.to_owned(),
                domain: domain.to_owned(),
                keyring_usable,
            }),
            shown: Mutex::new(None),
            loaded: tokio::sync::OnceCell::new(),
        }
    }

    fn shown_slot(&self) -> MutexGuard<'_, Option<Shown>> {
        self.shown.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The tenant's vault for codes issued for `reason`; each of its calls runs off the
    /// async runtime (keyring calls block on D-Bus). `None` without a tenant.
    fn vault(&self, reason: IssuedFor) -> Option<AsyncVault> {
        let place = self.place.as_ref()?;
        Some(place.secrets.vault(&place.namespace, reason))
    }

    /// Stores a code in the keyring (falling back to memory only, never to a file) and
    /// remembers it for the export dialog. Only the signed-in person's own codes come here.
    pub async fn keep(&self, pending: PendingRecoveryCode) -> CommandResult<()> {
        let reason = pending.reason;
        debug_assert!(
            reason != IssuedFor::Helpdesk,
            "a caller's code stays in its session"
        );
        let vault = self
            .vault(reason)
            .ok_or(crate::command_error::AppError::NotConfigured)?;
        let stored = vault.keep(&pending).await;
        let keyring_usable = self.place.as_ref().is_some_and(|p| p.keyring_usable);
        let in_keyring = match stored {
            // Without a keyring the vault is the in-memory fallback: kept, but not safe.
            Ok(()) => keyring_usable,
            Err(error) => {
                tracing::warn!(code = %error.code(), "recovery code kept in memory only");
                false
            }
        };
        *self.shown_slot() = Some(Shown {
            pending,
            in_keyring,
        });
        Ok(())
    }

    /// The code the export dialog shows, if one is waiting for confirmation.
    pub fn shown(&self) -> Option<RecoveryCodeView> {
        let place = self.place.as_ref()?;
        let shown = self.shown_slot();
        let shown = shown.as_ref()?;
        Some(RecoveryCodeView::new(
            &shown.pending,
            &place.domain,
            shown.in_keyring,
        ))
    }

    /// Whether a code is on the screen (the window is then hidden from capture).
    pub fn is_showing(&self) -> bool {
        self.shown_slot().is_some()
    }

    /// Once per run: a code left unconfirmed by a crash or a closed window, from the keyring.
    /// Later calls return at once, so `app_state` never waits on D-Bus twice.
    pub async fn load_pending(&self) {
        self.loaded
            .get_or_init(async || {
                self.forget_callers_codes().await;
                self.load().await
            })
            .await;
    }

    /// Callers' codes an earlier version kept in the keyring: their helpdesk session is over,
    /// so they are deleted, never shown.
    async fn forget_callers_codes(&self) {
        let Some(vault) = self.vault(IssuedFor::Helpdesk) else {
            return;
        };
        let forgotten = async {
            for pending in vault.pending().await? {
                vault.confirm(&pending.account).await?;
            }
            Ok::<_, mfa_core::secret_store::StoreError>(())
        };
        if let Err(error) = forgotten.await {
            tracing::warn!(code = %error.code(), "callers' codes from an earlier run not removed");
        }
    }

    async fn load(&self) {
        let Some(vault) = self.vault(IssuedFor::Recovery) else {
            return;
        };
        let from_keyring = match vault.pending().await {
            Ok(mut codes) => codes.pop(),
            Err(error) => {
                tracing::warn!(code = %error.code(), "pending recovery codes unreadable");
                None
            }
        };
        let mut shown = self.shown_slot();
        if let (Some(pending), None) = (from_keyring, shown.as_ref()) {
            *shown = Some(Shown {
                pending,
                in_keyring: true,
            });
        }
    }

    /// Reads the code waiting for confirmation, for the clipboard or a file.
    pub fn with_shown<T>(&self, f: impl FnOnce(&PendingRecoveryCode) -> T) -> CommandResult<T> {
        let shown = self.shown_slot();
        let shown = shown.as_ref().ok_or(FlowError::NothingPending)?;
        Ok(f(&shown.pending))
    }

    /// The person confirmed they stored the code: it leaves the keyring, then memory.
    pub async fn confirm(&self) -> CommandResult<()> {
        let (account, reason) = self.with_shown(|p| (p.account.clone(), p.reason))?;
        if let Some(vault) = self.vault(reason) {
            vault.confirm(&account).await?;
        }
        *self.shown_slot() = None;
        Ok(())
    }

    /// The tenant's domain, for the saved file's wording.
    pub fn domain(&self) -> Option<&str> {
        self.place.as_ref().map(|p| p.domain.as_str())
    }
}
