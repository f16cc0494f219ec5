//! Demo mode: the Auth0 emulator runs inside the app on loopback, and a demo inbox shows what
//! a real tenant would have sent by SMS, voice or email, plus the current authenticator-app
//! codes of the demo users. The webview cannot reach the emulator (its CSP allows no HTTP), so
//! these commands fetch from Rust.

use auth0_emulator::RunningEmulator;
use serde::{Deserialize, Serialize};

use mfa_core::ErrorCode;

use crate::command_error::{CommandError, CommandResult};

pub struct Demo {
    /// Kept alive for the app's lifetime when the emulator runs in-process.
    _embedded: Option<RunningEmulator>,
    base_url: String,
}

impl Demo {
    /// Starts the emulator in-process, or attaches to one already running at `external`.
    pub async fn start(external: Option<String>) -> std::io::Result<Self> {
        if let Some(base_url) = external {
            return Ok(Self {
                _embedded: None,
                base_url: base_url.trim_end_matches('/').to_owned(),
            });
        }
        let emulator = auth0_emulator::start(
            crate::launch::demo_listen_addr(),
            auth0_emulator::Tenant::demo(),
        )
        .await?;
        tracing::info!(url = %emulator.base_url(), "demo tenant started");
        Ok(Self {
            base_url: emulator.base_url(),
            _embedded: Some(emulator),
        })
    }

    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    async fn get<T: for<'de> Deserialize<'de>>(
        &self,
        http: &reqwest::Client,
        path: &str,
    ) -> CommandResult<T> {
        let url = format!("{}/__emulator/{path}", self.base_url());
        let response = http
            .get(url)
            .send()
            .await
            .map_err(|_| CommandError::from(ErrorCode::Network))?;
        response
            .json()
            .await
            .map_err(|_| CommandError::from(ErrorCode::UnexpectedResponse))
    }

    pub async fn outbox(&self, http: &reqwest::Client) -> CommandResult<Vec<OutboxMessage>> {
        let raw: Vec<RawMessage> = self.get(http, "outbox").await?;
        Ok(raw
            .into_iter()
            .map(|m| OutboxMessage {
                channel: m.channel,
                to: m.to,
                code: m.code,
                sent_at: m.sent_at,
                text: m.text,
            })
            .collect())
    }

    pub async fn push(&self, http: &reqwest::Client, decision: &str) -> CommandResult<()> {
        let decision = match decision {
            "approve" | "deny" => decision,
            _ => return Err(CommandError::from(ErrorCode::InvalidRequest)),
        };
        let url = format!("{}/__emulator/push/{decision}", self.base_url());
        let response = http
            .post(url)
            .send()
            .await
            .map_err(|_| CommandError::from(ErrorCode::Network))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(CommandError::from(ErrorCode::NoPendingCode))
        }
    }

    pub async fn totp_codes(&self, http: &reqwest::Client) -> CommandResult<Vec<TotpCode>> {
        let users: Vec<RawUserSecrets> = self.get(http, "secrets").await?;
        let now = crate::views::now_secs();
        Ok(users
            .into_iter()
            .flat_map(|user| {
                let account = user.email;
                // Unconfirmed enrollments are listed too: in demo mode the inbox stands in for the phone.
                user.otp.into_iter().map(move |otp| TotpCode {
                    account: account.clone(),
                    authenticator_id: otp.authenticator_id,
                    code: otp.current_code,
                    seconds_left: 30 - (now % 30),
                })
            })
            .collect())
    }
}

#[derive(Deserialize)]
struct RawMessage {
    channel: String,
    to: String,
    code: String,
    sent_at: u64,
    #[serde(default)]
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    channel: String,
    to: String,
    code: String,
    sent_at: u64,
    text: String,
}

#[derive(Deserialize)]
struct RawUserSecrets {
    email: String,
    #[serde(default)]
    otp: Vec<RawOtp>,
}

#[derive(Deserialize)]
struct RawOtp {
    authenticator_id: String,
    current_code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpCode {
    account: String,
    authenticator_id: String,
    code: String,
    seconds_left: u64,
}
