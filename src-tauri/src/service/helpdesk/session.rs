//! An admitted agent's session: who they are, the helpdesk application's client, the caller
//! they have open, the verification recorded for that caller and the recovery code issued for
//! them. Dropped on sign-out, after fifteen idle minutes, or when the app ends; nothing of it
//! is written anywhere, so a caller's code dies with it.

use std::time::{Duration, Instant};

use mfa_core::helpdesk::{
    AgentIdentity, CallerMethods, CallerVerification, HelpdeskError, IdleTimer, Moment,
};
use mfa_core::management::{ManagementClient, User, UserId};
use mfa_core::secret_store::PendingRecoveryCode;

use crate::command_error::{AppError, CommandResult};
use crate::views::helpdesk::{CallerView, HelpdeskSessionView};
use crate::views::now_secs;
use crate::views::RecoveryCodeView;

/// How long the accounts a lookup returned stand in for reading one again when the agent
/// opens it: time to pick from the list, while a caller opened later is read afresh.
const FOUND_STAYS_FRESH: Duration = Duration::from_secs(60);

/// The caller the agent has open: their account and methods as last read.
pub(super) struct OpenCaller {
    pub user: User,
    pub methods: CallerMethods,
}

/// The code and the caller it was issued for.
pub(super) struct IssuedCode {
    caller: UserId,
    pending: PendingRecoveryCode,
}

impl IssuedCode {
    pub fn new(caller: UserId, pending: PendingRecoveryCode) -> Self {
        Self { caller, pending }
    }

    /// The export dialog's view. Never in the keyring, on purpose: `stored_in_keyring` is
    /// false and the dialog does not warn about it for a caller's code.
    pub fn caller(&self) -> &UserId {
        &self.caller
    }

    pub fn pending(&self) -> &PendingRecoveryCode {
        &self.pending
    }

    pub fn view(&self, tenant_domain: &str) -> RecoveryCodeView {
        RecoveryCodeView::new(&self.pending, tenant_domain, false)
    }
}

pub(super) struct HelpdeskSession {
    agent: AgentIdentity,
    pub client: ManagementClient,
    /// What Auth0 granted the helpdesk application, to say what it may not do.
    scopes: Vec<String>,
    idle: IdleTimer,
    pub caller: Option<OpenCaller>,
    /// For the open caller only: opening another caller forgets it.
    pub verification: Option<CallerVerification>,
    /// The accounts the last lookup returned, and when.
    found: Option<(Instant, Vec<User>)>,
    /// The recovery code issued for a caller, until the agent confirms it was handed over.
    pub issued: Option<IssuedCode>,
}

impl HelpdeskSession {
    pub fn new(
        agent: AgentIdentity,
        client: ManagementClient,
        scopes: Vec<String>,
        idle: IdleTimer,
    ) -> Self {
        Self {
            agent,
            client,
            scopes,
            idle,
            caller: None,
            verification: None,
            found: None,
            issued: None,
        }
    }

    pub fn agent(&self) -> &AgentIdentity {
        &self.agent
    }

    pub fn agent_email(&self) -> &str {
        self.agent.email()
    }

    pub fn is_live(&self) -> bool {
        !self.idle.is_expired(Moment::now())
    }

    /// Why the session is over, by the idle limit or its maximum length, if it is.
    pub fn lapsed(&self) -> Option<HelpdeskError> {
        self.idle.lapsed(Moment::now())
    }

    /// Counts an action as activity, unless the session already lapsed.
    pub fn touch(&mut self) -> Result<(), HelpdeskError> {
        self.idle.touch(Moment::now())
    }

    /// Remembers what a lookup returned, for opening one of them without reading it again.
    pub fn remember_found(&mut self, users: Vec<User>) {
        self.found = Some((Instant::now(), users));
    }

    /// The account `id` as the last lookup returned it, if that was moments ago.
    pub fn recently_found(&self, id: &UserId) -> Option<User> {
        let (at, users) = self.found.as_ref()?;
        if at.elapsed() >= FOUND_STAYS_FRESH {
            return None;
        }
        users.iter().find(|user| user.id() == *id).cloned()
    }

    pub fn view(&self) -> HelpdeskSessionView {
        HelpdeskSessionView::new(self.agent.email(), self.idle_expires_at(), &self.scopes)
    }

    /// When the session lapses without another action, in Unix seconds, for the screens.
    pub fn idle_expires_at(&self) -> u64 {
        now_secs() + self.idle.remaining(Moment::now()).as_secs()
    }

    pub fn caller_view(&self) -> CommandResult<CallerView> {
        let open = self.caller.as_ref().ok_or(AppError::CallerNotOpen)?;
        Ok(CallerView::new(
            &open.user,
            &open.methods,
            self.verification.as_ref(),
            &self.scopes,
            self.idle_expires_at(),
        ))
    }

    /// The open caller, when it is `user_id`; acting on anyone else is refused by name.
    pub fn open_caller(&self, user_id: &UserId) -> CommandResult<&OpenCaller> {
        self.caller
            .as_ref()
            .filter(|open| &open.user.id() == user_id)
            .ok_or_else(|| AppError::CallerNotOpen.into())
    }

    /// Whether the session holds a caller's code not yet handed over.
    pub fn holds_code(&self) -> bool {
        self.issued.is_some()
    }
}
