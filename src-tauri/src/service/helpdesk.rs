//! Helpdesk mode in the app: the agent's session (admitted after their own MFA sign-in, ended
//! after fifteen idle minutes), the helpdesk application's secret (keyring only, pasted once
//! by IT), the caller the agent has open and the verification recorded for them, and each
//! action with its audit line. The rules themselves are `mfa_core::helpdesk`'s; this module
//! holds what the desktop app adds: where the state lives, the keyring off the async runtime,
//! and what the webview is given.

use std::time::{Duration, Instant};

use mfa_core::audit::{AuditLog, AuditRecords};
use mfa_core::helpdesk::{
    self, next_step, ActionDone, AgentIdentity, CallerMethods, CallerVerification, HelpdeskAction,
    HelpdeskError, IdleTimer, VerificationMethod,
};
use mfa_core::management::input::parse_email;
use mfa_core::management::{credentials, ManagementClient, MethodId, User, UserId};
use mfa_core::secret::{ExposeSecret, SecretString};
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode, RecoveryCodeVault};
use mfa_core::settings::{Agent, HelpdeskMode};
use mfa_core::{ErrorCode, TenantConfig};
use tauri::{AppHandle, Runtime};

use super::{blocking, recovery_code, screen_guard};
use crate::command_error::{AppError, CommandError, CommandResult};
use crate::state::AppState;
use crate::views::helpdesk::{
    ActionOutcomeView, CallerSummaryView, CallerView, HelpdeskSessionView, HelpdeskStatusView,
    HistoryView,
};
use crate::views::now_secs;

/// A pasted secret longer than this is not a client secret (Auth0's are 64 characters).
const MAX_SECRET_LEN: usize = 512;

/// How long the accounts a lookup returned stand in for reading one again when the agent
/// opens it: time to pick from the list, while a caller opened later is read afresh.
const FOUND_STAYS_FRESH: Duration = Duration::from_secs(60);

impl From<HelpdeskError> for CommandError {
    fn from(error: HelpdeskError) -> Self {
        tracing::info!(code = %error.code(), "helpdesk action refused or failed");
        let scopes = error.missing_scopes().to_vec();
        let mut command_error = CommandError::with_retry(error.code(), error.retry_at());
        command_error.missing_scopes = scopes;
        command_error
    }
}

/// How helpdesk mode is set up on this computer.
pub struct HelpdeskSetup {
    pub mode: HelpdeskMode,
    secret: SecretSource,
}

enum SecretSource {
    /// The demo tenant's helpdesk application, whose secret is public.
    Demo,
    /// The OS keyring entry `<domain>/helpdesk-client-secret`, put there by IT.
    Keyring,
}

impl HelpdeskSetup {
    /// IT's `helpdesk` section.
    pub fn managed(mode: HelpdeskMode) -> Self {
        Self {
            mode,
            secret: SecretSource::Keyring,
        }
    }

    /// The demo tenant's helpdesk application and agent.
    pub fn demo() -> Self {
        use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_CLIENT_ID};
        Self {
            mode: HelpdeskMode {
                management_client_id: HELPDESK_CLIENT_ID.into(),
                agents: vec![Agent::Email(HELPDESK_AGENT.into())],
            },
            secret: SecretSource::Demo,
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.secret, SecretSource::Demo)
    }
}

/// The caller the agent has open: their account and methods as last read.
struct OpenCaller {
    user: User,
    methods: CallerMethods,
}

/// An admitted agent's session. Dropped on sign-out, after fifteen idle minutes, or when
/// the app ends; nothing of it is written anywhere.
pub struct HelpdeskSession {
    agent: AgentIdentity,
    client: ManagementClient,
    /// What Auth0 granted the helpdesk application, to say what it may not do.
    scopes: Vec<String>,
    idle: IdleTimer,
    caller: Option<OpenCaller>,
    /// For the open caller only: opening another caller forgets it.
    verification: Option<CallerVerification>,
    /// The accounts the last lookup returned, and when.
    found: Option<(Instant, Vec<User>)>,
}

impl HelpdeskSession {
    /// The account `id` as the last lookup returned it, if that was moments ago.
    fn recently_found(&self, id: &UserId) -> Option<User> {
        let (at, users) = self.found.as_ref()?;
        if at.elapsed() >= FOUND_STAYS_FRESH {
            return None;
        }
        users.iter().find(|user| user.id() == *id).cloned()
    }

    fn view(&self) -> HelpdeskSessionView {
        HelpdeskSessionView::new(self.agent.email(), self.idle_expires_at(), &self.scopes)
    }

    /// When the session lapses without another action, in Unix seconds, for the screens.
    fn idle_expires_at(&self) -> u64 {
        now_secs() + self.idle.remaining(Instant::now()).as_secs()
    }

    fn caller_view(&self) -> CommandResult<CallerView> {
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
    fn open_caller(&self, user_id: &UserId) -> CommandResult<&OpenCaller> {
        self.caller
            .as_ref()
            .filter(|open| &open.user.id() == user_id)
            .ok_or_else(|| AppError::Internal.into())
    }
}

fn setup(state: &AppState) -> CommandResult<&HelpdeskSetup> {
    state
        .helpdesk_setup
        .as_ref()
        .ok_or_else(|| ErrorCode::HelpdeskNotConfigured.into())
}

/// The keyring entry of the helpdesk application's secret for this tenant.
fn secret_entry(state: &AppState) -> CommandResult<String> {
    Ok(credentials::keyring_entry(&state.tenant()?.domain))
}

/// The helpdesk application's secret, if this computer has it (read on a blocking thread).
async fn read_secret(state: &AppState) -> CommandResult<Option<SecretString>> {
    if setup(state)?.is_demo() {
        return Ok(Some(SecretString::from(
            auth0_emulator::demo::HELPDESK_CLIENT_SECRET.to_owned(),
        )));
    }
    let entry = secret_entry(state)?;
    let store = state.store.clone();
    Ok(blocking(move || store.get(&entry)).await?)
}

/// A Management API client for the helpdesk application, on the app's HTTP client.
fn management_client(state: &AppState, secret: SecretString) -> CommandResult<ManagementClient> {
    let tenant = state.tenant()?;
    let config = TenantConfig::new(
        tenant.client.config().base_url.as_str(),
        setup(state)?.mode.management_client_id.clone(),
    )
    .map_err(|_| ErrorCode::HelpdeskNotConfigured)?;
    Ok(ManagementClient::with_http(
        tenant.client.http().clone(),
        &config,
        secret,
    ))
}

// ---- the entry screen ------------------------------------------------------------------------

/// Whether helpdesk mode is on, whether this computer has its secret, and the agent signed in.
pub async fn status(state: &AppState) -> CommandResult<HelpdeskStatusView> {
    let demo = setup(state)?.is_demo();
    let secret_stored = read_secret(state).await?.is_some();
    let (agent, idle_expires_at) = match state.helpdesk_session.lock().await.as_ref() {
        Some(session) if !session.idle.is_expired(Instant::now()) => (
            Some(session.agent.email().to_owned()),
            Some(session.idle_expires_at()),
        ),
        _ => (None, None),
    };
    Ok(HelpdeskStatusView {
        demo,
        secret_stored,
        agent,
        idle_expires_at,
    })
}

/// IT pastes the helpdesk application's secret once. It is tried against the tenant first
/// (a refused secret is not kept), then written to the keyring only: never to a file, never
/// shown again, never sent to the webview.
pub async fn store_secret(state: &AppState, pasted: SecretString) -> CommandResult<()> {
    if setup(state)?.is_demo() {
        return Err(AppError::NotOffered.into());
    }
    let text = pasted.expose_secret().trim();
    if text.is_empty() {
        return Err(ErrorCode::InputEmpty.into());
    }
    if text.chars().count() > MAX_SECRET_LEN {
        return Err(ErrorCode::InputTooLong.into());
    }
    if text.chars().any(char::is_control) {
        return Err(ErrorCode::InputControlCharacters.into());
    }
    let secret = SecretString::from(text.to_owned());
    drop(pasted);
    let client = management_client(state, secret.clone())?;
    client.granted_scopes().await.map_err(HelpdeskError::from)?;
    let entry = secret_entry(state)?;
    let store = state.store.clone();
    blocking(move || store.set(&entry, &secret)).await?;
    tracing::info!("helpdesk application secret stored in the keyring");
    Ok(())
}

// ---- the agent's session ---------------------------------------------------------------------

/// After the agent's own sign-in and MFA: admits them (the ID token's verified email against
/// IT's list), connects the helpdesk application, and shows first any code an earlier session
/// issued and did not see handed over. The agent's own MFA session is used up either way:
/// helpdesk mode needs nothing from it but who they are.
pub async fn begin<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> CommandResult<HelpdeskSessionView> {
    let mode = &setup(state)?.mode;
    let signed_in = state.session.lock().await.take();
    state.wizard().end_enrollment();
    let signed_in = signed_in.ok_or(AppError::NotSignedIn)?;
    let tokens = signed_in.tokens().ok_or(AppError::NotSignedIn)?;
    let agent = helpdesk::admit(mode, tokens)?;
    drop(signed_in);
    let secret = read_secret(state)
        .await?
        .ok_or(ErrorCode::HelpdeskSecretMissing)?;
    let client = management_client(state, secret)?;
    let scopes = client.granted_scopes().await.map_err(HelpdeskError::from)?;
    tracing::info!(agent = agent.email(), "helpdesk session started");
    let session = HelpdeskSession {
        agent,
        client,
        scopes,
        idle: IdleTimer::started(Instant::now()),
        caller: None,
        verification: None,
        found: None,
    };
    let mut view = session.view();
    *state.helpdesk_session.lock().await = Some(session);
    load_pending_codes(state).await;
    view.pending_recovery_code =
        recovery_code::shown(state).filter(|code| code.reason == IssuedFor::Helpdesk);
    screen_guard::guard_screen(app, state);
    Ok(view)
}

/// A code issued for a caller but not confirmed as handed over (the app died, or the session
/// lapsed, while it showed): back in memory for the export dialog, unless another code is.
async fn load_pending_codes(state: &AppState) {
    let Ok(tenant) = state.tenant() else { return };
    let (store, namespace) = (state.store.clone(), tenant.keyring_namespace.clone());
    let pending =
        blocking(move || RecoveryCodeVault::for_helpdesk(store.as_ref(), &namespace).pending())
            .await;
    match pending {
        Ok(mut codes) => {
            let mut wizard = state.wizard();
            if let (Some(code), None) = (codes.pop(), &wizard.recovery_code) {
                wizard.recovery_code = Some(code);
                wizard.recovery_code_in_keyring = true;
            }
        }
        Err(error) => tracing::warn!(code = %error.code(), "pending helpdesk codes unreadable"),
    }
}

/// Ends the helpdesk session (and any MFA session left over).
pub async fn end(state: &AppState) {
    if let Some(session) = state.helpdesk_session.lock().await.take() {
        tracing::info!(agent = session.agent.email(), "helpdesk session ended");
    }
    state.session.lock().await.take();
}

/// Runs `f` on the live session, counting it as activity. A session idle for fifteen minutes
/// is dropped here, whatever the screen shows.
async fn with_session<T>(
    state: &AppState,
    f: impl AsyncFnOnce(&mut HelpdeskSession) -> CommandResult<T>,
) -> CommandResult<T> {
    let mut guard = state.helpdesk_session.lock().await;
    let session = guard.as_mut().ok_or(AppError::NotSignedIn)?;
    if let Err(expired) = session.idle.touch(Instant::now()) {
        tracing::info!(agent = session.agent.email(), "helpdesk session lapsed");
        *guard = None;
        return Err(expired.into());
    }
    f(session).await
}

// ---- the caller ------------------------------------------------------------------------------

/// Users with this email: as typed, then lower-cased. Checked before anything is sent.
pub async fn find(state: &AppState, email: &str) -> CommandResult<Vec<CallerSummaryView>> {
    let email = parse_email(email).map_err(HelpdeskError::from)?;
    with_session(state, async |session| {
        let found = helpdesk::find_callers(&session.client, &email)
            .await
            .map_err(HelpdeskError::from)?;
        let results = found
            .users
            .iter()
            .map(|user| CallerSummaryView::new(user, found.matched_lower_case))
            .collect();
        session.found = Some((Instant::now(), found.users));
        Ok(results)
    })
    .await
}

/// Opens a caller: their methods read afresh, and their account as a lookup returned it
/// moments ago or read afresh too. A verification recorded for someone else does not carry
/// over.
pub async fn open(state: &AppState, user_id: &str) -> CommandResult<CallerView> {
    let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
    with_session(state, async |session| {
        let user = match session.recently_found(&user_id) {
            Some(user) => user,
            None => session
                .client
                .user(&user_id)
                .await
                .map_err(HelpdeskError::from)?,
        };
        let methods = session
            .client
            .authentication_methods(&user_id)
            .await
            .map_err(HelpdeskError::from)?;
        if !session
            .verification
            .as_ref()
            .is_some_and(|v| v.covers(&user_id))
        {
            session.verification = None;
        }
        session.caller = Some(OpenCaller {
            user,
            methods: CallerMethods::new(methods),
        });
        session.caller_view()
    })
    .await
}

/// The agent's record of how they verified the open caller.
pub struct VerificationForm {
    pub method: VerificationMethod,
    pub detail: String,
    pub reason: String,
    pub ticket: String,
}

pub async fn verify(
    state: &AppState,
    user_id: &str,
    form: VerificationForm,
) -> CommandResult<CallerView> {
    let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
    with_session(state, async |session| {
        session.open_caller(&user_id)?;
        let verification = CallerVerification::record(
            &user_id,
            form.method,
            &form.detail,
            &form.reason,
            &form.ticket,
        )?;
        session.verification = Some(verification);
        session.caller_view()
    })
    .await
}

// ---- actions ---------------------------------------------------------------------------------

/// What the agent asked for, as the webview sends it.
pub enum ActionRequest {
    RemoveMethod { method_id: String },
    ResetAll { confirmation: String },
    IssueRecoveryCode,
    SendEnrollmentTicket { locale: Option<String> },
    ForgetBrowsers,
}

impl ActionRequest {
    fn into_action(self) -> Result<HelpdeskAction, HelpdeskError> {
        Ok(match self {
            Self::RemoveMethod { method_id } => {
                HelpdeskAction::RemoveMethod(MethodId::parse(&method_id)?)
            }
            Self::ResetAll { confirmation } => HelpdeskAction::ResetAll { confirmation },
            Self::IssueRecoveryCode => HelpdeskAction::IssueRecoveryCode,
            Self::SendEnrollmentTicket { locale } => HelpdeskAction::SendEnrollmentTicket {
                // Only the languages the app speaks; anything else leaves it to the tenant.
                locale: locale.filter(|l| mfa_core::settings::LANGUAGES.contains(&l.as_str())),
            },
            Self::ForgetBrowsers => HelpdeskAction::ForgetBrowsers,
        })
    }
}

/// Performs an action on the open, verified caller, then reads their methods again and says
/// what the caller should do next. A new recovery code goes to the keyring before it is shown.
pub async fn act<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    user_id: &str,
    request: ActionRequest,
) -> CommandResult<ActionOutcomeView> {
    let user_id = UserId::parse(user_id).map_err(HelpdeskError::from)?;
    let action = request.into_action()?;
    let log = AuditLog::in_data_dir().map_err(HelpdeskError::from)?;
    let ((done, account), mut outcome) = with_session(state, async |session| {
        let caller = session.open_caller(&user_id)?;
        // Checked here too (and again in the core): the webview's disabled button is a
        // courtesy, this is the rule.
        let verification = session
            .verification
            .as_ref()
            .ok_or(HelpdeskError::CallerNotVerified)?;
        let performed = helpdesk::perform(
            &session.client,
            &log,
            &session.agent,
            verification,
            &caller.user,
            &action,
        )
        .await?;
        let stale = match session.client.authentication_methods(&user_id).await {
            Ok(methods) => {
                if let Some(open) = session.caller.as_mut() {
                    open.methods = CallerMethods::new(methods);
                }
                false
            }
            Err(error) => {
                tracing::warn!(code = %error.code(), "methods not read again after an action");
                true
            }
        };
        let open = session.caller.as_ref().ok_or(AppError::Internal)?;
        let outcome = ActionOutcomeView {
            action: action.kind(),
            next_step: next_step(action.kind(), open.methods.standing()),
            caller: session.caller_view()?,
            methods_stale: stale,
            audit_written: performed.audit_error.is_none(),
            correlation_id: performed.correlation_id.to_string(),
            recovery_code: None,
        };
        let account = open
            .user
            .email
            .clone()
            .unwrap_or_else(|| open.user.user_id.clone());
        Ok(((performed.done, account), outcome))
    })
    .await?;
    if let ActionDone::RecoveryCode(code) = done {
        let pending = PendingRecoveryCode {
            account,
            code,
            issued_at: now_secs(),
            reason: IssuedFor::Helpdesk,
        };
        recovery_code::keep(state, pending).await?;
        screen_guard::guard_screen(app, state);
        outcome.recovery_code = recovery_code::shown(state);
    }
    Ok(outcome)
}

// ---- history ---------------------------------------------------------------------------------

/// The audit log, newest first, optionally only about one user (id or email).
pub async fn history(state: &AppState, user: Option<String>) -> CommandResult<HistoryView> {
    let records = read_history(state, user).await?;
    Ok(HistoryView::new(records))
}

/// The entries (oldest first) about `user`, for the screen or the CSV file.
pub async fn read_history(state: &AppState, user: Option<String>) -> CommandResult<AuditRecords> {
    with_session(state, async |_| Ok(())).await?;
    let user = user.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    let log = AuditLog::in_data_dir().map_err(HelpdeskError::from)?;
    let records = blocking(move || match user {
        Some(user) => log.read_for_user(&user),
        None => log.read(),
    })
    .await
    .map_err(HelpdeskError::from)?;
    Ok(records)
}

/// Today's date (UTC), `2026-03-01`, for file names.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_setup_admits_the_demo_agent_only() {
        let demo = HelpdeskSetup::demo();
        assert!(demo.is_demo());
        assert!(demo.mode.admits("Helpdesk@Example.com"));
        assert!(!demo.mode.admits("enrolled@example.com"));
        assert_eq!(demo.mode.management_client_id, "mfa-desk-helpdesk");
    }

    #[test]
    fn unknown_ticket_languages_are_left_to_the_tenant() {
        let ticket = |locale: &str| match (ActionRequest::SendEnrollmentTicket {
            locale: Some(locale.into()),
        })
        .into_action()
        .unwrap()
        {
            HelpdeskAction::SendEnrollmentTicket { locale } => locale,
            _ => unreachable!(),
        };
        assert_eq!(ticket("fr").as_deref(), Some("fr"));
        assert_eq!(ticket("de"), None);
        assert!(matches!(
            (ActionRequest::RemoveMethod {
                method_id: "nope".into()
            })
            .into_action(),
            Err(HelpdeskError::Input(_))
        ));
    }
}
