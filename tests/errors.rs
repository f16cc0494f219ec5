//! Every error the client knows, provoked for real through the local Auth0: wrong input,
//! expiry through the emulator's clock, rate limits, and injected network faults.

mod support;

use std::time::Duration;

use mfa_core::flow::{EnrollRequest, MfaSession};
use mfa_core::input::{OtpCode, PhoneNumber, RecoveryCode};
use mfa_core::model::{AssociateRequest, ChallengeRequest, FactorKind};
use mfa_core::secret::secret;
use mfa_core::{ApiError, Auth0Client, FlowError};
use support::*;

/// Signs in as a fresh user and starts an SMS enrollment, returning the `mfa_token` too.
async fn sms_enrollment(auth0: &Auth0) -> (Auth0Client, MfaSession) {
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(auth0, &email).await;
    let phone = PhoneNumber::parse(Some("US"), "2015550123").unwrap();
    session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap();
    (client, session)
}

fn api(error: FlowError) -> ApiError {
    match error {
        FlowError::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_password() {
    let auth0 = Auth0::start().await;
    let error = MfaSession::sign_in(&auth0.client(), ENROLLED, "wrong".into())
        .await
        .unwrap_err();
    assert!(matches!(api(error), ApiError::WrongCredentials));
}

#[tokio::test]
async fn an_account_is_blocked_after_ten_wrong_passwords_with_a_retry_time() {
    let auth0 = Auth0::start().await;
    let email = auth0.new_user().await;
    for _ in 0..10 {
        let error = MfaSession::sign_in(&auth0.client(), &email, "wrong".into())
            .await
            .unwrap_err();
        assert!(matches!(api(error), ApiError::WrongCredentials));
    }
    let error = api(
        MfaSession::sign_in(&auth0.client(), &email, PASSWORD.into())
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(error, ApiError::AccountBlocked { retry_at: Some(_) }),
        "{error:?}"
    );
    assert_eq!(error.code().as_str(), "account_blocked");
}

#[tokio::test]
async fn wrong_otp_keeps_the_session_for_another_try() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let otp_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Otp)
        .unwrap()
        .id
        .clone();
    session.start_challenge(&client, &otp_id).await.unwrap();
    let right = auth0.totp(ENROLLED_TOTP_SECRET).await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert!(matches!(
        api(session.confirm(&client, wrong).await.unwrap_err()),
        ApiError::WrongOtp
    ));
    session.confirm(&client, &right).await.unwrap();
}

#[tokio::test]
async fn an_accepted_otp_cannot_be_used_twice() {
    let auth0 = Auth0::start().await;
    let code = auth0.totp(ENROLLED_TOTP_SECRET).await;
    for attempt in 0..2 {
        let (client, mut session) = signed_in(&auth0, ENROLLED).await;
        let otp_id = session
            .active_factors()
            .find(|a| a.kind() == FactorKind::Otp)
            .unwrap()
            .id
            .clone();
        session.start_challenge(&client, &otp_id).await.unwrap();
        let result = session.confirm(&client, &code).await;
        match attempt {
            0 => result.unwrap(),
            _ => assert!(matches!(api(result.unwrap_err()), ApiError::WrongOtp)),
        }
    }
}

#[tokio::test]
async fn wrong_binding_code() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    let right = auth0.last_code().await;
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    assert!(matches!(
        api(session.confirm(&client, wrong).await.unwrap_err()),
        ApiError::WrongBindingCode
    ));
    session.confirm(&client, &right).await.unwrap();
}

#[tokio::test]
async fn wrong_recovery_code() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let error = session
        .recover(&client, "AAAABBBBCCCCDDDDEEEEFFFF")
        .await
        .unwrap_err();
    assert!(matches!(api(error), ApiError::WrongRecoveryCode));
}

#[tokio::test]
async fn an_expired_mfa_token_asks_for_a_new_sign_in() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    let code = auth0.last_code().await;
    auth0.advance_clock(601).await;
    let error = api(session.confirm(&client, &code).await.unwrap_err());
    assert!(matches!(error, ApiError::MfaTokenExpired), "{error:?}");
    assert!(error.needs_new_sign_in());
}

#[tokio::test]
async fn a_malformed_mfa_token() {
    let auth0 = Auth0::start().await;
    let not_a_token = secret("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    let error = auth0
        .client()
        .challenge(&not_a_token, &ChallengeRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::MfaTokenInvalid { .. }),
        "{error:?}"
    );
    assert_eq!(error.code().as_str(), "session_expired");
}

#[tokio::test]
async fn an_expired_code_from_a_message() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    let code = auth0.last_code().await;
    auth0.advance_clock(301).await; // the code's five minutes are over, the mfa_token's ten are not
    assert!(matches!(
        api(session.confirm(&client, &code).await.unwrap_err()),
        ApiError::CodeExpired
    ));
}

#[tokio::test]
async fn associating_with_the_mfa_token_once_enrolled_is_refused() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let token = mfa_token(&client, ENROLLED).await;
    let body = AssociateRequest {
        authenticator_types: vec!["otp"],
        oob_channels: None,
        phone_number: None,
        email: None,
    };
    assert!(matches!(
        client.associate(&token, &body).await.unwrap_err(),
        ApiError::AlreadyEnrolled
    ));
    // The flow refuses before sending anything: verify first.
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let refused = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap_err();
    assert!(matches!(refused, FlowError::VerificationRequired));
}

#[tokio::test]
async fn push_pending_slow_down_and_rejected() {
    let auth0 = Auth0::start_with(|tenant| tenant.settings.push_min_poll_interval_secs = 5).await;
    let email = auth0.new_user().await;
    let client = auth0.client();
    let token = mfa_token(&client, &email).await;
    // Poll at the client level to see each answer as Auth0 sends it.
    let association = client
        .associate(
            &token,
            &AssociateRequest {
                authenticator_types: vec!["oob"],
                oob_channels: Some(vec!["auth0"]),
                phone_number: None,
                email: None,
            },
        )
        .await
        .unwrap();
    let oob_code = association.oob_code.unwrap();
    assert!(matches!(
        client
            .verify_oob(&token, &oob_code, None)
            .await
            .unwrap_err(),
        ApiError::AuthorizationPending
    ));
    assert!(matches!(
        client
            .verify_oob(&token, &oob_code, None)
            .await
            .unwrap_err(),
        ApiError::SlowDown
    ));
    auth0.deny_push().await;
    let rejected = client
        .verify_oob(&token, &oob_code, None)
        .await
        .unwrap_err();
    assert!(matches!(rejected, ApiError::PushRejected), "{rejected:?}");
}

#[tokio::test]
async fn push_rejection_in_the_invalid_grant_form_is_also_final() {
    let auth0 =
        Auth0::start_with(|tenant| tenant.settings.push_rejection_error = "invalid_grant".into())
            .await;
    let email = auth0.new_user().await;
    let (client, mut session) = signed_in(&auth0, &email).await;
    session
        .start_enrollment(&client, &EnrollRequest::Push)
        .await
        .unwrap();
    auth0.deny_push().await;
    let error = api(session.poll_push(&client).await.unwrap_err());
    assert!(matches!(error, ApiError::PushRejected), "{error:?}");
}

#[tokio::test]
async fn challenges_the_user_cannot_answer() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let token = mfa_token(&client, &auth0.new_user().await).await;
    let error = client
        .challenge(&token, &ChallengeRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::AssociationRequired),
        "not enrolled: {error:?}"
    );

    let enrolled = mfa_token(&client, ENROLLED).await;
    let only_otp = ChallengeRequest {
        challenge_type: Some("otp".into()),
        authenticator_id: None,
    };
    client.challenge(&enrolled, &only_otp).await.unwrap();
    // Remove the authenticator app, then ask for an OTP challenge: nothing matches.
    let (flow_client, mut session) = signed_in(&auth0, ENROLLED).await;
    session
        .recover(&flow_client, ENROLLED_RECOVERY_CODE)
        .await
        .unwrap();
    let otp_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Otp)
        .unwrap()
        .id
        .clone();
    session.remove(&flow_client, &otp_id).await.unwrap();
    let enrolled = mfa_token(&client, ENROLLED).await;
    let error = client.challenge(&enrolled, &only_otp).await.unwrap_err();
    assert!(
        matches!(error, ApiError::UnsupportedChallengeType),
        "{error:?}"
    );

    let unknown = ChallengeRequest {
        challenge_type: None,
        authenticator_id: Some("sms|dev_doesnotexist0000".into()),
    };
    assert!(matches!(
        client.challenge(&enrolled, &unknown).await.unwrap_err(),
        ApiError::InvalidAuthenticator
    ));
}

#[tokio::test]
async fn a_grant_the_application_may_not_use() {
    let auth0 = Auth0::start().await;
    let client = Auth0Client::new(auth0.config("limited-client")).unwrap();
    let token = mfa_token(&client, ENROLLED).await;
    let code = OtpCode::parse(&auth0.totp(ENROLLED_TOTP_SECRET).await).unwrap();
    assert!(matches!(
        client.verify_otp(&token, &code).await.unwrap_err(),
        ApiError::GrantNotAllowed
    ));
}

#[tokio::test]
async fn an_unknown_application() {
    let auth0 = Auth0::start().await;
    let client = Auth0Client::new(auth0.config("nobody")).unwrap();
    let error = MfaSession::sign_in(&client, ENROLLED, PASSWORD.into())
        .await
        .unwrap_err();
    assert!(matches!(api(error), ApiError::InvalidClient));
}

#[tokio::test]
async fn too_many_wrong_codes_lock_out_until_the_bucket_refills() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    let right = auth0.last_code().await;
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    for _ in 0..10 {
        assert!(matches!(
            api(session.confirm(&client, wrong).await.unwrap_err()),
            ApiError::WrongBindingCode
        ));
    }
    let error = api(session.confirm(&client, &right).await.unwrap_err());
    let ApiError::TooManyAttempts {
        retry_at: Some(retry_at),
    } = error
    else {
        panic!("{error:?}")
    };
    assert!(
        retry_at > auth0.now().await - 5,
        "a retry time in the future of the tenant's clock"
    );
    auth0.advance_clock(361).await; // one attempt back after six minutes; the code expired meanwhile
    let phone = PhoneNumber::parse(Some("US"), "2015550123").unwrap();
    session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap();
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_eleventh_sms_in_an_hour_is_rate_limited_with_a_retry_time() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    let phone = PhoneNumber::parse(Some("US"), "2015550123").unwrap();
    for _ in 1..10 {
        session
            .start_enrollment(&client, &EnrollRequest::Sms(phone.clone()))
            .await
            .unwrap();
    }
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let error = api(session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap_err());
    let ApiError::RateLimited {
        retry_at: Some(retry_at),
    } = error
    else {
        panic!("{error:?}")
    };
    let wait = retry_at - before;
    assert!(
        (3000..=3601).contains(&wait),
        "one SMS back per hour, got {wait} s"
    );
}

#[tokio::test]
async fn a_rate_limit_from_a_proxy_or_the_edge() {
    let auth0 = Auth0::start().await;
    auth0
        .fault(Fault::rate_limit("/oauth/token").times(1))
        .await;
    let error = api(
        MfaSession::sign_in(&auth0.client(), ENROLLED, PASSWORD.into())
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(error, ApiError::RateLimited { retry_at: Some(_) }),
        "{error:?}"
    );
}

#[tokio::test]
async fn deleting_twice_is_not_found_and_an_expired_access_token_needs_a_new_sign_in() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    session
        .recover(&client, ENROLLED_RECOVERY_CODE)
        .await
        .unwrap();
    let sms_id = session
        .active_factors()
        .find(|a| a.kind() == FactorKind::Sms)
        .unwrap()
        .id
        .clone();
    session.remove(&client, &sms_id).await.unwrap();
    assert!(matches!(
        api(session.remove(&client, &sms_id).await.unwrap_err()),
        ApiError::NotFound
    ));
    auth0.advance_clock(601).await; // MFA-API access tokens live ten minutes
    let error = api(session.refresh_authenticators(&client).await.unwrap_err());
    assert!(error.needs_new_sign_in(), "{error:?}");
}

#[tokio::test]
async fn server_errors_json_or_html() {
    let auth0 = Auth0::start().await;
    for status in [503, 502] {
        auth0
            .fault(Fault::status("/oauth/token", status).times(1))
            .await;
        let error = api(
            MfaSession::sign_in(&auth0.client(), ENROLLED, PASSWORD.into())
                .await
                .unwrap_err(),
        );
        assert!(
            matches!(error, ApiError::Server { status: s } if s == status),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn a_malformed_body_is_an_unexpected_response() {
    let auth0 = Auth0::start().await;
    auth0.fault(Fault::malformed("/oauth/token").times(1)).await;
    let error = api(
        MfaSession::sign_in(&auth0.client(), ENROLLED, PASSWORD.into())
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(error, ApiError::UnexpectedResponse { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn nobody_listening_is_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config =
        mfa_core::TenantConfig::new(&format!("http://127.0.0.1:{port}"), DEMO_CLIENT).unwrap();
    let error = MfaSession::sign_in(
        &Auth0Client::new(config).unwrap(),
        ENROLLED,
        PASSWORD.into(),
    )
    .await
    .unwrap_err();
    let error = api(error);
    assert!(matches!(error, ApiError::Connect(_)), "{error:?}");
    assert!(
        !error.outcome_unknown(),
        "nothing was sent: safe to try again"
    );
}

#[tokio::test]
async fn a_slow_tenant_times_out() {
    let auth0 = Auth0::start().await;
    auth0
        .fault(Fault::delay("/oauth/token", 1500).times(1))
        .await;
    let client = auth0.client_with_timeout(Duration::from_millis(300));
    let error = api(MfaSession::sign_in(&client, ENROLLED, PASSWORD.into())
        .await
        .unwrap_err());
    assert!(matches!(error, ApiError::Timeout), "{error:?}");
}

#[tokio::test]
async fn a_dropped_connection_is_reported_as_lost() {
    let auth0 = Auth0::start().await;
    auth0
        .fault(Fault::drop_connection("/oauth/token").times(1))
        .await;
    let error = api(
        MfaSession::sign_in(&auth0.client(), ENROLLED, PASSWORD.into())
            .await
            .unwrap_err(),
    );
    assert!(matches!(error, ApiError::ConnectionLost(_)), "{error:?}");
}

#[tokio::test]
async fn a_recovery_whose_answer_is_lost_is_not_retried_and_says_so() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    auth0
        .fault(
            Fault::drop_connection("/oauth/token")
                .times(1)
                .after_handling(),
        )
        .await;
    auth0.reset_stats().await;
    let error = session
        .recover(&client, ENROLLED_RECOVERY_CODE)
        .await
        .unwrap_err();
    assert!(
        matches!(error, FlowError::RecoveryOutcomeUnknown),
        "{error:?}"
    );
    assert_eq!(auth0.stats().await.0, 1, "sent once, never retried");
    // Auth0 did rotate the code: the old one is gone, which is what the person is told.
    assert_ne!(
        auth0.recovery_code_of(ENROLLED).await.as_deref(),
        Some(ENROLLED_RECOVERY_CODE)
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let auth0 = Auth0::start().await;
    let (client, mut session) = sms_enrollment(&auth0).await;
    auth0.reset_stats().await;
    for (typed, code) in [
        ("12345", "invalid_code_format"),
        ("", "input_empty"),
        ("1234567", "invalid_code_format"),
    ] {
        assert_eq!(
            session
                .confirm(&client, typed)
                .await
                .unwrap_err()
                .code()
                .as_str(),
            code
        );
    }
    let long = "9".repeat(10_000);
    assert_eq!(
        session
            .confirm(&client, &long)
            .await
            .unwrap_err()
            .code()
            .as_str(),
        "input_too_long"
    );
    assert_eq!(
        session
            .recover(&client, "not a code")
            .await
            .unwrap_err()
            .code()
            .as_str(),
        "invalid_recovery_code_format"
    );
    assert!(RecoveryCode::parse(&long).is_err());
    let sign_in = MfaSession::sign_in(&client, &long, PASSWORD.into())
        .await
        .unwrap_err();
    assert_eq!(sign_in.code().as_str(), "input_too_long");
    assert_eq!(auth0.stats().await.0, 0, "nothing reached Auth0");
}
