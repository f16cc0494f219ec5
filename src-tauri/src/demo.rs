//! Demo mode: the Auth0 emulator runs inside the app on loopback, and a demo inbox shows what
//! a real tenant would have sent by SMS, voice or email, plus the current authenticator-app
//! codes of the demo users. The webview cannot reach the emulator (its CSP allows no HTTP), so
//! these commands fetch from Rust, through the emulator's typed control client.

use auth0_emulator::client::{ControlClient, ControlError};
use auth0_emulator::RunningEmulator;
use mfa_core::ErrorCode;
use serde::Deserialize;

use crate::command_error::{CommandError, CommandResult};
use crate::views::demo::{MessageView, PendingPushView, TotpCodeView};

pub struct Demo {
    /// Kept alive for the app's lifetime when the emulator runs in-process.
    _embedded: Option<RunningEmulator>,
    base_url: String,
    /// The helpdesk service scripts/demo started beside the tenant (`--helpdesk-service`).
    helpdesk_service: Option<String>,
}

/// What the person pressed in the inbox's push section.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PushDecision {
    Approve,
    Deny,
}

impl From<ControlError> for CommandError {
    fn from(error: ControlError) -> Self {
        match error {
            ControlError::Network(_) => ErrorCode::Network.into(),
            ControlError::Status { .. } | ControlError::Decode(_) => {
                ErrorCode::UnexpectedResponse.into()
            }
        }
    }
}

impl Demo {
    /// Starts the emulator in-process, or attaches to one already running at `external`.
    /// `helpdesk_service`: where the helpdesk service started beside it answers, if any. It
    /// runs as its own process (scripts/demo): in-process it would put SQL storage, metrics
    /// and an OpenAPI generator into the app's binary.
    pub async fn start(
        external: Option<String>,
        helpdesk_service: Option<String>,
    ) -> std::io::Result<Self> {
        let mut demo = match external {
            Some(base_url) => Self {
                _embedded: None,
                base_url: base_url.trim_end_matches('/').to_owned(),
                helpdesk_service: None,
            },
            None => Self::start_embedded().await?,
        };
        demo.helpdesk_service = helpdesk_service;
        Ok(demo)
    }

    /// The local Auth0 inside the app: practice mode for employees. Builds without the
    /// `demo` feature leave its server out entirely (the linker drops what nothing calls).
    #[cfg(feature = "demo")]
    async fn start_embedded() -> std::io::Result<Self> {
        let emulator = auth0_emulator::start(
            crate::launch::demo_listen_addr(),
            auth0_emulator::Tenant::demo(),
        )
        .await?;
        tracing::info!(url = %emulator.base_url(), "demo tenant started");
        Ok(Self {
            base_url: emulator.base_url(),
            _embedded: Some(emulator),
            helpdesk_service: None,
        })
    }

    #[cfg(not(feature = "demo"))]
    async fn start_embedded() -> std::io::Result<Self> {
        Err(std::io::Error::other(
            "this build of MFA Desk has no built-in demo tenant (cargo feature `demo`)",
        ))
    }

    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn helpdesk_service(&self) -> Option<String> {
        self.helpdesk_service.clone()
    }

    /// The control client, on the app's one HTTP client.
    fn control(&self, http: &reqwest::Client) -> ControlClient {
        ControlClient::with_http(&self.base_url, http.clone())
    }

    pub async fn outbox(&self, http: &reqwest::Client) -> CommandResult<Vec<MessageView>> {
        let sent = self.control(http).outbox().await?;
        Ok(sent.into_iter().map(MessageView::from).collect())
    }

    pub async fn push(&self, http: &reqwest::Client, decision: PushDecision) -> CommandResult<()> {
        let control = self.control(http);
        let answered = match decision {
            PushDecision::Approve => control.approve_push(None).await?,
            PushDecision::Deny => control.deny_push(None).await?,
        };
        answered
            .map(drop)
            .ok_or_else(|| ErrorCode::NoPendingCode.into())
    }

    /// The newest push waiting for an answer on the demo phone, if any.
    pub async fn pending_push(
        &self,
        http: &reqwest::Client,
    ) -> CommandResult<Option<PendingPushView>> {
        let pending = self.control(http).pending_push().await?;
        Ok(pending.map(|push| PendingPushView {
            account: push.email,
            binding_message: push.binding_message,
            expires_at: push.expires_at,
        }))
    }

    pub async fn totp_codes(&self, http: &reqwest::Client) -> CommandResult<Vec<TotpCodeView>> {
        let users = self.control(http).secrets().await?;
        let now = crate::views::now_secs();
        Ok(users
            .into_iter()
            .flat_map(|user| {
                let account = user.email;
                // Unconfirmed enrollments are listed too: in demo mode the inbox stands in for the phone.
                user.otp.into_iter().map(move |otp| TotpCodeView {
                    account: account.clone(),
                    authenticator_id: otp.authenticator_id,
                    code: otp.current_code,
                    seconds_left: 30 - (now % 30),
                })
            })
            .collect())
    }
}
