//! Browser sign-in over real HTTP: the core's loopback listener, the local Auth0's hosted
//! pages driven like a browser, the `authorization_code` grant with PKCE, and what the
//! resulting access token can do (spec §2.4). Every failure of the round trip is provoked.

#[path = "support/hosted.rs"]
mod hosted;
mod support;

use std::time::Duration;

use auth0_emulator::control_api::Channel;
use hosted::HostedBrowser;
use mfa_core::browser::{
    BrowserError, BrowserOptions, BrowserSignIn, Callback, CallbackTexts, FreshApiSignIn,
    CALLBACK_PATH,
};
use mfa_core::flow::{CancellationToken, EnrollRequest, MfaSession, NextStep};
use mfa_core::input::Email;
use mfa_core::model::FactorKind;
use mfa_core::{ApiError, Auth0Client, ErrorCode, FlowError};
use support::*;
use tokio::time::Instant;

fn texts() -> CallbackTexts {
    CallbackTexts {
        lang: "fr".into(),
        title: "MFA Desk".into(),
        done_heading: "Connexion reçue".into(),
        done_body: "Vous pouvez fermer cet onglet.".into(),
        failed_heading: "Connexion interrompue".into(),
        failed_body: "Revenez à MFA Desk.".into(),
        foreign_heading: "Lien périmé".into(),
        foreign_body: "Utilisez l'onglet le plus récent.".into(),
        switching_heading: Some("La connexion continue ailleurs".into()),
        switching_body: Some("Un nouvel onglet est ouvert.".into()),
    }
}

fn soon() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

async fn start(client: &Auth0Client) -> BrowserSignIn {
    BrowserSignIn::start(client, &BrowserOptions::default(), texts())
        .await
        .expect("the listener starts")
}

/// The hosted sign-in of `email` with its authenticator app, up to the redirect to the app.
async fn hosted_sign_in(
    auth0: &Auth0,
    sign_in: &BrowserSignIn,
    email: &str,
    totp_secret: &str,
) -> (HostedBrowser, url::Url) {
    let mut browser = HostedBrowser::new();
    let login = browser
        .open(sign_in.authorize_url().as_str())
        .await
        .unwrap();
    assert!(
        login.html().contains("name=\"password\""),
        "{}",
        login.html()
    );
    browser.sign_in(email, PASSWORD).await.unwrap();
    let code = auth0.totp(totp_secret).await;
    let callback = browser.enter_code(&code).await.unwrap();
    let callback = callback.callback().unwrap().clone();
    (browser, callback)
}

/// Lets the callback arrive while the app waits; returns what the wait gave and the page the
/// browser showed.
async fn deliver(
    sign_in: &mut BrowserSignIn,
    browser: &HostedBrowser,
    callback: &url::Url,
) -> (Result<Callback, FlowError>, reqwest::StatusCode, String) {
    let cancel = CancellationToken::new();
    let (waited, delivered) =
        tokio::join!(sign_in.wait(soon(), &cancel), browser.deliver(callback));
    let (status, page) = delivered.unwrap();
    (waited, status, page)
}

async fn signed_in_through_the_browser(auth0: &Auth0) -> (Auth0Client, MfaSession) {
    let client = auth0.client();
    let mut sign_in = start(&client).await;
    let (browser, callback) = hosted_sign_in(auth0, &sign_in, ENROLLED, ENROLLED_TOTP_SECRET).await;
    let (waited, status, page) = deliver(&mut sign_in, &browser, &callback).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-outcome=\"done\"") && page.contains("lang=\"fr\""),
        "{page}"
    );
    assert!(page.contains("Vous pouvez fermer cet onglet."));
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected a code, got {waited:?}")
    };
    let session = sign_in.finish(&client, &code).await.expect("code redeemed");
    (client, session)
}

#[tokio::test]
async fn the_url_asks_for_the_mfa_api_with_pkce_on_a_loopback_redirect() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let options = BrowserOptions {
        connection: Some("acme-okta".into()),
        redirect_port: None,
    };
    let sign_in = BrowserSignIn::start(&client, &options, texts())
        .await
        .unwrap();
    let url = sign_in.authorize_url();
    let param = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    assert_eq!(
        param("audience"),
        format!("{}/mfa/", auth0.emulator.base_url())
    );
    assert_eq!(param("code_challenge_method"), "S256");
    assert_eq!(param("connection"), "acme-okta");
    for scope in [
        "openid",
        "profile",
        "email",
        "read:authenticators",
        "enroll",
        "remove:authenticators",
    ] {
        assert!(
            param("scope").split(' ').any(|s| s == scope),
            "{scope} missing"
        );
    }
    assert!(!param("scope").contains("offline_access"));
    let redirect = url::Url::parse(&param("redirect_uri")).unwrap();
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));
    assert_eq!(redirect.path(), CALLBACK_PATH);
    assert_ne!(redirect.port(), None);
    assert_eq!(param("redirect_uri"), sign_in.redirect_uri());
}

#[tokio::test]
async fn a_browser_sign_in_lists_removes_and_adds_with_the_access_token() {
    let auth0 = Auth0::start_with(|t| t.settings.confirm_with_access_token = true).await;
    let (client, mut session) = signed_in_through_the_browser(&auth0).await;
    assert_eq!(session.next_step(), NextStep::Done);
    assert!(session.is_browser_session());
    assert_eq!(session.account(), ENROLLED);
    let tokens = session.tokens().unwrap();
    assert!(tokens.has_scope("remove:authenticators") && tokens.has_scope("enroll"));
    assert!(
        tokens.refresh_token.is_none(),
        "no long-lived token is kept"
    );
    let kinds = |s: &MfaSession| {
        let mut k: Vec<_> = s.active_factors().map(|a| a.kind()).collect();
        k.sort_by_key(|k| k.as_str());
        k
    };
    assert_eq!(
        kinds(&session),
        [FactorKind::Otp, FactorKind::Sms, FactorKind::Voice]
    );

    // Remove the phone: SMS takes voice with it.
    let sms = factor_id(&session, FactorKind::Sms);
    session.remove(&client, &sms).await.unwrap();
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(kinds(&session), [FactorKind::Otp]);

    // Add an email address; the access token stands in for the mfa_token (tenant setting on).
    let email = Email::parse("second@example.com").unwrap();
    session
        .start_enrollment(&client, &EnrollRequest::Email(email))
        .await
        .unwrap();
    let code = auth0
        .control
        .wait_for_message(Channel::Email, 0, Duration::from_secs(5))
        .await
        .unwrap()
        .expect("the email was sent")
        .code;
    session.confirm(&client, &code).await.unwrap();
    session.refresh_authenticators(&client).await.unwrap();
    assert_eq!(kinds(&session), [FactorKind::Email, FactorKind::Otp]);
}

#[tokio::test]
async fn a_tenant_that_refuses_the_access_token_for_confirmation_leaves_nothing_half_added() {
    let auth0 = Auth0::start().await; // confirm_with_access_token: off (the default)
    let (client, mut session) = signed_in_through_the_browser(&auth0).await;
    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let secret = started.otp.unwrap().secret;
    use mfa_core::secret::ExposeSecret;
    let code = auth0.totp(secret.expose_secret()).await;
    let error = session.confirm(&client, &code).await.unwrap_err();
    assert!(
        matches!(error, FlowError::ConfirmationNeedsMfaToken),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::EnrollConfirmUnsupported);
    assert!(error.code().needs_helpdesk());
    // The unconfirmed authenticator app is gone, and the session still works.
    let listed = session.refresh_authenticators(&client).await.unwrap();
    assert!(listed.iter().all(|a| a.active), "{listed:?}");
    assert_eq!(
        listed
            .iter()
            .filter(|a| a.kind() == FactorKind::Otp)
            .count(),
        1,
        "only the authenticator app the person already had"
    );
    assert_eq!(session.pending_kind(), None);
}

#[tokio::test]
async fn cancelling_on_the_hosted_page_is_a_denied_sign_in() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let mut sign_in = start(&client).await;
    let mut browser = HostedBrowser::new();
    browser
        .open(sign_in.authorize_url().as_str())
        .await
        .unwrap();
    let callback = browser.cancel().await.unwrap().callback().unwrap().clone();
    let (waited, status, page) = deliver(&mut sign_in, &browser, &callback).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-outcome=\"failed\""), "{page}");
    let error = waited.unwrap_err();
    assert!(
        matches!(error, FlowError::Browser(BrowserError::Denied { .. })),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::BrowserSignInDenied);
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused_and_the_wait_goes_on() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let mut sign_in = start(&client).await;
    let (browser, callback) =
        hosted_sign_in(&auth0, &sign_in, ENROLLED, ENROLLED_TOTP_SECRET).await;

    let mut forged = callback.clone();
    let code = callback
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    forged
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", "not-the-state-the-app-sent");
    let (waited, status, page) = deliver(&mut sign_in, &browser, &forged).await;
    assert_eq!(status, 400);
    assert!(page.contains("data-outcome=\"foreign\""), "{page}");
    assert!(matches!(waited, Ok(Callback::Foreign)), "{waited:?}");

    // A request from another site (DNS rebinding) is not even judged: the wait goes on
    // (here until its short deadline).
    let rebinding = reqwest::Client::new()
        .get(callback.as_str())
        .header("host", "evil.example:80")
        .timeout(Duration::from_secs(5))
        .send();
    let short = Instant::now() + Duration::from_millis(500);
    let cancel = CancellationToken::new();
    let (waited, rebinding) = tokio::join!(sign_in.wait(short, &cancel), rebinding);
    assert_eq!(rebinding.unwrap().status(), 421);
    assert!(
        matches!(waited, Err(FlowError::Browser(BrowserError::TimedOut))),
        "{waited:?}"
    );

    // The real callback still arrives and signs in.
    let (waited, status, _) = deliver(&mut sign_in, &browser, &callback).await;
    assert_eq!(status, 200);
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected the code, got {waited:?}")
    };
    let session = sign_in.finish(&client, &code).await.unwrap();
    assert_eq!(session.account(), ENROLLED);
}

#[tokio::test]
async fn a_code_used_before_the_app_or_expired_is_refused() {
    for spoil in ["reused", "expired"] {
        let auth0 = Auth0::start().await;
        let client = auth0.client();
        let mut sign_in = start(&client).await;
        let (browser, callback) =
            hosted_sign_in(&auth0, &sign_in, ENROLLED, ENROLLED_TOTP_SECRET).await;
        let code_text = callback
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned();
        if spoil == "reused" {
            // Someone who intercepted the code redeems it first (without the verifier).
            let answer = reqwest::Client::new()
                .post(format!("{}/oauth/token", auth0.emulator.base_url()))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", DEMO_CLIENT),
                    ("code", code_text.as_str()),
                    (
                        "code_verifier",
                        "a-guess-that-does-not-match-the-challenge-xyz",
                    ),
                    ("redirect_uri", sign_in.redirect_uri()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 403);
        } else {
            auth0.advance_clock(61).await;
        }
        let (waited, _, _) = deliver(&mut sign_in, &browser, &callback).await;
        let Ok(Callback::Code(code)) = waited else {
            panic!("expected the code, got {waited:?}")
        };
        let error = sign_in.finish(&client, &code).await.unwrap_err();
        assert!(
            matches!(
                error,
                FlowError::Api(ApiError::AuthorizationCodeRejected { .. })
            ),
            "{spoil}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::BrowserCodeRejected);
    }
}

#[tokio::test]
async fn nobody_answering_times_out_and_cancel_ends_the_wait_and_closes_the_port() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();

    let mut sign_in = start(&client).await;
    let started = Instant::now();
    let error = sign_in
        .wait(
            Instant::now() + Duration::from_millis(300),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, FlowError::Browser(BrowserError::TimedOut)),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::BrowserSignInTimedOut);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let cancel = CancellationToken::new();
    let waiting = sign_in.wait(soon(), &cancel);
    let canceller = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
    };
    let (error, ()) = tokio::join!(waiting, canceller);
    let error = error.unwrap_err();
    assert!(
        matches!(error, FlowError::Browser(BrowserError::Cancelled)),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::BrowserSignInCancelled);

    let redirect = sign_in.redirect_uri().to_owned();
    drop(sign_in);
    assert!(
        reqwest::get(&redirect).await.is_err(),
        "the listener still answers after the sign-in ended"
    );
}

#[tokio::test]
async fn a_fixed_port_is_used_and_a_busy_one_is_reported() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let options = BrowserOptions {
        connection: None,
        redirect_port: Some(port),
    };
    let error = BrowserSignIn::start(&client, &options, texts())
        .await
        .unwrap_err();
    assert!(
        matches!(error, FlowError::Browser(BrowserError::PortUnavailable { port: p }) if p == port),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::RedirectPortUnavailable);
    drop(busy);
    let sign_in = BrowserSignIn::start(&client, &options, texts())
        .await
        .unwrap();
    assert_eq!(
        sign_in.redirect_uri(),
        format!("http://127.0.0.1:{port}/callback")
    );
}

#[tokio::test]
async fn bad_page_texts_are_refused_before_anything_listens() {
    let auth0 = Auth0::start().await;
    let mut bad = texts();
    bad.done_body = "x".repeat(5000);
    let error = BrowserSignIn::start(&auth0.client(), &BrowserOptions::default(), bad)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InputTooLong);
}

#[tokio::test]
async fn the_recovery_code_on_the_hosted_page_signs_in_and_rotates() {
    let auth0 = Auth0::start().await;
    let client = auth0.client();
    let mut sign_in = start(&client).await;
    let mut browser = HostedBrowser::new();
    browser
        .open(sign_in.authorize_url().as_str())
        .await
        .unwrap();
    browser.sign_in(ENROLLED, PASSWORD).await.unwrap();
    let (new_code, after) = browser
        .use_recovery_code(ENROLLED_RECOVERY_CODE)
        .await
        .unwrap();
    assert_ne!(new_code, ENROLLED_RECOVERY_CODE);
    assert_eq!(
        auth0.recovery_code_of(ENROLLED).await.as_deref(),
        Some(new_code.as_str())
    );
    let callback = after.callback().unwrap().clone();
    let (waited, _, _) = deliver(&mut sign_in, &browser, &callback).await;
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected the code, got {waited:?}")
    };
    let session = sign_in.finish(&client, &code).await.unwrap();
    assert_eq!(session.next_step(), NextStep::Done);
}

/// Helpdesk mode's sign-in (§S6): for the helpdesk API, a new login with MFA whatever the
/// browser remembers, and the ID token's `auth_time` checked on the way back.
async fn fresh_helpdesk_sign_in(auth0: &Auth0) -> Result<mfa_core::model::TokenSet, FlowError> {
    use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_API};
    let client = auth0.client();
    let fresh = FreshApiSignIn {
        audience: HELPDESK_API.into(),
        max_age_secs: 300,
    };
    let mut sign_in =
        BrowserSignIn::start_fresh(&client, &BrowserOptions::default(), texts(), fresh)
            .await
            .unwrap();
    let (browser, callback) =
        hosted_sign_in(auth0, &sign_in, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET).await;
    let (waited, _, _) = deliver(&mut sign_in, &browser, &callback).await;
    let Ok(Callback::Code(code)) = waited else {
        panic!("expected a code, got {waited:?}")
    };
    sign_in.finish_fresh(&client, &code).await
}

#[tokio::test]
async fn a_fresh_sign_in_for_the_helpdesk_api_carries_the_agents_permissions_and_mfa() {
    use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_MFA_CLAIM};
    use mfa_core::helpdesk_service::AgentSession;
    use mfa_core::secret::ExposeSecret;
    let auth0 = Auth0::start().await;
    let tokens = fresh_helpdesk_sign_in(&auth0)
        .await
        .expect("a fresh sign-in");
    let email = tokens
        .id_token
        .as_ref()
        .and_then(|t| AgentSession::id_token_email(t.expose_secret()));
    let agent = AgentSession::from_tokens(tokens.access_token.clone(), email).unwrap();
    assert_eq!(agent.claims.email.as_deref(), Some(HELPDESK_AGENT));
    assert!(agent.has("helpdesk:read") && agent.has("helpdesk:act"));
    assert!(!agent.has("helpdesk:reset") && !agent.has("helpdesk:approve"));
    let payload = tokens
        .access_token
        .expose_secret()
        .split('.')
        .nth(1)
        .unwrap()
        .to_owned();
    let claims = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap(),
    )
    .unwrap();
    assert!(claims.contains(HELPDESK_MFA_CLAIM), "{claims}");
}

#[tokio::test]
async fn a_sign_in_older_than_the_request_is_not_taken_as_fresh() {
    let auth0 = Auth0::start().await;
    // A tenant answering with a sign-in from an hour ago (as if `prompt=login` was stripped).
    auth0.control.advance_clock(-3600).await.unwrap();
    let refused = fresh_helpdesk_sign_in(&auth0).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::BrowserSignInNotFresh);
}
