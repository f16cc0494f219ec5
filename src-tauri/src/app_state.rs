//! The state the commands share, as the parts each service owns. `AppState` only holds them:
//! every part's fields are private to its service, so a command reaches the session, the
//! codes waiting for confirmation or the helpdesk session only through that service's rules.
//!
//! | part | owner | what it holds |
//! |---|---|---|
//! | `config` | `state.rs` (fixed at start) | tenant, sign-in mode, language, helpdesk contact |
//! | `session` | `service::session` | the signed-in MFA session (and the enrollment or challenge in progress, inside it), the push wait |
//! | `codes` | `service::recovery_code` | the recovery code waiting for "I saved it", and whether the keyring holds it |
//! | `browser` | `service::browser_sign_in` | the browser sign-in waiting for its callback, its deadline and cancellation |
//! | `helpdesk` | `service::helpdesk` | where the helpdesk service is, the agent's session (their sign-in, the open caller, the service's verification of them, a playbook in progress, a caller's code) |
//! | `demo` | `demo.rs` | the embedded local Auth0 and its control client |
//! | `keys` | `service::security_key` | the security key or passkey ceremony in progress |

use crate::demo::Demo;
use crate::service::browser_sign_in::BrowserSignIns;
use crate::service::helpdesk::Helpdesk;
use crate::service::recovery_code::RecoveryCodes;
use crate::service::security_key::SecurityKeys;
use crate::service::session::SignedInSession;
use crate::state::AppConfig;

pub struct AppState {
    pub config: AppConfig,
    pub demo: Option<Demo>,
    pub session: SignedInSession,
    pub codes: RecoveryCodes,
    pub browser: BrowserSignIns,
    /// Helpdesk mode, where IT named a helpdesk service (or the demo runs one).
    pub helpdesk: Option<Helpdesk>,
    pub keys: SecurityKeys,
}

impl AppState {
    /// Helpdesk mode, or why it is not offered here.
    pub fn desk(&self) -> crate::command_error::CommandResult<&Helpdesk> {
        self.helpdesk
            .as_ref()
            .ok_or_else(|| mfa_core::ErrorCode::HelpdeskNotConfigured.into())
    }
}
