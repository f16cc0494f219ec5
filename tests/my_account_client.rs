//! The core's My Account API client (§S5) over real HTTP against the local Auth0: every
//! call with a token for `https://{domain}/me/`, the problems decoded into the errors the
//! flows already know, and the tenant's exact answers that say it does not offer the API.

mod support;

use auth0_emulator::control_api::Channel;
use auth0_emulator::tenant::{ClientGrant, SubjectType};
use auth0_emulator::Tenant;
use mfa_core::flow::EnrollRequest;
use mfa_core::input::{Email, PhoneNumber};
use mfa_core::model::FactorKind;
use mfa_core::my_account::{self, MyAccountClient, SCOPES};
use mfa_core::secret::{AccessToken, ExposeSecret};
use mfa_core::ApiError;
use serde_json::Value;
use support::*;

fn with_my_account(tenant: &mut Tenant) {
    tenant.settings.my_account_api = true;
    let app = without_my_account_grant(tenant);
    app.client_grants.push(ClientGrant {
        audience: "/me/".into(),
        scope: SCOPES.iter().map(|s| s.to_string()).collect(),
        subject_type: SubjectType::User,
    });
}

/// The app's client, its My Account user grant (the demo tenant has one) removed.
fn without_my_account_grant(tenant: &mut Tenant) -> &mut auth0_emulator::tenant::ClientConfig {
    let app = tenant
        .clients
        .iter_mut()
        .find(|c| c.client_id == DEMO_CLIENT)
        .unwrap();
    app.client_grants.retain(|g| g.audience != "/me/");
    app
}

/// A password sign-in for the My Account audience, through MFA with the authenticator app:
/// the token response (or the error body).
async fn sign_in_for_me(auth0: &Auth0) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}/oauth/token", auth0.emulator.base_url());
    let audience = format!("{}/me/", auth0.emulator.base_url());
    let scope = SCOPES.join(" ");
    let form = [
        ("grant_type", "password"),
        ("client_id", DEMO_CLIENT),
        ("username", ENROLLED),
        ("password", PASSWORD),
        ("audience", audience.as_str()),
        ("scope", scope.as_str()),
    ];
    let answer: Value = http
        .post(&url)
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let Some(mfa_token) = answer["mfa_token"].as_str() else {
        return answer;
    };
    let otp = auth0.totp(ENROLLED_TOTP_SECRET).await;
    let form = [
        ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
        ("client_id", DEMO_CLIENT),
        ("mfa_token", mfa_token),
        ("otp", otp.as_str()),
    ];
    http.post(&url)
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn me_token(auth0: &Auth0) -> AccessToken {
    let tokens = sign_in_for_me(auth0).await;
    AccessToken::from(tokens["access_token"].as_str().expect("a token").to_owned())
}

#[tokio::test]
async fn every_call_of_an_enrollment_round_trip() {
    let auth0 = Auth0::start_with(with_my_account).await;
    let client = MyAccountClient::new(&auth0.client());
    let token = me_token(&auth0).await;

    let listed = client.list(&token).await.unwrap();
    let kinds: Vec<FactorKind> = listed.iter().map(|m| m.kind()).collect();
    assert_eq!(
        kinds,
        [FactorKind::Otp, FactorKind::Sms, FactorKind::RecoveryCode]
    );
    let factors = client.factors(&token).await.unwrap();
    assert!(factors.iter().any(|f| f.factor_type == "push-notification"));

    // An authenticator app: a wrong code, then the right one.
    let started = client.start(&token, &EnrollRequest::Otp).await.unwrap();
    assert!(started.id.starts_with("totp|"));
    let key = started
        .manual_input_code
        .as_ref()
        .unwrap()
        .expose_secret()
        .to_owned();
    let wrong = client
        .verify(&token, &started, Some("000000"))
        .await
        .unwrap_err();
    assert!(matches!(wrong, ApiError::WrongOtp), "{wrong:?}");
    let code = auth0.totp(&key).await;
    let confirmed = client.verify(&token, &started, Some(&code)).await.unwrap();
    assert!(confirmed.confirmed && confirmed.kind() == FactorKind::Otp);
    let replayed = client
        .verify(&token, &started, Some(&code))
        .await
        .unwrap_err();
    assert!(matches!(replayed, ApiError::CodeExpired), "{replayed:?}");

    // A phone by voice, renamed, switched to SMS, removed.
    let phone = PhoneNumber::parse(Some("US"), "(201) 555-0123").unwrap();
    let started = client
        .start(&token, &EnrollRequest::Voice(phone))
        .await
        .unwrap();
    let sent = auth0
        .control
        .last_message(Channel::Voice)
        .await
        .unwrap()
        .unwrap();
    let confirmed = client
        .verify(&token, &started, Some(&sent.code))
        .await
        .unwrap();
    assert_eq!(confirmed.kind(), FactorKind::Voice);
    let renamed = client
        .rename(&token, &started.id, "Desk phone")
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Desk phone"));
    let switched = client
        .prefer_voice(&token, &started.id, false)
        .await
        .unwrap();
    assert_eq!(switched.kind(), FactorKind::Sms);
    client.remove(&token, &started.id).await.unwrap();
    let gone = client.remove(&token, &started.id).await.unwrap_err();
    assert!(matches!(gone, ApiError::NotFound), "{gone:?}");

    // Email, push (after Guardian's approval) and the recovery code's refusal.
    let email = Email::parse("ana@example.com").unwrap();
    let started = client
        .start(&token, &EnrollRequest::Email(email))
        .await
        .unwrap();
    let sent = auth0
        .control
        .last_message(Channel::Email)
        .await
        .unwrap()
        .unwrap();
    client
        .verify(&token, &started, Some(&sent.code))
        .await
        .unwrap();
    let started = client.start(&token, &EnrollRequest::Push).await.unwrap();
    assert!(started.barcode_uri.is_some());
    auth0.approve_push().await;
    let confirmed = client.verify(&token, &started, None).await.unwrap();
    assert_eq!(confirmed.kind(), FactorKind::Push);
    let refused = client.start_recovery_code(&token).await.unwrap_err();
    assert!(
        matches!(refused, ApiError::InvalidRequest { .. }),
        "{refused:?}"
    );

    // The MFA API sees what the My Account API enrolled: one store.
    let (mfa_client, session) = signed_in(&auth0, ENROLLED).await;
    drop(mfa_client);
    let active: Vec<FactorKind> = session.active_factors().map(|a| a.kind()).collect();
    assert!(
        active.contains(&FactorKind::Email) && active.contains(&FactorKind::Push),
        "{active:?}"
    );
}

#[tokio::test]
async fn a_tenant_without_the_api_says_so_exactly() {
    let auth0 = Auth0::start_with(|t| t.settings.my_account_api = false).await;
    let client = MyAccountClient::new(&auth0.client());
    let token = AccessToken::from("not-a-token".to_owned());
    let error = client.list(&token).await.unwrap_err();
    assert!(matches!(error, ApiError::MyAccountUnavailable), "{error:?}");

    let refused = sign_in_for_me(&auth0).await;
    let audience = format!("{}/me/", auth0.emulator.base_url());
    let error = ApiError::AccessDenied {
        description: refused["error_description"].as_str().unwrap().to_owned(),
    };
    assert!(
        my_account::unavailable_at_sign_in(&error, &audience),
        "{refused}"
    );
}

#[tokio::test]
async fn tokens_without_the_api_or_its_scopes_are_refused() {
    let auth0 = Auth0::start_with(with_my_account).await;
    let client = MyAccountClient::new(&auth0.client());
    let error = client
        .list(&AccessToken::from("forged".to_owned()))
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Unauthorized), "{error:?}");
    assert!(error.needs_new_sign_in());

    let auth0 = Auth0::start_with(|t| {
        without_my_account_grant(t);
    })
    .await;
    let client = MyAccountClient::new(&auth0.client());
    let token = me_token(&auth0).await;
    let error = client.list(&token).await.unwrap_err();
    assert!(
        matches!(error, ApiError::InsufficientScope),
        "no client grant: {error:?}"
    );
}
