//! The local Auth0 with the My Account API and passkeys on, a My Account token for the
//! enrolled demo user, and a ceremony run the way the app runs it: on a blocking thread,
//! with a scripted person answering each prompt from the async side.
#![allow(dead_code)] // each test binary uses part of it

use std::time::Duration;

use auth0_emulator::client::ControlClient;
use auth0_emulator::{demo, RunningEmulator, Tenant};
use mfa_core::my_account::passkey::{AttestationResponse, PasskeyStarted};
use mfa_core::my_account::{MyAccountClient, SCOPES};
use mfa_core::secret::AccessToken;
use mfa_core::{Auth0Client, TenantConfig};
use serde_json::Value;
use soft_security_key::{SoftKey, SoftTransport};
use webauthn_client::{
    prompt_channel, register_with, CeremonyControl, CeremonyError, Pin, Prompt, Registration, Waits,
};

pub struct Env {
    pub emulator: RunningEmulator,
    pub control: ControlClient,
    pub http: reqwest::Client,
}

impl Env {
    pub async fn start() -> Self {
        // The demo tenant has the My Account API activated for the app; passkeys on.
        let mut tenant = Tenant::demo();
        assert!(tenant.settings.my_account_api);
        tenant.settings.passkeys = true;
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), tenant)
            .await
            .unwrap();
        Self {
            control: ControlClient::new(&emulator.base_url()),
            emulator,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    pub fn my_account(&self) -> MyAccountClient {
        let config = TenantConfig::new(&self.emulator.base_url(), demo::PUBLIC_CLIENT_ID).unwrap();
        MyAccountClient::new(&Auth0Client::new(config).unwrap())
    }

    async fn totp(&self) -> String {
        // A code is good once: each sign-in takes the next one.
        let now = self.control.advance_clock(30).await.unwrap();
        auth0_emulator::totp_code(demo::ENROLLED_TOTP_SECRET, now).unwrap()
    }

    /// The enrolled demo user's My Account token: a sign-in for the audience
    /// `<base>/me/`, through MFA with the authenticator app.
    pub async fn me_token(&self) -> AccessToken {
        let audience = self.url("/me/");
        let scope = SCOPES.join(" ");
        let form = [
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", demo::ENROLLED),
            ("password", demo::PASSWORD),
            ("audience", audience.as_str()),
            ("scope", scope.as_str()),
        ];
        let answer: Value = self.post_form("/oauth/token", &form).await;
        let Some(mfa_token) = answer["mfa_token"].as_str() else {
            panic!("MFA is asked: {answer}");
        };
        let mfa_token = mfa_token.to_owned();
        let otp = self.totp().await;
        let form = [
            ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", mfa_token.as_str()),
            ("otp", otp.as_str()),
        ];
        let tokens: Value = self.post_form("/oauth/token", &form).await;
        AccessToken::from(tokens["access_token"].as_str().expect("a token").to_owned())
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Value {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `POST {"type":"passkey"}` and the person's passkeys to exclude, as the app does.
    pub async fn registration(&self, token: &AccessToken) -> (PasskeyStarted, Registration) {
        let client = self.my_account();
        let started = client.start_passkey(token).await.unwrap();
        let exclude = client
            .registered_passkeys(token)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|p| p.key_id)
            .collect();
        let registration = Registration {
            options: started.options.clone(),
            exclude,
        };
        (started, registration)
    }
}

/// What the scripted person does at one prompt.
pub enum Act {
    Pin(&'static str),
    NewPin(&'static str),
    Cancel,
    Wait,
}

/// Runs one registration with `keys` plugged in, `person` answering each prompt: the outcome
/// and every prompt shown, in order.
pub async fn ceremony(
    keys: &[&SoftKey],
    registration: Registration,
    waits: Waits,
    mut person: impl FnMut(&Prompt) -> Act,
) -> (Result<AttestationResponse, CeremonyError>, Vec<Prompt>) {
    let (control, prompter, mut prompts) = prompt_channel();
    let transport = SoftTransport::with(keys);
    let run = tokio::task::spawn_blocking(move || {
        register_with(transport, &registration, &prompter, waits)
    });
    let mut shown = Vec::new();
    while let Some(prompt) = prompts.recv().await {
        act(&control, person(&prompt));
        shown.push(prompt);
    }
    (run.await.unwrap(), shown)
}

fn act(control: &CeremonyControl, act: Act) {
    match act {
        Act::Pin(pin) => control.enter_pin(Pin::new(pin.into())),
        Act::NewPin(pin) => control.set_pin(Pin::new(pin.into())),
        Act::Cancel => control.cancel(),
        Act::Wait => {}
    }
}

pub fn waits() -> Waits {
    Waits::from_timeout_ms(Some(60_000))
}

pub fn short_waits() -> Waits {
    Waits {
        key: Duration::from_millis(300),
        touch: Duration::from_millis(300),
    }
}

/// The PINs a person types at successive PIN prompts.
pub fn types_pins(pins: &'static [&'static str]) -> impl FnMut(&Prompt) -> Act {
    let mut next = pins.iter();
    move |prompt| match prompt {
        Prompt::EnterPin { .. } => next.next().map_or(Act::Cancel, |p| Act::Pin(p)),
        _ => Act::Wait,
    }
}

/// The person at the hosted sign-in page, typing `pin` when the key asks.
#[derive(Debug)]
struct TypesPin(&'static str);

impl webauthn_authenticator_rs::ui::UiCallback for TypesPin {
    fn request_pin(&self) -> Option<String> {
        Some(self.0.to_owned())
    }
    fn request_touch(&self) {}
    fn processing(&self) {}
    fn fingerprint_enrollment_feedback(
        &self,
        _: u32,
        _: Option<webauthn_authenticator_rs::types::EnrollSampleStatus>,
    ) {
    }
    fn cable_qr_code(&self, _: webauthn_authenticator_rs::types::CableRequestType, _: String) {}
    fn dismiss_qr_code(&self) {}
    fn cable_status_update(&self, _: webauthn_authenticator_rs::types::CableState) {}
}

/// Signs in on the hosted page with `key`'s passkey (what the page's script does with
/// `navigator.credentials.get`, from the RP ID's origin, here through the library's CTAP2
/// getAssertion): the status and `Location` of `POST /u/passkey/verify`.
pub async fn hosted_sign_in(env: &Env, key: &SoftKey, pin: &'static str) -> (u16, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = format!(
        "/authorize?response_type=code&client_id={}&redirect_uri=http://127.0.0.1:43117/callback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=openid",
        demo::PUBLIC_CLIENT_ID
    );
    let r = http.get(env.url(&authorize)).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let state = location.strip_prefix("/u/login?state=").unwrap().to_owned();
    let options: Value = http
        .post(env.url("/u/passkey/options"))
        .form(&[("state", state.as_str()), ("email", demo::ENROLLED)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let options: webauthn_rs_proto::PublicKeyCredentialRequestOptions =
        serde_json::from_value(options["publicKey"].clone()).unwrap();
    let origin = url::Url::parse(&format!("https://{}", options.rp_id)).unwrap();
    let token = key.token();
    let assertion = tokio::task::spawn_blocking(move || {
        use webauthn_authenticator_rs::ctap2::CtapAuthenticator;
        use webauthn_authenticator_rs::AuthenticatorBackend;
        let person = TypesPin(pin);
        let mut authenticator =
            futures::executor::block_on(CtapAuthenticator::new(token, &person)).unwrap();
        authenticator.perform_auth(origin, options, 60_000).unwrap()
    })
    .await
    .unwrap();
    let credential = serde_json::to_string(&assertion).unwrap();
    let r = http
        .post(env.url("/u/passkey/verify"))
        .form(&[
            ("state", state.as_str()),
            ("credential", credential.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), location)
}
