//! Helpdesk mode's rules against the local Auth0 over real HTTP: an agent admitted from a
//! real sign-in with MFA, actions refused without the caller's verification (nothing sent,
//! nothing written), each action audited with the agent as operator and no secret, failed
//! actions changing nothing, the lost answer to a regeneration, and the lower-case lookup.

mod support;

use auth0_emulator::demo::{
    ENROLLED, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_CLIENT_ID,
    HELPDESK_CLIENT_SECRET, HELPDESK_READONLY_CLIENT_ID, HELPDESK_READONLY_CLIENT_SECRET,
    ONLY_RECOVERY, PASSWORD, PHONE_ONLY, PUBLIC_CLIENT_ID, PUSH_USER, PUSH_USER_RECOVERY_CODE,
};
use auth0_emulator::Fault;
use mfa_core::audit::{AuditAction, AuditLog, Outcome};
use mfa_core::client::SignInOutcome;
use mfa_core::helpdesk::{
    self, next_step, ActionDone, ActionKind, AgentIdentity, CallerMethods, CallerNextStep,
    CallerVerification, HelpdeskAction, HelpdeskError, Standing, VerificationMethod,
};
use mfa_core::input::{Email, OtpCode};
use mfa_core::management::{ManagementClient, MethodId, User};
use mfa_core::secret::secret;
use mfa_core::settings::{Agent, HelpdeskMode};
use mfa_core::{Auth0Client, ErrorCode};
use support::Auth0;

impl Auth0 {
    /// Signs `email` in with the password and their authenticator app: the tokens an
    /// agent's own sign-in yields.
    async fn signed_in_with_mfa(
        &self,
        email: &str,
        totp_secret: &str,
    ) -> mfa_core::model::TokenSet {
        let client = Auth0Client::new(self.tenant(PUBLIC_CLIENT_ID)).unwrap();
        let SignInOutcome::MfaRequired(required) =
            client.sign_in(email, &secret(PASSWORD)).await.unwrap()
        else {
            panic!("expected mfa_required")
        };
        let now = self.control.now().await.unwrap();
        let code = auth0_emulator::totp_code(totp_secret, now).unwrap();
        client
            .verify_otp(&required.mfa_token, &OtpCode::parse(&code).unwrap())
            .await
            .unwrap()
    }

    /// Requests that reached a path containing `part`.
    async fn requests_to(&self, part: &str) -> Vec<Option<String>> {
        self.control
            .requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.path.contains(part))
            .map(|r| r.correlation_id)
            .collect()
    }
}

fn demo_mode() -> HelpdeskMode {
    HelpdeskMode {
        management_client_id: HELPDESK_CLIENT_ID.into(),
        agents: vec![Agent::Email(HELPDESK_AGENT.into())],
        max_session: mfa_core::helpdesk::MAX_SESSION,
    }
}

async fn agent(auth0: &Auth0) -> AgentIdentity {
    let tokens = auth0
        .signed_in_with_mfa(HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET)
        .await;
    helpdesk::admit(&demo_mode(), &tokens).expect("the demo agent is admitted")
}

async fn user(client: &ManagementClient, email: &str) -> User {
    let found = helpdesk::find_callers(client, &Email::parse(email).unwrap())
        .await
        .unwrap();
    assert_eq!(found.users.len(), 1, "{email}");
    found.users.into_iter().next().unwrap()
}

fn verified(user: &User) -> CallerVerification {
    CallerVerification::record(
        &user.id(),
        VerificationMethod::CallbackDirectoryNumber,
        "",
        "lost phone",
        "INC-4242",
    )
    .unwrap()
}

#[tokio::test]
async fn agents_are_admitted_from_their_own_sign_in_only_when_listed() {
    let auth0 = Auth0::start().await;
    assert_eq!(agent(&auth0).await.email(), HELPDESK_AGENT);
    let employee = auth0
        .signed_in_with_mfa(ENROLLED, auth0_emulator::demo::ENROLLED_TOTP_SECRET)
        .await;
    assert!(matches!(
        helpdesk::admit(&demo_mode(), &employee),
        Err(HelpdeskError::NotAnAgent)
    ));
}

#[tokio::test]
async fn an_action_needs_this_callers_verification_and_is_audited_without_secrets() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let client = auth0.helpdesk();
    let agent = agent(&auth0).await;
    let caller = user(&client, PUSH_USER).await;
    let someone_else = user(&client, PHONE_ONLY).await;

    // Verifying someone else does not cover this caller: refused, nothing sent or written.
    let refused = helpdesk::perform(
        &client,
        &log,
        &agent,
        &verified(&someone_else),
        &caller,
        &HelpdeskAction::IssueRecoveryCode,
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CallerNotVerified);
    assert!(auth0
        .requests_to("recovery-code-regeneration")
        .await
        .is_empty());
    assert!(log.read().unwrap().entries.is_empty());

    let performed = helpdesk::perform(
        &client,
        &log,
        &agent,
        &verified(&caller),
        &caller,
        &HelpdeskAction::IssueRecoveryCode,
    )
    .await
    .unwrap();
    let ActionDone::RecoveryCode(code) = performed.done else {
        panic!("no code")
    };
    let tenant_code = auth0.control.recovery_code(PUSH_USER).await.unwrap();
    assert_eq!(Some(code.expose()), tenant_code.as_deref());
    assert_ne!(code.expose(), PUSH_USER_RECOVERY_CODE);
    assert!(performed.audit_error.is_none());

    let sent = auth0.requests_to("recovery-code-regeneration").await;
    assert_eq!(
        sent,
        [Some(performed.correlation_id.to_string())],
        "sent once, correlated"
    );
    let entries = log.read().unwrap().entries;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.operator.as_str(), HELPDESK_AGENT);
    assert_eq!(entry.action, AuditAction::RegenerateRecoveryCode);
    assert_eq!(entry.user_email.as_deref(), Some(PUSH_USER));
    assert_eq!(entry.reason.as_str(), "lost phone");
    assert_eq!(entry.ticket.as_ref().unwrap().as_str(), "INC-4242");
    assert_eq!(
        entry.verified_by.as_ref().unwrap().as_str(),
        "callback_directory_number"
    );
    assert_eq!(entry.outcome, Outcome::Ok);
    assert_eq!(entry.correlation_id, performed.correlation_id);
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(
        !text.contains(code.expose()),
        "the code is in the audit log"
    );
    assert!(!text.contains(HELPDESK_CLIENT_SECRET));
    assert!(!text.contains("eyJ"), "a token is in the audit log");
}

#[tokio::test]
async fn a_failed_action_changes_nothing_and_is_audited_as_failed() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let agent = agent(&auth0).await;
    let read_only = auth0.management(HELPDESK_READONLY_CLIENT_ID, HELPDESK_READONLY_CLIENT_SECRET);
    let caller = user(&read_only, PHONE_ONLY).await;
    let before = read_only
        .authentication_methods(&caller.id())
        .await
        .unwrap();
    let phone = MethodId::parse(&before[0].id).unwrap();

    let error = helpdesk::perform(
        &read_only,
        &log,
        &agent,
        &verified(&caller),
        &caller,
        &HelpdeskAction::RemoveMethod(phone),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::MissingScope);
    assert_eq!(error.missing_scopes(), ["delete:authentication_methods"]);
    let after = read_only
        .authentication_methods(&caller.id())
        .await
        .unwrap();
    assert_eq!(after, before, "a refused removal changed the methods");
    let entries = log.read().unwrap().entries;
    assert_eq!(
        entries[0].outcome,
        Outcome::Error {
            error: ErrorCode::MissingScope
        }
    );
    assert_eq!(
        entries[0].method_id.as_ref().unwrap().as_str(),
        before[0].id
    );
}

#[tokio::test]
async fn a_lost_answer_to_a_regeneration_is_reported_and_not_retried() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let client = auth0.helpdesk();
    let agent = agent(&auth0).await;
    let caller = user(&client, ONLY_RECOVERY).await;
    let path = format!(
        "/api/v2/users/{}/recovery-code-regeneration",
        caller.user_id.replace('|', "%7C")
    );
    auth0
        .control
        .add_fault(&Fault::drop_connection(&path).after_handling())
        .await
        .unwrap();
    let error = helpdesk::perform(
        &client,
        &log,
        &agent,
        &verified(&caller),
        &caller,
        &HelpdeskAction::IssueRecoveryCode,
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::RecoveryCodeAnswerLost);
    assert_eq!(
        auth0.requests_to("recovery-code-regeneration").await.len(),
        1
    );
    assert_eq!(
        log.read().unwrap().entries[0].outcome,
        Outcome::Error {
            error: ErrorCode::RecoveryCodeAnswerLost
        }
    );
}

#[tokio::test]
async fn a_reset_needs_the_typed_email_and_leaves_the_caller_to_enroll_afresh() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let client = auth0.helpdesk();
    let agent = agent(&auth0).await;
    let caller = user(&client, PUSH_USER).await;
    let methods = CallerMethods::new(client.authentication_methods(&caller.id()).await.unwrap());
    assert_eq!(methods.standing(), Standing::HoldsFactors);

    let wrong = HelpdeskAction::ResetAll {
        confirmation: "push.user@example.org".into(),
    };
    let error = helpdesk::perform(&client, &log, &agent, &verified(&caller), &caller, &wrong)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::ResetConfirmationMismatch);
    assert!(log.read().unwrap().entries.is_empty(), "nothing was done");

    let reset = HelpdeskAction::ResetAll {
        confirmation: "Push.User@example.com".into(),
    };
    helpdesk::perform(&client, &log, &agent, &verified(&caller), &caller, &reset)
        .await
        .unwrap();
    let after = CallerMethods::new(client.authentication_methods(&caller.id()).await.unwrap());
    assert_eq!(after.standing(), Standing::NoMethods);
    assert_eq!(
        next_step(ActionKind::ResetAll, after.standing()),
        CallerNextStep::SetUpAtNextSignIn
    );
}

#[tokio::test]
async fn an_action_that_cannot_be_audited_is_not_taken() {
    let auth0 = Auth0::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "").unwrap();
    let log = AuditLog::at(dir.path().join("file/audit.jsonl"));
    let client = auth0.helpdesk();
    let agent = agent(&auth0).await;
    let caller = user(&client, PUSH_USER).await;
    let error = helpdesk::perform(
        &client,
        &log,
        &agent,
        &verified(&caller),
        &caller,
        &HelpdeskAction::ForgetBrowsers,
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::AuditLogUnwritable);
    assert!(auth0
        .requests_to("invalidate-remember-browser")
        .await
        .is_empty());
}

#[tokio::test]
async fn an_email_is_looked_up_as_typed_then_lower_cased() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let exact = helpdesk::find_callers(&client, &Email::parse(PUSH_USER).unwrap())
        .await
        .unwrap();
    assert_eq!(exact.users.len(), 1);
    assert!(!exact.matched_lower_case);
    let typed = Email::parse("Push.User@EXAMPLE.com").unwrap();
    let lowered = helpdesk::find_callers(&client, &typed).await.unwrap();
    assert_eq!(lowered.users.len(), 1);
    assert!(lowered.matched_lower_case);
    let emails: Vec<_> = auth0
        .control
        .requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.path.ends_with("users-by-email"))
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(emails.len(), 3, "{emails:?}");
    let nobody = helpdesk::find_callers(&client, &Email::parse("nobody@example.com").unwrap())
        .await
        .unwrap();
    assert!(nobody.users.is_empty());
}
