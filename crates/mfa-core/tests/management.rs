//! The Management client against the local Auth0 over real HTTP: every endpoint, the token
//! cache, the typed errors, and the faults a real network and a real Auth0 produce (429s, lost
//! answers, timeouts, a closed port).

mod support;

use std::time::Duration;

use auth0_emulator::demo::{
    CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_CLIENT_SECRET, ENROLLED, ENROLLED_RECOVERY_CODE,
    ENROLLED_USER_ID as ENROLLED_ID, HELPDESK_CLIENT_ID as HELPDESK,
    HELPDESK_CLIENT_SECRET as HELPDESK_SECRET, HELPDESK_READONLY_CLIENT_ID as READONLY,
    HELPDESK_READONLY_CLIENT_SECRET as READONLY_SECRET, PASSWORD, PUBLIC_CLIENT_ID,
};
use auth0_emulator::Fault;
use mfa_core::client::{SignInOutcome, Timeouts};
use mfa_core::management::input::parse_email;
use mfa_core::management::{
    CorrelationId, EnrollmentTicketRequest, ManagementClient, ManagementError, MethodId,
    MethodType, RetryPolicy, UserId,
};
use mfa_core::secret::{secret, ClientSecret, ExposeSecret};
use mfa_core::{Auth0Client, ErrorCode, TenantConfig};
use support::Auth0;

impl Auth0 {
    async fn fault(&self, fault: Fault) {
        self.control.add_fault(&fault).await.unwrap();
    }

    /// How many requests reached `path` (as sent, percent-encoding included).
    async fn requests_to(&self, path: &str) -> usize {
        let requests = self.control.requests().await.unwrap();
        requests.iter().filter(|r| r.path == path).count()
    }

    /// Signs in as `email` and answers the MFA challenge with the recovery `code`.
    async fn sign_in_with_recovery_code(&self, email: &str, code: &str) -> Result<(), ErrorCode> {
        let client = Auth0Client::new(self.tenant(PUBLIC_CLIENT_ID)).unwrap();
        let SignInOutcome::MfaRequired(required) =
            client.sign_in(email, &secret(PASSWORD)).await.unwrap()
        else {
            panic!("expected mfa_required")
        };
        let code = mfa_core::input::RecoveryCode::parse(code).unwrap();
        client
            .verify_recovery_code(&required.mfa_token, &code)
            .await
            .map(drop)
            .map_err(|e| e.code())
    }
}

/// `/api/v2/users/auth0%7C…` and what follows.
fn user_path(rest: &str) -> String {
    format!("/api/v2/users/{}{rest}", ENROLLED_ID.replace('|', "%7C"))
}

fn enrolled() -> UserId {
    UserId::parse(ENROLLED_ID).unwrap()
}

fn method(id: &str) -> MethodId {
    MethodId::parse(id).unwrap()
}

#[tokio::test]
async fn users_are_found_by_email_and_by_id() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let users = client
        .users_by_email(&parse_email(ENROLLED).unwrap())
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user_id, ENROLLED_ID);
    let user = client.user(&enrolled()).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(ENROLLED));
    let nobody = client
        .users_by_email(&parse_email("nobody@example.com").unwrap())
        .await
        .unwrap();
    assert!(nobody.is_empty());
    let missing = client
        .user(&UserId::parse("auth0|000000000000000000000000").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(missing, ManagementError::UserNotFound),
        "{missing:?}"
    );
}

#[tokio::test]
async fn methods_are_listed_typed_and_masked() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let methods = client.authentication_methods(&enrolled()).await.unwrap();
    let kinds: Vec<_> = methods.iter().filter_map(|m| m.kind.clone()).collect();
    assert!(kinds.contains(&MethodType::Totp), "{kinds:?}");
    assert!(kinds.contains(&MethodType::Phone), "{kinds:?}");
    let phone = methods
        .iter()
        .find(|m| m.kind == Some(MethodType::Phone))
        .unwrap();
    let masked = phone.phone_number.as_deref().unwrap();
    assert!(
        masked.ends_with("0123") && !masked.contains("555"),
        "{masked}"
    );
    assert!(phone.created_at.is_some());
    let one = client
        .authentication_method(&enrolled(), &method(&phone.id))
        .await
        .unwrap();
    assert_eq!(one.id, phone.id);
    let missing = client
        .authentication_method(&enrolled(), &method("totp|dev_DoesNotExist0000"))
        .await
        .unwrap_err();
    assert!(
        matches!(missing, ManagementError::MethodNotFound),
        "{missing:?}"
    );
}

#[tokio::test]
async fn the_token_is_fetched_once_and_reused() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    client.user(&enrolled()).await.unwrap();
    client.authentication_methods(&enrolled()).await.unwrap();
    client.user(&enrolled()).await.unwrap();
    assert_eq!(auth0.requests_to("/oauth/token").await, 1);
    let scopes = client.granted_scopes().await.unwrap();
    assert!(
        scopes.iter().any(|s| s == "delete:authentication_methods"),
        "{scopes:?}"
    );
}

#[tokio::test]
async fn a_removed_method_is_gone_and_the_change_carries_its_correlation_id() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let totp = client
        .authentication_methods(&enrolled())
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.kind == Some(MethodType::Totp))
        .unwrap();
    let correlation = CorrelationId::generate();
    client
        .delete_authentication_method(&enrolled(), &method(&totp.id), &correlation)
        .await
        .unwrap();
    let left = client.authentication_methods(&enrolled()).await.unwrap();
    assert!(left.iter().all(|m| m.id != totp.id));
    let again = client
        .delete_authentication_method(&enrolled(), &method(&totp.id), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(again, ManagementError::MethodNotFound),
        "{again:?}"
    );
    let sent = auth0.control.requests().await.unwrap();
    assert!(
        sent.iter()
            .any(|r| r.method == "DELETE"
                && r.correlation_id.as_deref() == Some(correlation.as_str())),
        "{sent:?}"
    );
    // Reads carry none.
    assert!(sent
        .iter()
        .filter(|r| r.method == "GET")
        .all(|r| r.correlation_id.is_none()));
}

#[tokio::test]
async fn a_reset_removes_every_method() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    client
        .delete_all_authentication_methods(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap();
    assert!(client
        .authentication_methods(&enrolled())
        .await
        .unwrap()
        .is_empty());
    client
        .delete_all_authenticators(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_regenerated_recovery_code_signs_in_and_the_old_one_does_not() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let code = client
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap();
    assert_eq!(code.expose().len(), 24);
    assert_ne!(code.expose(), ENROLLED_RECOVERY_CODE);
    assert_eq!(
        auth0
            .sign_in_with_recovery_code(ENROLLED, ENROLLED_RECOVERY_CODE)
            .await,
        Err(ErrorCode::WrongRecoveryCode)
    );
    auth0
        .sign_in_with_recovery_code(ENROLLED, code.expose())
        .await
        .unwrap();
}

#[tokio::test]
async fn enrollment_tickets_and_their_email() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let mut request = EnrollmentTicketRequest::new(enrolled());
    let ticket = client
        .create_enrollment_ticket(&request, &CorrelationId::generate())
        .await
        .unwrap();
    assert!(ticket
        .ticket_url
        .expose_secret()
        .ends_with(ticket.ticket_id.expose_secret()));
    assert!(!format!("{ticket:?}").contains(ticket.ticket_id.expose_secret()));
    let before = auth0.control.outbox().await.unwrap().len();
    request.send_mail = true;
    client
        .create_enrollment_ticket(&request, &CorrelationId::generate())
        .await
        .unwrap();
    assert_eq!(auth0.control.outbox().await.unwrap().len(), before + 1);
}

#[tokio::test]
async fn remembered_browsers_are_forgotten() {
    let auth0 = Auth0::start().await;
    auth0
        .helpdesk()
        .invalidate_remembered_browsers(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_wrong_secret_and_a_missing_scope_are_told_apart() {
    let auth0 = Auth0::start().await;
    let wrong = auth0.management(HELPDESK, "not-the-secret");
    let error = wrong.user(&enrolled()).await.unwrap_err();
    assert!(
        matches!(error, ManagementError::BadCredentials),
        "{error:?}"
    );

    let readonly = auth0.management(READONLY, READONLY_SECRET);
    readonly.user(&enrolled()).await.unwrap();
    let error = readonly
        .delete_all_authentication_methods(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    let ManagementError::InsufficientScope { scopes } = error else {
        panic!("{error:?}")
    };
    assert_eq!(scopes, ["delete:authentication_methods"]);
    let error = readonly
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ManagementError::InsufficientScope { scopes } if scopes == &["update:users"]),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_client_without_a_grant_is_not_allowed() {
    let auth0 = Auth0::start().await;
    // The desktop app's confidential client has the right secret but no grant for the
    // Management API.
    let app = auth0.management(CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_CLIENT_SECRET);
    let error = app.user(&enrolled()).await.unwrap_err();
    assert!(
        matches!(error, ManagementError::NotAllowed { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_read_is_retried_once_after_a_short_429() {
    let auth0 = Auth0::start().await;
    let path = user_path("");
    let client = auth0.helpdesk();
    client.user(&enrolled()).await.unwrap();
    // A 429 without a retry time: the client waits its default second and tries again.
    let body = r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached"}"#;
    auth0
        .fault(Fault::status(&path, 429).method("GET").with_body(body))
        .await;
    client.user(&enrolled()).await.unwrap();
    assert_eq!(auth0.requests_to(&path).await, 3);
}

#[tokio::test]
async fn a_long_rate_limit_is_reported_with_its_retry_time() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    client.user(&enrolled()).await.unwrap();
    let path = user_path("");
    auth0
        .fault(Fault::rate_limit(&path).method("GET").times(2))
        .await;
    let error = client.user(&enrolled()).await.unwrap_err();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let retry_at = error.retry_at().expect("a retry time");
    assert!(retry_at > now + 30, "{retry_at} vs {now}");
    assert_eq!(auth0.requests_to(&path).await, 2, "not retried");
}

#[tokio::test]
async fn a_recovery_code_regeneration_is_never_retried() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let path = user_path("/recovery-code-regeneration");
    auth0.fault(Fault::status(&path, 429)).await;
    let error = client
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ManagementError::RateLimited { .. }),
        "{error:?}"
    );
    assert_eq!(auth0.requests_to(&path).await, 1);
}

#[tokio::test]
async fn a_lost_answer_to_a_regeneration_is_its_own_error() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    let path = user_path("/recovery-code-regeneration");
    auth0
        .fault(Fault::drop_connection(&path).after_handling())
        .await;
    let error = client
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ManagementError::RecoveryCodeAnswerLost),
        "{error:?}"
    );
    assert!(error.outcome_unknown());
    assert_eq!(auth0.requests_to(&path).await, 1);
    // Auth0 did act: the old code is dead.
    assert_eq!(
        auth0
            .sign_in_with_recovery_code(ENROLLED, ENROLLED_RECOVERY_CODE)
            .await,
        Err(ErrorCode::WrongRecoveryCode)
    );
    // A mangled answer is the same loss.
    auth0.fault(Fault::malformed(&path).after_handling()).await;
    let error = client
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ManagementError::RecoveryCodeAnswerLost),
        "{error:?}"
    );
}

#[tokio::test]
async fn slow_answers_time_out() {
    let auth0 = Auth0::start().await;
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(500),
    };
    let client = auth0.management_with(HELPDESK, HELPDESK_SECRET, timeouts);
    client.user(&enrolled()).await.unwrap();
    auth0
        .fault(Fault::delay(&user_path(""), 2000).times(2))
        .await;
    let error = client.user(&enrolled()).await.unwrap_err();
    assert!(matches!(error, ManagementError::Timeout), "{error:?}");
    let error = client
        .regenerate_recovery_code(&enrolled(), &CorrelationId::generate())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ManagementError::RecoveryCodeAnswerLost),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_could_not_connect() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let tenant = TenantConfig::new(&format!("http://127.0.0.1:{port}"), HELPDESK).unwrap();
    let client = ManagementClient::new(
        &tenant,
        secret::<ClientSecret>(HELPDESK_SECRET),
        Timeouts::default(),
    )
    .unwrap()
    .with_retry_policy(RetryPolicy::none());
    let error = client.user(&enrolled()).await.unwrap_err();
    assert!(matches!(error, ManagementError::Connect(_)), "{error:?}");
}

#[tokio::test]
async fn an_expired_token_is_renewed_once() {
    let auth0 = Auth0::start().await;
    let client = auth0.helpdesk();
    client.user(&enrolled()).await.unwrap();
    // The tenant's clock moves past the token's expiry; the client's cache does not know.
    auth0.control.advance_clock(86_400 + 60).await.unwrap();
    client.user(&enrolled()).await.unwrap();
    assert_eq!(auth0.requests_to("/oauth/token").await, 2);
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    assert!(TenantConfig::new("http://acme.example.com", HELPDESK).is_err());
}
