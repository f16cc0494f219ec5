//! An admitted agent's session: who they are, the helpdesk application's client, the caller
//! they have open and the verification recorded for that caller. Dropped on sign-out, after
//! fifteen idle minutes, or when the app ends; nothing of it is written anywhere.

use std::time::{Duration, Instant};

use mfa_core::helpdesk::{AgentIdentity, CallerMethods, CallerVerification, HelpdeskError, IdleTimer};
use mfa_core::management::{ManagementClient, User, UserId};

use crate::command_error::{AppError, CommandResult};
use crate::views::helpdesk::{CallerView, HelpdeskSessionView};
use crate::views::now_secs;

/// How long the accounts a lookup returned stand in for reading one again when the agent
/// opens it: time to pick from the list, while a caller opened later is read afresh.
const FOUND_STAYS_FRESH: Duration = Duration::from_secs(60);

/// The caller the agent has open: their account and methods as last read.
pub(super) struct OpenCaller {
    pub user: User,
    pub methods: CallerMethods,
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
        }
    }

    pub fn agent(&self) -> &AgentIdentity {
        &self.agent
    }

    pub fn agent_email(&self) -> &str {
        self.agent.email()
    }

    pub fn is_live(&self) -> bool {
        !self.idle.is_expired(Instant::now())
    }

    /// Counts an action as activity, unless the session already lapsed.
    pub fn touch(&mut self) -> Result<(), HelpdeskError> {
        self.idle.touch(Instant::now())
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
        now_secs() + self.idle.remaining(Instant::now()).as_secs()
    }

    pub fn caller_view(&self) -> CommandResult<CallerView> {
        let open = self.caller.as_ref().ok_or(AppError::Internal)?;
        Ok(CallerView::new(
            &open.user,
            &open.methods,
            self.verification.as_ref(),
            &self.scopes,
            self.idle_expires_at(),
        ))
    }

    /// The open caller, when it is `user_id`.
    pub fn open_caller(&self, user_id: &UserId) -> CommandResult<&OpenCaller> {
        self.caller
            .as_ref()
            .filter(|open| &open.user.id() == user_id)
            .ok_or_else(|| AppError::Internal.into())
    }
}
