//! Every MFA flow end to end over real HTTP against the local Auth0, with the number of
//! requests each one costs.

mod support;

use auth0_emulator::control_api::Channel;
use mfa_core::flow::{
    CancellationToken, EnrollRequest, MfaSession, NextStep, PushPolling, PushStatus,
};
use mfa_core::input::{Email, PhoneNumber};
use mfa_core::model::FactorKind;
use mfa_core::secret::ExposeSecret;
use support::*;

fn kinds(session: &MfaSession) -> Vec<(FactorKind, bool)> {
    let mut kinds: Vec<_> = session
        .authenticators()
        .iter()
        .map(|a| (a.kind(), a.active))
        .collect();
    kinds.sort_by_key(|(k, _)| k.as_str());
    kinds
}

#[tokio::test]
async fn a_new_user_enrolls_an_authenticator_app_in_two_requests() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    assert_eq!(session.next_step(), NextStep::Enroll);

    auth0.reset_stats().await;
    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let otp = started.otp.expect("secret and QR code");
    assert_eq!(otp.secret.expose_secret().len(), 32);
    assert_eq!(otp.grouped_secret().len(), 8);
    assert!(otp
        .barcode_uri
        .expose_secret()
        .starts_with("otpauth://totp/MFA%20Desk%20Demo:"));
    let recovery = started
        .recovery_code
        .expect("first enrollment returns a recovery code");
    assert_eq!(recovery.expose().len(), 24);

    // A code typed the way people paste it.
    let code = auth0.totp(otp.secret.expose_secret()).await;
    session
        .confirm(&client, &format!("{} {}", &code[..3], &code[3..]))
        .await
        .unwrap();
    assert_eq!(
        auth0.stats().await,
        (2, 0),
        "associate + mfa-otp, on the connection already open"
    );
    assert_eq!(session.next_step(), NextStep::Done);
    let tokens = session.tokens().unwrap();
    assert!(tokens.has_scope("remove:authenticators"));
    assert!(
        tokens.refresh_token.is_none(),
        "no long-lived token is asked for (no offline_access)"
    );

    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(
        kinds(&session),
        [(FactorKind::Otp, true), (FactorKind::RecoveryCode, true)]
    );
}

#[tokio::test]
async fn sms_enrollment_is_two_requests_and_the_code_arrives_by_sms() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    let phone = PhoneNumber::parse(Some("US"), "(201) 555-0123").unwrap();

    auth0.reset_stats().await;
    let started = session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap();
    assert_eq!(
        started.masked_destination.as_deref(),
        Some("+1 •••-•••-••23")
    );
    let message = auth0.outbox().await.pop().unwrap();
    assert_eq!(
        (message.channel, message.to.as_str()),
        (Channel::Sms, "+12015550123")
    );
    let code = auth0.last_code().await;
    session
        .confirm(&client, &format!("{}-{}", &code[..3], &code[3..]))
        .await
        .unwrap();
    assert_eq!(auth0.stats().await, (2, 0));

    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(
        kinds(&session),
        [
            (FactorKind::RecoveryCode, true),
            (FactorKind::Sms, true),
            (FactorKind::Voice, true)
        ],
        "one phone enrolls SMS and voice together"
    );
}

#[tokio::test]
async fn voice_and_email_enrollments_confirm_with_the_code_sent() {
    let auth0 = Auth0::start().await;
    for (request, channel) in [
        (
            EnrollRequest::Voice(PhoneNumber::parse(Some("FR"), "06 12 34 56 78").unwrap()),
            Channel::Voice,
        ),
        (
            EnrollRequest::Email(Email::parse("ana@example.com").unwrap()),
            Channel::Email,
        ),
    ] {
        let email = auth0.new_user().await;
        let (client, mut session) = signed_in(&auth0, &email).await;
        session.start_enrollment(&client, &request).await.unwrap();
        let message = auth0.outbox().await.pop().unwrap();
        assert_eq!(message.channel, channel);
        session
            .confirm(&client, &auth0.last_code().await)
            .await
            .unwrap();
        assert!(session.is_verified(), "{channel:?}");
    }
}

#[tokio::test]
async fn push_enrollment_waits_for_approval_and_adds_the_app_twin() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    let started = session
        .start_enrollment(&client, &EnrollRequest::Push)
        .await
        .unwrap();
    assert!(started
        .push_uri
        .unwrap()
        .expose_secret()
        .contains("enrollment_tx_id="));
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Pending
    );
    auth0.approve_push().await;
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Approved
    );
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(
        kinds(&session),
        [
            (FactorKind::Otp, true),
            (FactorKind::Push, true),
            (FactorKind::RecoveryCode, true)
        ]
    );
}

#[tokio::test]
async fn wait_for_push_polls_until_approved() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    // Enroll push as a second factor first, then verify with it in a new sign-in.
    let code = auth0.totp(ENROLLED_TOTP_SECRET).await;
    let otp_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Otp)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &otp_id).await.unwrap();
    session.confirm(&client, &code).await.unwrap();
    session
        .start_enrollment(&client, &EnrollRequest::Push)
        .await
        .unwrap();
    auth0.approve_push().await;
    session
        .wait_for_push(&client, PushPolling::default(), &CancellationToken::new())
        .await
        .unwrap();

    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let push_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Push)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &push_id).await.unwrap();
    let approver = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        auth0.approve_push().await;
    };
    let polling = PushPolling {
        interval: std::time::Duration::from_millis(50),
    };
    let never_cancelled = CancellationToken::new();
    let (waited, ()) = tokio::join!(
        session.wait_for_push(&client, polling, &never_cancelled),
        approver
    );
    waited.unwrap();
    assert!(session.is_verified());
}

#[tokio::test]
async fn verify_with_the_authenticator_app_is_one_request() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    assert_eq!(session.next_step(), NextStep::Verify);
    assert!(session.has_recovery_code());
    let otp_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Otp)
        .unwrap()
        .id
        .clone();
    auth0.reset_stats().await;
    session.start_challenge(&client, &otp_id).await.unwrap();
    session
        .confirm(&client, &auth0.totp(ENROLLED_TOTP_SECRET).await)
        .await
        .unwrap();
    assert_eq!(
        auth0.stats().await,
        (1, 0),
        "no challenge is needed for an authenticator app"
    );
    assert!(session.is_verified());
}

#[tokio::test]
async fn verify_by_sms_and_by_voice_is_two_requests_each() {
    let auth0 = Auth0::start().await;
    for (kind, channel) in [
        (FactorKind::Sms, Channel::Sms),
        (FactorKind::Voice, Channel::Voice),
    ] {
        let (client, mut session) = signed_in(&auth0, ENROLLED).await;
        let id = session
            .active_factors()
            .find(|a| a.kind() == kind)
            .unwrap()
            .id
            .clone();
        auth0.reset_stats().await;
        let started = session.start_challenge(&client, &id).await.unwrap();
        assert_eq!(started.masked_destination.as_deref(), Some("XXXXXXXX0123"));
        assert_eq!(auth0.outbox().await.pop().unwrap().channel, channel);
        session
            .confirm(&client, &auth0.last_code().await)
            .await
            .unwrap();
        assert_eq!(auth0.stats().await, (2, 0), "{kind:?}: challenge + mfa-oob");
    }
}

#[tokio::test]
async fn verify_by_email_and_by_push_after_adding_them() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    session
        .start_enrollment(
            &client,
            &EnrollRequest::Email(Email::parse("backup@example.com").unwrap()),
        )
        .await
        .unwrap();
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();
    // "Add another factor": the verified session holds an MFA-API token with `enroll`.
    session
        .start_enrollment(&client, &EnrollRequest::Push)
        .await
        .unwrap();
    auth0.approve_push().await;
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Approved
    );

    let (client, mut session) = signed_in(&auth0, &email).await;
    let email_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Email)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &email_id).await.unwrap();
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();

    let (client, mut session) = signed_in(&auth0, &email).await;
    let push_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Push)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &push_id).await.unwrap();
    auth0.approve_push().await;
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Approved
    );
}

#[tokio::test]
async fn recovery_is_one_request_and_rotates_the_code() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    auth0.reset_stats().await;
    let new_code = session
        .recover(&client, &ENROLLED_RECOVERY_CODE.to_lowercase())
        .await
        .unwrap();
    assert_eq!(auth0.stats().await, (1, 0));
    assert_ne!(new_code.expose(), ENROLLED_RECOVERY_CODE);
    assert_eq!(
        auth0.recovery_code_of(ENROLLED).await.as_deref(),
        Some(new_code.expose())
    );
    assert!(session.is_verified());

    // The old code is dead; the new one works, written in groups with dashes.
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let old = session
        .recover(&client, ENROLLED_RECOVERY_CODE)
        .await
        .unwrap_err();
    assert_eq!(old.code().as_str(), "wrong_recovery_code");
    let grouped = new_code.groups().join("-");
    session.recover(&client, &grouped).await.unwrap();
}

#[tokio::test]
async fn add_another_factor_then_remove_it_with_its_sibling() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let secret = started.otp.unwrap().secret;
    session
        .confirm(&client, &auth0.totp(secret.expose_secret()).await)
        .await
        .unwrap();

    let phone = PhoneNumber::parse(Some("JP"), "090-1234-5678").unwrap();
    let second = session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap();
    assert!(
        second.recovery_code.is_none(),
        "only the first enrollment returns a recovery code"
    );
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(session.active_factors().count(), 3, "otp, sms and voice");

    let sms_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Sms)
        .unwrap()
        .id
        .clone();
    auth0.reset_stats().await;
    session.remove(&client, &sms_id).await.unwrap();
    assert_eq!(
        auth0.stats().await,
        (1, 0),
        "one DELETE, with the | percent-encoded"
    );
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(
        kinds(&session),
        [(FactorKind::Otp, true), (FactorKind::RecoveryCode, true)]
    );
}

#[tokio::test]
async fn a_whole_session_uses_one_connection() {
    let auth0 = Auth0::start().await;
    auth0.reset_stats().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let sms_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Sms)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &sms_id).await.unwrap();
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(
        auth0.stats().await,
        (5, 1),
        "sign-in, list, challenge, verify, list: one connection"
    );
}

#[tokio::test]
async fn confidential_clients_and_realms_sign_in_too() {
    let auth0 = Auth0::start().await;
    let mut config = auth0.config("mfa-desk-confidential");
    config.client_secret = Some(mfa_core::secret::secret("demo-client-secret"));
    config.realm = Some("Username-Password-Authentication".into());
    let client = mfa_core::Auth0Client::new(config).unwrap();
    let mut session = MfaSession::sign_in(&client, ENROLLED, PASSWORD.into())
        .await
        .unwrap();
    let otp_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Otp)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &otp_id).await.unwrap();
    session
        .confirm(&client, &auth0.totp(ENROLLED_TOTP_SECRET).await)
        .await
        .unwrap();
}

#[tokio::test]
async fn mfa_requirements_from_actions_are_read_when_present() {
    let auth0 = Auth0::start_with(|tenant| tenant.settings.include_mfa_requirements = true).await;
    let (_, session) = signed_in(&auth0, ENROLLED).await;
    let kinds: Vec<_> = session
        .requirements()
        .challenge
        .iter()
        .flatten()
        .map(|r| r.kind.as_str())
        .collect();
    assert!(
        kinds.contains(&"otp") && kinds.contains(&"phone"),
        "{kinds:?}"
    );
    let (_, new_hire) = signed_in(&auth0, &auth0.new_user().await).await;
    assert!(
        new_hire
            .requirements()
            .enroll
            .as_ref()
            .is_some_and(|l| !l.is_empty()),
        "a user with no factor is told to enroll"
    );
}
