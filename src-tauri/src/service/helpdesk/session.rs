//! A signed-in agent's helpdesk session: who they are and their client of the service, the
//! caller they have open, the service's verification of that caller, a push waiting for the
//! caller's answer, a playbook in progress and the recovery code issued for them. Dropped on
//! sign-out, at the idle or length limit, on a locked screen, or when the app ends; nothing
//! of it is written anywhere, so a caller's code dies with it.

use mfa_core::helpdesk::{CallerMethods, HelpdeskError, IdleTimer, Moment, VerificationMethod};
use mfa_core::helpdesk_service::{CallerProfile, ServiceClient, ServiceError};
use mfa_core::input::RecoveryCode;
use mfa_core::management::UserId;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use mfa_core::ErrorCode;

use super::agent::ServiceAgent;
use super::running::RunningPlaybook;
use crate::command_error::{AppError, CommandResult};
use crate::views::helpdesk::{
    CallerView, HelpdeskSessionView, PushMethod, VerificationView, VerifiedMethod,
};
use crate::views::now_secs;
use crate::views::RecoveryCodeView;

/// The caller the agent has open, as the service last described them.
pub(super) struct OpenCaller {
    pub profile: CallerProfile,
    /// The same methods, with what removing each takes and leaves (the core's rules).
    pub methods: CallerMethods,
}

impl OpenCaller {
    pub fn new(profile: CallerProfile) -> Self {
        let methods = CallerMethods::new(profile.methods.clone());
        Self { profile, methods }
    }

    pub fn id(&self) -> UserId {
        self.profile.user.id()
    }
}

/// How the service recorded that the agent checked who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedBy {
    Checklist(VerificationMethod),
    /// The caller approved a push on their own phone: the strongest.
    Push,
}

/// The service's verification of the open caller by this agent.
pub(super) struct Verified {
    pub id: String,
    pub caller: UserId,
    pub by: VerifiedBy,
    pub detail: Option<String>,
    pub reason: String,
    pub ticket: Option<String>,
    /// On the service's clock, in Unix milliseconds.
    pub expires_at_ms: i64,
}

impl Verified {
    pub fn view(&self) -> VerificationView {
        VerificationView {
            method: match self.by {
                VerifiedBy::Checklist(method) => VerifiedMethod::Checklist(method),
                VerifiedBy::Push => VerifiedMethod::Push(PushMethod::Push),
            },
            detail: self.detail.clone(),
            reason: self.reason.clone(),
            ticket: self.ticket.clone(),
            expires_at: u64::try_from(self.expires_at_ms / 1000).unwrap_or_default(),
        }
    }
}

/// A push sent to the caller's phone, not answered yet.
pub(super) struct PendingPush {
    pub id: String,
    pub caller: UserId,
    pub binding_message: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub expires_at_ms: i64,
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

    pub fn caller(&self) -> &UserId {
        &self.caller
    }

    pub fn pending(&self) -> &PendingRecoveryCode {
        &self.pending
    }

    /// The export dialog's view. Never in the keyring, on purpose: `stored_in_keyring` is
    /// false and the dialog does not warn about it for a caller's code.
    pub fn view(&self, tenant_domain: &str) -> RecoveryCodeView {
        RecoveryCodeView::new(&self.pending, tenant_domain, false)
    }
}

pub(super) struct HelpdeskSession {
    agent: ServiceAgent,
    pub client: ServiceClient,
    idle: IdleTimer,
    pub caller: Option<OpenCaller>,
    /// For the open caller only: opening another caller forgets it.
    pub verification: Option<Verified>,
    pub push: Option<PendingPush>,
    /// The stolen-phone playbook for the open caller, as far as it went.
    pub playbook: Option<RunningPlaybook>,
    /// The recovery code issued for a caller, until the agent confirms it was handed over.
    pub issued: Option<IssuedCode>,
}

impl HelpdeskSession {
    pub fn new(agent: ServiceAgent, client: ServiceClient, idle: IdleTimer) -> Self {
        Self {
            agent,
            client,
            idle,
            caller: None,
            verification: None,
            push: None,
            playbook: None,
            issued: None,
        }
    }

    pub fn agent(&self) -> &ServiceAgent {
        &self.agent
    }

    /// The same agent signed in again: the new token, everything else kept.
    pub fn renew(&mut self, agent: ServiceAgent, client: ServiceClient) {
        self.agent = agent;
        self.client = client;
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

    /// Opens `caller`; whatever belonged to another caller (verification, push, playbook)
    /// is forgotten.
    pub fn open(&mut self, caller: OpenCaller) {
        let id = caller.id();
        if self.verification.as_ref().is_some_and(|v| v.caller != id) {
            self.verification = None;
        }
        if self.push.as_ref().is_some_and(|p| p.caller != id) {
            self.push = None;
        }
        if self
            .playbook
            .as_ref()
            .is_some_and(|p| p.plan.caller_id != id.as_str())
        {
            self.playbook = None;
        }
        self.caller = Some(caller);
    }

    pub fn view(&self) -> HelpdeskSessionView {
        HelpdeskSessionView::new(
            self.agent.name(),
            self.idle_expires_at(),
            self.agent.expires_at(),
            |p| self.agent.has(p),
        )
    }

    /// When the session lapses without another action, in Unix seconds, for the screens.
    pub fn idle_expires_at(&self) -> u64 {
        now_secs() + self.idle.remaining(Moment::now()).as_secs()
    }

    pub fn caller_view(&self) -> CommandResult<CallerView> {
        let open = self.caller.as_ref().ok_or(AppError::CallerNotOpen)?;
        let verification = self
            .verification
            .as_ref()
            .filter(|v| v.caller == open.id())
            .map(Verified::view);
        let playbook = self
            .playbook
            .as_ref()
            .filter(|p| p.plan.caller_id == open.id().as_str())
            .map(|p| p.view(None));
        Ok(CallerView::new(
            &open.profile,
            &open.methods,
            verification,
            |p| self.agent.has(p),
            playbook,
            self.idle_expires_at(),
        ))
    }

    /// The open caller, when it is `user_id`; acting on anyone else is refused by name.
    pub fn open_caller(&self, user_id: &UserId) -> CommandResult<&OpenCaller> {
        self.caller
            .as_ref()
            .filter(|open| open.id() == *user_id)
            .ok_or_else(|| AppError::CallerNotOpen.into())
    }

    /// The service's verification of the open caller `user_id`, if it still holds.
    pub fn verification_of(&self, user_id: &UserId) -> CommandResult<&Verified> {
        self.open_caller(user_id)?;
        self.verification
            .as_ref()
            .filter(|v| v.caller == *user_id)
            .ok_or_else(|| HelpdeskError::CallerNotVerified.into())
    }

    /// The service's clock said the verification is over: the screen asks for a new one.
    pub fn forget_lapsed_verification(&mut self, error: &ServiceError) {
        if matches!(
            error.code(),
            ErrorCode::VerificationExpired | ErrorCode::CallerNotVerified
        ) {
            self.verification = None;
        }
    }

    /// Reads the open caller again after a change; `true` when that failed and the screen
    /// shows the methods from before.
    pub async fn reread(&mut self, user_id: &UserId) -> bool {
        match self.client.caller(user_id).await {
            Ok(profile) => {
                self.open(OpenCaller::new(profile));
                false
            }
            Err(error) => {
                tracing::warn!(code = %error.code(), "caller not read again after an action");
                true
            }
        }
    }

    /// A code the service issued for the open caller, bound to them in this session.
    pub fn issue(
        &self,
        user_id: &UserId,
        code: Option<RecoveryCode>,
    ) -> CommandResult<Option<IssuedCode>> {
        let Some(code) = code else { return Ok(None) };
        // Read again as a person's code would be: a malformed one is never shown to read out.
        let code = RecoveryCode::parse(code.expose()).map_err(|_| AppError::Internal)?;
        let caller = self.open_caller(user_id)?;
        let account = caller
            .profile
            .user
            .email
            .clone()
            .unwrap_or_else(|| caller.profile.user.user_id.clone());
        Ok(Some(IssuedCode::new(
            user_id.clone(),
            PendingRecoveryCode {
                account,
                code,
                issued_at: now_secs(),
                reason: IssuedFor::Helpdesk,
            },
        )))
    }

    /// Whether the session holds a caller's code not yet handed over.
    pub fn holds_code(&self) -> bool {
        self.issued.is_some()
    }
}
