//! A browser-signed-in person's methods through the My Account API (§S5), over real HTTP
//! against the local Auth0: the sign-in that asks for `https://{domain}/me/`, every kind
//! added, verified, listed, renamed and removed, the errors (a wrong code, an expired
//! `auth_session`, a token granted too little), a new recovery code, and the tenant's exact
//! answers that send the sign-in the MFA API's way. The emulator's request counts prove
//! which API was used.

#[path = "support/hosted.rs"]
mod hosted;
mod support;

use std::time::Duration;

use auth0_emulator::tenant::{ClientGrant, SubjectType};
use auth0_emulator::Tenant;
use hosted::HostedBrowser;
use mfa_core::browser::{
    tenant_lacks_my_account, BrowserOptions, BrowserSignIn, Callback, CallbackTexts,
};
use mfa_core::flow::{CancellationToken, EnrollRequest, MfaSession, PushStatus};
use mfa_core::methods::{self, Listing};
use mfa_core::model::FactorKind;
use mfa_core::my_account::SCOPES;
use mfa_core::secret::ExposeSecret;
use mfa_core::{ApiError, Auth0Client, ErrorCode, FlowError};
use support::*;
use tokio::time::Instant;

fn texts() -> CallbackTexts {
    CallbackTexts {
        lang: "ja".into(),
        title: "MFA Desk".into(),
        done_heading: "サインインしました".into(),
        done_body: "このタブを閉じてください。".into(),
        failed_heading: "完了しませんでした".into(),
        failed_body: "MFA Desk に戻ってください。".into(),
        foreign_heading: "古いサインインです".into(),
        foreign_body: "新しいタブを使ってください。".into(),
        switching_heading: Some("新しいタブで続行します".into()),
        switching_body: Some("このタブは閉じてかまいません。".into()),
    }
}

/// The tenant offers the My Account API, and the app's client has a user grant for `scopes`.
fn my_account_with(scopes: &'static [&'static str]) -> impl FnOnce(&mut Tenant) {
    move |tenant: &mut Tenant| {
        tenant.settings.my_account_api = true;
        let app = tenant
            .clients
            .iter_mut()
            .find(|c| c.client_id == DEMO_CLIENT)
            .unwrap();
        app.client_grants.retain(|g| g.audience != "/me/");
        app.client_grants.push(ClientGrant {
            audience: "/me/".into(),
            scope: scopes.iter().map(|s| s.to_string()).collect(),
            subject_type: SubjectType::User,
        });
    }
}

fn soon() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

/// The hosted sign-in of the enrolled demo person for the My Account API, the callback
/// delivered while the app waits: what the wait gave and the page the browser showed.
async fn browser_sign_in(auth0: &Auth0) -> (BrowserSignIn, Result<Callback, FlowError>, String) {
    let client = auth0.client();
    let mut sign_in = BrowserSignIn::start_my_account(&client, &BrowserOptions::default(), texts())
        .await
        .unwrap();
    let mut browser = HostedBrowser::new();
    let first = browser
        .open(sign_in.authorize_url().as_str())
        .await
        .unwrap();
    let callback = match first.callback() {
        Ok(callback) => callback.clone(),
        Err(_) => {
            browser.sign_in(ENROLLED, PASSWORD).await.unwrap();
            let code = auth0.totp(ENROLLED_TOTP_SECRET).await;
            browser
                .enter_code(&code)
                .await
                .unwrap()
                .callback()
                .unwrap()
                .clone()
        }
    };
    let cancel = CancellationToken::new();
    let (waited, delivered) =
        tokio::join!(sign_in.wait(soon(), &cancel), browser.deliver(&callback));
    (sign_in, waited, delivered.unwrap().1)
}

async fn signed_in_for_my_account(auth0: &Auth0) -> (Auth0Client, MfaSession) {
    let client = auth0.client();
    let (sign_in, waited, page) = browser_sign_in(auth0).await;
    assert!(page.contains("data-outcome=\"done\""), "{page}");
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected a code, got {waited:?}")
    };
    let session = sign_in.finish(&client, &code).await.expect("signed in");
    (client, session)
}

/// Paths the tenant was asked since the last reset.
async fn paths(auth0: &Auth0) -> Vec<String> {
    let stats = auth0.control.stats().await.unwrap();
    stats.requests.keys().cloned().collect()
}

fn assert_my_account_only(paths: &[String]) {
    assert!(paths.iter().any(|p| p.starts_with("/me/v1/")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("/mfa/")), "{paths:?}");
}

fn find(session: &MfaSession, kind: FactorKind) -> Option<String> {
    session
        .authenticators()
        .iter()
        .find(|a| a.kind() == kind && a.active)
        .map(|a| a.id.clone())
}

#[tokio::test]
async fn a_browser_sign_in_asks_for_my_account_and_lists_through_it() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    auth0.reset_stats().await;
    let (_client, session) = signed_in_for_my_account(&auth0).await;
    assert!(session.my_account_token().is_some());
    assert!(session.is_verified() && session.can_rename());
    assert_eq!(session.account(), ENROLLED);
    assert_eq!(session.listing(), Listing::MyAccount);
    let mut kinds: Vec<_> = session.authenticators().iter().map(|a| a.kind()).collect();
    kinds.sort_by_key(|k| k.as_str());
    assert_eq!(
        kinds,
        [FactorKind::Otp, FactorKind::RecoveryCode, FactorKind::Sms]
    );
    // One phone entry (both channels), its number unmasked (§S5.2).
    let phone = &session.authenticators()[find_index(&session, FactorKind::Sms)];
    assert!(phone.id.starts_with("phone|"), "{}", phone.id);
    assert!(phone.name.as_deref().unwrap().starts_with('+'));
    assert_my_account_only(&paths(&auth0).await);
}

fn find_index(session: &MfaSession, kind: FactorKind) -> usize {
    session
        .authenticators()
        .iter()
        .position(|a| a.kind() == kind)
        .unwrap()
}

#[tokio::test]
async fn every_kind_is_added_verified_renamed_and_removed_through_my_account() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    let (client, mut session) = signed_in_for_my_account(&auth0).await;
    auth0.reset_stats().await;

    // Authenticator app: QR code and the key to type, then the app's code.
    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let otp = started.otp.expect("the app's setup");
    assert!(otp
        .barcode_uri
        .expose_secret()
        .starts_with("otpauth://totp/"));
    assert_eq!(
        session.pending_otp_secret().unwrap().expose_secret(),
        otp.secret.expose_secret()
    );
    let code = auth0.totp(otp.secret.expose_secret()).await;
    session.confirm(&client, &code).await.unwrap();

    // Text message, then call, each to its own phone; email.
    for (kind, number) in [
        (FactorKind::Sms, "+12015550123"),
        (FactorKind::Voice, "+12015550177"),
    ] {
        let request = EnrollRequest::new(kind, Some(number), None).unwrap();
        let started = session.start_enrollment(&client, &request).await.unwrap();
        assert!(started.masked_destination.is_some());
        let code = auth0.last_code().await;
        session.confirm(&client, &code).await.unwrap();
    }
    let request = EnrollRequest::new(FactorKind::Email, None, Some("ana@example.com")).unwrap();
    session.start_enrollment(&client, &request).await.unwrap();
    let code = auth0.last_code().await;
    session.confirm(&client, &code).await.unwrap();

    // Push: pending until Guardian approves (the control API plays the phone).
    let started = session
        .start_enrollment(&client, &EnrollRequest::Push)
        .await
        .unwrap();
    assert!(started.push_uri.is_some());
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Pending
    );
    auth0.approve_push().await;
    assert_eq!(
        session.poll_push(&client).await.unwrap(),
        PushStatus::Approved
    );
    assert_eq!(session.pending_kind(), None);

    session.refresh_authenticators(&client).await.unwrap();
    let active = |session: &MfaSession, kind| {
        session
            .authenticators()
            .iter()
            .filter(|a| a.active && a.kind() == kind)
            .count()
    };
    assert_eq!(
        active(&session, FactorKind::Otp),
        2,
        "{:?}",
        session.authenticators()
    );
    assert_eq!(active(&session, FactorKind::Sms), 2);
    assert_eq!(active(&session, FactorKind::Voice), 1);
    assert_eq!(active(&session, FactorKind::Email), 1);
    assert_eq!(active(&session, FactorKind::Push), 1);

    // Rename each kind; the name is what the list shows.
    for kind in [
        FactorKind::Otp,
        FactorKind::Voice,
        FactorKind::Email,
        FactorKind::Push,
    ] {
        let id = find(&session, kind).unwrap();
        let name = format!("私の {} — Clé", kind.as_str());
        session.rename_method(&client, &id, &name).await.unwrap();
        session.refresh_authenticators(&client).await.unwrap();
        let listed = session
            .authenticators()
            .iter()
            .find(|a| a.id == id)
            .unwrap();
        assert_eq!(listed.name.as_deref(), Some(name.as_str()));
    }

    // The phone's channel: the voice phone's codes now come by text message.
    let voice = find(&session, FactorKind::Voice).unwrap();
    session
        .set_phone_channel(&client, &voice, false)
        .await
        .unwrap();
    session.refresh_authenticators(&client).await.unwrap();
    let listed = session
        .authenticators()
        .iter()
        .find(|a| a.id == voice)
        .unwrap();
    assert_eq!(listed.kind(), FactorKind::Sms);

    // Remove every method but the recovery code; the rules warn before the last one.
    loop {
        let list = session.authenticators().to_vec();
        let Some(target) = methods::usable(&list).next() else {
            break;
        };
        let removal = methods::removal_of(&list, &target.id, Listing::MyAccount).unwrap();
        let left = methods::independent_methods(&list, Listing::MyAccount);
        assert_eq!(removal.leaves_no_method, left == 1, "{list:?}");
        session.remove(&client, &target.id.clone()).await.unwrap();
        session.refresh_authenticators(&client).await.unwrap();
        assert!(!session.authenticators().iter().any(|a| a.id == target.id));
    }
    assert_my_account_only(&paths(&auth0).await);
}

#[tokio::test]
async fn a_wrong_code_keeps_the_step_and_an_expired_auth_session_ends_it() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    let (client, mut session) = signed_in_for_my_account(&auth0).await;
    let request = EnrollRequest::new(FactorKind::Email, None, Some("ana@example.com")).unwrap();
    session.start_enrollment(&client, &request).await.unwrap();
    let code = auth0.last_code().await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = session.confirm(&client, wrong).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::WrongOtp);
    assert_eq!(session.pending_kind(), Some(FactorKind::Email));
    session.confirm(&client, &code).await.unwrap();

    // The `auth_session` lives five minutes on this tenant (§S5.3 TTL setting).
    session.start_enrollment(&client, &request).await.unwrap();
    let code = auth0.last_code().await;
    auth0.advance_clock(301).await;
    let expired = session.confirm(&client, &code).await.unwrap_err();
    assert!(
        matches!(expired, FlowError::Api(ApiError::CodeExpired)),
        "{expired:?}"
    );
    assert_eq!(session.pending_kind(), None);
    let again = session.confirm(&client, &code).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::NoPendingCode);
}

#[tokio::test]
async fn a_bad_name_is_refused_before_anything_is_sent() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    let (client, mut session) = signed_in_for_my_account(&auth0).await;
    let id = find(&session, FactorKind::Otp).unwrap();
    auth0.reset_stats().await;
    let long = "x".repeat(101);
    for (name, code) in [
        ("", ErrorCode::InputEmpty),
        (long.as_str(), ErrorCode::InputTooLong),
        ("tab\there", ErrorCode::InputControlCharacters),
        ("two\nlines", ErrorCode::InputMultipleLines),
        (" key", ErrorCode::InputSurroundingSpaces),
    ] {
        let refused = session.rename_method(&client, &id, name).await.unwrap_err();
        assert_eq!(refused.code(), code, "{name:?}");
    }
    assert_eq!(auth0.stats().await.0, 0, "nothing reached the tenant");
}

#[tokio::test]
async fn a_new_recovery_code_replaces_the_old_one_and_works() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    let (client, mut session) = signed_in_for_my_account(&auth0).await;
    let new_code = session.new_recovery_code(&client).await.unwrap();
    assert_ne!(new_code.expose(), ENROLLED_RECOVERY_CODE);
    assert_eq!(
        auth0.recovery_code_of(ENROLLED).await.as_deref(),
        Some(new_code.expose())
    );
    assert!(session.has_recovery_code());
    // The new code signs in; the old one no longer does.
    let token = mfa_token(&client, ENROLLED).await;
    let old = client
        .verify_recovery_code(
            &token,
            &mfa_core::input::RecoveryCode::parse(ENROLLED_RECOVERY_CODE).unwrap(),
        )
        .await;
    assert!(matches!(old, Err(ApiError::WrongRecoveryCode)), "{old:?}");
    let token = mfa_token(&client, ENROLLED).await;
    client
        .verify_recovery_code(&token, &new_code)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_password_session_cannot_rename_and_keeps_the_mfa_api() {
    let auth0 = Auth0::start_with(my_account_with(SCOPES)).await;
    let (client, mut session) = signed_in(&auth0, ENROLLED).await;
    assert!(session.my_account_token().is_none());
    assert_eq!(session.listing(), Listing::MfaApi);
    let id = find(&session, FactorKind::Otp).unwrap();
    let refused = session
        .rename_method(&client, &id, "Phone")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::MyAccountRequired);
    assert_eq!(
        session.new_recovery_code(&client).await.unwrap_err().code(),
        ErrorCode::MyAccountRequired
    );
}

#[tokio::test]
async fn a_tenant_without_the_api_says_service_not_found_and_the_tab_says_what_next() {
    let auth0 = Auth0::start_with(|t| t.settings.my_account_api = false).await;
    let client = auth0.client();
    let (_sign_in, waited, page) = browser_sign_in(&auth0).await;
    let error = waited.unwrap_err();
    assert!(
        tenant_lacks_my_account(client.config(), &error),
        "{error:?}"
    );
    assert!(page.contains("data-outcome=\"switching\""), "{page}");
    assert!(page.contains("新しいタブで続行します"), "{page}");
    // Only that exact answer: a person who cancels on the hosted page is not a fallback.
    let other = FlowError::Browser(mfa_core::browser::BrowserError::Denied {
        description: "The user cancelled".into(),
    });
    assert!(!tenant_lacks_my_account(client.config(), &other));
}

#[tokio::test]
async fn a_token_granted_without_the_scopes_is_refused_for_my_account() {
    const READ_ONLY: &[&str] = &["read:me:authentication_methods"];
    let auth0 = Auth0::start_with(my_account_with(READ_ONLY)).await;
    let client = auth0.client();
    let (sign_in, waited, _page) = browser_sign_in(&auth0).await;
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected a code, got {waited:?}")
    };
    let refused = sign_in.finish(&client, &code).await.unwrap_err();
    assert!(
        matches!(refused, FlowError::MyAccountScopesMissing),
        "{refused:?}"
    );
}
