//! The device flow (§S2) against the local Auth0 over real HTTP: the code and the link, the
//! hosted `/activate` page driven as the person's browser would, and each way a wait ends.

use std::time::Duration;

use auth0_emulator::client::ControlClient;
use auth0_emulator::{demo, totp_code, RunningEmulator, Tenant};
use mfa_core::client::Timeouts;
use mfa_core::device::{DeviceAuthorization, DeviceFlowClient, DeviceFlowError, Poll};
use mfa_core::secret::ExposeSecret;

struct Tenant0 {
    emulator: RunningEmulator,
    control: ControlClient,
    flow: DeviceFlowClient,
}

async fn tenant() -> Tenant0 {
    let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), Tenant::demo())
        .await
        .unwrap();
    let control = ControlClient::new(&emulator.base_url());
    let flow = DeviceFlowClient::new(
        &emulator.base_url(),
        demo::PUBLIC_CLIENT_ID,
        Timeouts::default(),
    )
    .unwrap();
    Tenant0 {
        emulator,
        control,
        flow,
    }
}

impl Tenant0 {
    async fn start(&self) -> DeviceAuthorization {
        self.flow
            .start(
                demo::HELPDESK_API,
                "openid email helpdesk:read helpdesk:act",
            )
            .await
            .unwrap()
    }

    /// The person types the code, signs in with MFA and presses `action` on the
    /// confirmation page.
    async fn activate(&self, user_code: &str, action: &str) {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = self.emulator.base_url();
        let post = |path: &str, form: Vec<(&str, String)>| {
            let request = http.post(format!("{base}{path}")).form(&form);
            async move {
                let r = request.send().await.unwrap();
                let location = r
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_owned());
                location.unwrap_or_default()
            }
        };
        let location = post(
            "/activate",
            vec![("code", user_code.into()), ("action", "continue".into())],
        )
        .await;
        let state = location
            .strip_prefix("/u/login?state=")
            .expect(&location)
            .to_owned();
        let login = vec![
            ("state", state.clone()),
            ("email", demo::HELPDESK_AGENT.into()),
            ("password", demo::PASSWORD.into()),
            ("action", "continue".into()),
        ];
        post("/u/login", login).await;
        let now = self.control.advance_clock(30).await.unwrap();
        let code = totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
        post(
            "/u/mfa",
            vec![
                ("state", state.clone()),
                ("code", code),
                ("action", "continue".into()),
            ],
        )
        .await;
        post(
            "/activate/confirm",
            vec![("state", state), ("action", action.into())],
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_then_slow_down_then_tokens_after_the_activate_page() {
    let t = tenant().await;
    let mut device = t.start().await;
    assert_eq!(device.user_code.len(), 9);
    assert_eq!(
        device.verification_uri,
        format!("{}/activate", t.emulator.base_url())
    );
    assert!(device
        .verification_uri_complete
        .as_deref()
        .unwrap()
        .ends_with(&device.user_code));
    assert_eq!(device.interval, Duration::from_secs(5));
    assert!(
        !format!("{device:?}").contains("device_code: \""),
        "the device code is redacted"
    );

    assert!(matches!(
        t.flow.poll(&mut device).await.unwrap(),
        Poll::Pending
    ));
    assert!(matches!(
        t.flow.poll(&mut device).await.unwrap(),
        Poll::SlowDown
    ));
    assert_eq!(
        device.interval,
        Duration::from_secs(10),
        "RFC 8628 §3.5: five more seconds"
    );

    t.activate(&device.user_code, "continue").await;
    t.control.advance_clock(10).await.unwrap();
    device.interval = Duration::from_millis(10);
    let tokens = t.flow.wait(&mut device).await.unwrap();
    assert!(tokens.access_token.expose_secret().starts_with("ey"));
    assert!(tokens.id_token.is_some());
    assert_eq!(
        tokens.scope.as_deref(),
        Some("openid email helpdesk:read helpdesk:act")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_confirmation_and_expired_codes_end_the_wait() {
    let t = tenant().await;
    let mut cancelled = t.start().await;
    t.activate(&cancelled.user_code, "cancel").await;
    cancelled.interval = Duration::from_millis(10);
    assert_eq!(
        t.flow.wait(&mut cancelled).await.unwrap_err(),
        DeviceFlowError::Denied
    );

    let mut expired = t.start().await;
    t.control.advance_clock(901).await.unwrap();
    expired.interval = Duration::from_millis(10);
    // §S2.3: expired_token once, invalid_grant after it: both end the wait.
    assert_eq!(
        t.flow.wait(&mut expired).await.unwrap_err(),
        DeviceFlowError::Expired
    );
    assert_eq!(
        t.flow.poll(&mut expired).await.unwrap_err(),
        DeviceFlowError::Expired
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_without_the_grant_is_refused_and_the_wait_stops_at_the_lifetime() {
    let t = tenant().await;
    let other = DeviceFlowClient::new(
        &t.emulator.base_url(),
        demo::CONFIDENTIAL_CLIENT_ID,
        Timeouts::default(),
    )
    .unwrap();
    let refused = other.start(demo::HELPDESK_API, "openid").await.unwrap_err();
    assert!(
        matches!(
            refused,
            DeviceFlowError::NotAllowed(_) | DeviceFlowError::Refused(_)
        ),
        "{refused:?}"
    );

    let mut device = t.start().await;
    device.expires_at = std::time::Instant::now() + Duration::from_millis(500);
    device.interval = Duration::from_secs(1);
    assert_eq!(
        t.flow.wait(&mut device).await.unwrap_err(),
        DeviceFlowError::Expired
    );
}
