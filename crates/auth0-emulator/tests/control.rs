//! The typed control client against a real emulator: every call, and what
//! it reports after real Authentication and MFA API traffic.

use std::time::Duration;

use auth0_emulator::client::{ControlClient, ControlError};
use auth0_emulator::control_api::{Channel, PushState};
use auth0_emulator::{demo, start, totp_code, Fault, FaultKind, RunningEmulator, Tenant};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn emulator() -> (RunningEmulator, ControlClient) {
    let mut tenant = Tenant::demo();
    tenant.settings.push_min_poll_interval_secs = 0;
    let emu = start("127.0.0.1:0".parse().unwrap(), tenant).await.unwrap();
    let control = ControlClient::new(&format!("{}/", emu.base_url()));
    (emu, control)
}

/// Password sign-in that answers `mfa_required`; the mfa_token.
async fn mfa_token(emu: &RunningEmulator, email: &str, correlation: &str) -> String {
    let body: Value = reqwest::Client::new()
        .post(format!("{}/oauth/token", emu.base_url()))
        .header("X-Correlation-ID", correlation)
        .form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", email),
            ("password", demo::PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["mfa_token"].as_str().unwrap().to_owned()
}

async fn challenge(emu: &RunningEmulator, mfa_token: &str, authenticator_id: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/mfa/challenge", emu.base_url()))
        .json(
            &json!({"client_id": demo::PUBLIC_CLIENT_ID, "mfa_token": mfa_token,
                      "authenticator_id": authenticator_id}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn secrets_clock_and_totp_agree() {
    let (_emu, control) = emulator().await;
    assert!(!control.base_url().ends_with('/'));
    let enrolled = control.user_secrets("ENROLLED@example.com").await.unwrap();
    let enrolled = enrolled.expect("the demo user exists");
    assert_eq!(enrolled.user_id, demo::ENROLLED_USER_ID);
    assert_eq!(enrolled.phone.as_deref(), Some(demo::ENROLLED_PHONE));
    let otp = enrolled.newest_otp().unwrap();
    assert_eq!(otp.secret, demo::ENROLLED_TOTP_SECRET);
    assert_eq!(otp.authenticator_id, demo::ENROLLED_TOTP_ID);

    let later = control.advance_clock(3600).await.unwrap();
    assert_eq!(control.now().await.unwrap(), later);
    let expected = totp_code(demo::ENROLLED_TOTP_SECRET, later).unwrap();
    assert_eq!(
        control.totp_now(demo::ENROLLED).await.unwrap(),
        Some(expected)
    );
    assert_eq!(
        control
            .recovery_code(demo::ENROLLED)
            .await
            .unwrap()
            .as_deref(),
        Some(demo::ENROLLED_RECOVERY_CODE)
    );
    assert_eq!(
        control.user_secrets("nobody@example.com").await.unwrap(),
        None
    );

    // Every demo user is there, with the documented fixed secrets.
    let all = control.secrets().await.unwrap();
    let find = |email: &str| all.iter().find(|u| u.email == email).unwrap();
    assert_eq!(
        find(demo::HELPDESK_AGENT).otp[0].secret,
        demo::HELPDESK_AGENT_TOTP_SECRET
    );
    let push_user = find(demo::PUSH_USER);
    assert_eq!(push_user.otp.len(), 2, "push's sibling and the app");
    assert!(push_user
        .otp
        .iter()
        .any(|o| o.secret == demo::PUSH_USER_TOTP_SECRET));
    assert_eq!(
        find(demo::ONLY_RECOVERY).recovery_code.as_deref(),
        Some(demo::ONLY_RECOVERY_CODE)
    );
    assert!(find(demo::ONLY_RECOVERY).otp.is_empty());
    assert_eq!(
        find(demo::PHONE_ONLY).phone.as_deref(),
        Some(demo::PHONE_ONLY_PHONE)
    );
    assert_eq!(find(demo::PHONE_ONLY).recovery_code, None);
}

#[tokio::test]
async fn outbox_push_and_requests() {
    let (emu, control) = emulator().await;
    let created = control
        .create_user("control.user@example.com", demo::PASSWORD)
        .await
        .unwrap();
    assert!(created.user_id.starts_with("auth0|"));
    match control
        .create_user("Control.User@example.com", "x")
        .await
        .unwrap_err()
    {
        ControlError::Status { status, .. } => assert_eq!(status, 409),
        other => panic!("{other:?}"),
    }

    // An SMS challenge lands in the outbox.
    let mfa = mfa_token(&emu, demo::ENROLLED, "corr-1").await;
    assert_eq!(control.last_message(Channel::Sms).await.unwrap(), None);
    let sms = challenge(&emu, &mfa, demo::ENROLLED_SMS_ID).await;
    assert_eq!(sms["binding_method"], "prompt");
    let sent = control
        .wait_for_message(Channel::Sms, 0, Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sent.to, demo::ENROLLED_PHONE);
    assert_eq!(sent.code.len(), 6);
    assert_eq!(sent.link, None);
    assert_eq!(
        control.last_message(Channel::Sms).await.unwrap(),
        Some(sent)
    );
    let none = control
        .wait_for_message(Channel::Sms, 1, Duration::from_millis(120))
        .await
        .unwrap();
    assert_eq!(none, None);

    // Push: pending, then approved; nothing left to deny.
    assert_eq!(control.pending_push().await.unwrap(), None);
    let push_mfa = mfa_token(&emu, demo::PUSH_USER, "corr-2").await;
    let push = challenge(&emu, &push_mfa, "push|dev_DemoPushPushUser").await;
    let pending = control
        .wait_for_push(Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending.oob_code, push["oob_code"].as_str().unwrap());
    assert_eq!(pending.email.as_deref(), Some(demo::PUSH_USER));
    assert_eq!(pending.decision, PushState::Pending);
    assert!(!pending.enrollment);
    let approved = control
        .approve_push(Some(&pending.oob_code))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(approved.decision, PushState::Approved);
    assert_eq!(control.deny_push(None).await.unwrap(), None);

    // The request log keeps method, path and correlation id; control calls are not in it.
    let log = control.requests().await.unwrap();
    let paths: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("POST", "/oauth/token"),
            ("POST", "/mfa/challenge"),
            ("POST", "/oauth/token"),
            ("POST", "/mfa/challenge"),
        ]
    );
    assert_eq!(log[0].correlation_id.as_deref(), Some("corr-1"));
    assert_eq!(log[0].status, Some(403));
    assert_eq!(log[1].correlation_id, None);
    assert_eq!(log[1].status, Some(200));
    control.clear_requests().await.unwrap();
    assert!(control.requests().await.unwrap().is_empty());

    // Tokens: everything issued so far.
    let issued = control.tokens().await.unwrap();
    assert!(issued.mfa_tokens.contains(&mfa));
    assert!(issued.all().any(|t| t == pending.oob_code));
}

#[tokio::test]
async fn faults_stats_and_the_request_log_bound() {
    let (emu, control) = emulator().await;
    let queued = control
        .add_fault(&Fault::status("/oauth/token", 503).method("POST").times(2))
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, FaultKind::Status);
    assert_eq!(queued[0].count, 2);
    control
        .add_fault(&Fault::delay("/mfa/challenge", 1))
        .await
        .unwrap();
    assert_eq!(control.faults().await.unwrap().len(), 2);
    control.clear_faults().await.unwrap();
    assert!(control.faults().await.unwrap().is_empty());

    control
        .add_fault(&Fault::rate_limit("/oauth/token"))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/oauth/token", emu.base_url());
    let r = http.post(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);

    control.reset_stats().await.unwrap();
    for _ in 0..205 {
        http.post(&url).send().await.unwrap();
    }
    let stats = control.stats().await.unwrap();
    assert_eq!(stats.requests["/oauth/token"], 205);
    assert_eq!(stats.total_requests(), 205);
    let log = control.requests().await.unwrap();
    assert_eq!(log.len(), 200, "the newest 200");
    assert!(log.iter().all(|r| r.status == Some(400)));

    // A bad control call is a typed error naming the status.
    let err = ControlClient::new("http://127.0.0.1:1")
        .now()
        .await
        .unwrap_err();
    assert!(matches!(err, ControlError::Network(_)), "{err:?}");
}
