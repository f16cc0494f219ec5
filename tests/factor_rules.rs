//! The tenant's own factor rules (`mfa_requirements`, spec §2.2) over real HTTP: an Action
//! limiting what may be enrolled and what may verify, and the core refusing the rest before
//! anything is sent.

mod support;

use auth0_emulator::tenant::{ActionFactorRules, FactorRuleType};
use mfa_core::flow::{EnrollRequest, NextStep};
use mfa_core::input::PhoneNumber;
use mfa_core::model::FactorKind;
use mfa_core::FlowError;
use support::*;

fn only(
    enroll: Option<Vec<FactorRuleType>>,
    challenge: Option<Vec<FactorRuleType>>,
) -> ActionFactorRules {
    ActionFactorRules { enroll, challenge }
}

#[tokio::test]
async fn an_enroll_rule_limits_what_a_new_user_may_add() {
    let rules = only(Some(vec![FactorRuleType::Otp, FactorRuleType::Email]), None);
    let auth0 = Auth0::start_with(|t| t.settings.action_factor_rules = Some(rules)).await;
    let (client, mut session) = signed_in(&auth0, &auth0.new_user().await).await;
    assert_eq!(session.next_step(), NextStep::Enroll);
    let offered = [
        FactorKind::Otp,
        FactorKind::Sms,
        FactorKind::Voice,
        FactorKind::Push,
        FactorKind::Email,
    ];
    assert_eq!(
        session.requirements().enrollable(&offered),
        [FactorKind::Otp, FactorKind::Email]
    );

    auth0.reset_stats().await;
    let phone = PhoneNumber::parse(Some("US"), "(201) 555-0123").unwrap();
    for refused in [EnrollRequest::Sms(phone), EnrollRequest::Push] {
        let error = session
            .start_enrollment(&client, &refused)
            .await
            .unwrap_err();
        assert!(matches!(error, FlowError::FactorNotOffered), "{error:?}");
    }
    assert_eq!(auth0.stats().await.0, 0, "refused before anything is sent");
    assert!(auth0.outbox().await.is_empty(), "no text message went out");

    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let secret = started.otp.unwrap().secret;
    let code = auth0
        .totp(mfa_core::secret::ExposeSecret::expose_secret(&secret))
        .await;
    session.confirm(&client, &code).await.unwrap();
    assert_eq!(session.next_step(), NextStep::Done);
}

#[tokio::test]
async fn a_challenge_rule_limits_what_may_verify_and_the_recovery_code() {
    let rules = only(None, Some(vec![FactorRuleType::Otp]));
    let auth0 = Auth0::start_with(|t| t.settings.action_factor_rules = Some(rules)).await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let rules = session.requirements().clone();
    assert!(rules.may_challenge(FactorKind::Otp));
    assert!(!rules.may_challenge(FactorKind::Sms) && !rules.may_challenge(FactorKind::Voice));

    auth0.reset_stats().await;
    let sms = factor_id(&session, FactorKind::Sms);
    let error = session.start_challenge(&client, &sms).await.unwrap_err();
    assert!(matches!(error, FlowError::FactorNotOffered), "{error:?}");
    let error = session
        .recover(&client, ENROLLED_RECOVERY_CODE)
        .await
        .unwrap_err();
    assert!(matches!(error, FlowError::FactorNotOffered), "{error:?}");
    assert_eq!(auth0.stats().await.0, 0, "refused before anything is sent");
    assert_eq!(
        auth0.recovery_code_of(ENROLLED).await.as_deref(),
        Some(ENROLLED_RECOVERY_CODE),
        "the recovery code was not spent"
    );

    let otp = factor_id(&session, FactorKind::Otp);
    session.start_challenge(&client, &otp).await.unwrap();
    session
        .confirm(&client, &auth0.totp(ENROLLED_TOTP_SECRET).await)
        .await
        .unwrap();
    assert_eq!(session.next_step(), NextStep::Done);
}

#[tokio::test]
async fn without_an_action_nothing_is_limited() {
    let auth0 = Auth0::start_with(|t| t.settings.include_mfa_requirements = true).await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    let sms = factor_id(&session, FactorKind::Sms);
    session.start_challenge(&client, &sms).await.unwrap();
    let (_, new_hire) = signed_in(&auth0, &auth0.new_user().await).await;
    let offered = [
        FactorKind::Otp,
        FactorKind::Sms,
        FactorKind::Voice,
        FactorKind::Push,
        FactorKind::Email,
    ];
    assert_eq!(
        new_hire.requirements().enrollable(&offered),
        offered,
        "the derived list names every enabled factor"
    );
}
