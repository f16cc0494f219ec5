//! The test's local Auth0, through the emulator's typed control client: users, sent
//! messages, TOTP codes, the clock, faults and push answers.

use auth0_emulator::client::ControlClient;
use auth0_emulator::control_api::{Channel, IssuedTokens, OutboxMessage, UserSecrets};
use auth0_emulator::Fault;

use super::*;

fn channel(name: &str) -> Result<Channel> {
    Ok(match name {
        "sms" => Channel::Sms,
        "voice" => Channel::Voice,
        "email" => Channel::Email,
        other => bail!("no such channel: {other}"),
    })
}

impl E2e {
    pub fn control(&self) -> ControlClient {
        ControlClient::with_http(&self.base_url(), self.http.clone())
    }

    /// A fresh user with no factor (unique per test, so rate limits never collide).
    pub async fn create_user(&self, local: &str) -> Result<String> {
        let email = format!("{local}.{}@example.com", self.name.replace('_', "-"));
        self.control().create_user(&email, PASSWORD).await?;
        Ok(email)
    }

    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>> {
        Ok(self.control().outbox().await?)
    }

    /// The newest code sent on `channel` ("sms", "voice", "email"), waiting for it.
    pub async fn outbox_code(&self, channel: &str) -> Result<String> {
        self.outbox_code_after(channel, 0).await
    }

    /// The newest code sent on `channel` once more than `seen` messages went out on it.
    pub async fn outbox_code_after(&self, name: &str, seen: usize) -> Result<String> {
        let message = self
            .control()
            .wait_for_message(channel(name)?, seen, WAIT)
            .await?
            .with_context(|| format!("no {name} message after {seen}"))?;
        ensure!(!message.code.is_empty(), "the {name} message has no code");
        Ok(message.code)
    }

    pub async fn outbox_count(&self, name: &str) -> Result<usize> {
        let wanted = channel(name)?;
        Ok(self
            .outbox()
            .await?
            .iter()
            .filter(|m| m.channel == wanted)
            .count())
    }

    pub async fn user_secrets(&self, email: &str) -> Result<UserSecrets> {
        self.control()
            .user_secrets(email)
            .await?
            .with_context(|| format!("the emulator has no user {email}"))
    }

    /// The user's newest TOTP authenticator's code now, on the emulator's clock.
    pub async fn totp_now(&self, email: &str) -> Result<String> {
        self.control()
            .totp_now(email)
            .await?
            .with_context(|| format!("{email} has no TOTP"))
    }

    /// The secret of the user's newest TOTP authenticator.
    pub async fn totp_secret(&self, email: &str) -> Result<String> {
        let user = self.user_secrets(email).await?;
        let otp = user
            .newest_otp()
            .with_context(|| format!("{email} has no TOTP"))?;
        Ok(otp.secret.clone())
    }

    /// The user's current recovery code as the emulator knows it.
    pub async fn recovery_code(&self, email: &str) -> Result<String> {
        self.user_secrets(email)
            .await?
            .recovery_code
            .with_context(|| format!("{email} has no recovery code"))
    }

    /// Every token the emulator issued in this run.
    pub async fn issued_tokens(&self) -> Result<IssuedTokens> {
        Ok(self.control().tokens().await?)
    }

    pub async fn advance_clock(&self, seconds: i64) -> Result<()> {
        self.control().advance_clock(seconds).await?;
        Ok(())
    }

    pub async fn fault(&self, fault: Fault) -> Result<()> {
        self.control().add_fault(&fault).await?;
        Ok(())
    }

    /// Waits for a pending push, then approves it.
    pub async fn approve_push(&self) -> Result<()> {
        let control = self.control();
        ensure!(
            control.wait_for_push(WAIT).await?.is_some(),
            "no pending push to approve"
        );
        control.approve_push(None).await?;
        Ok(())
    }

    /// Waits for a pending push, then denies it.
    pub async fn deny_push(&self) -> Result<()> {
        let control = self.control();
        ensure!(
            control.wait_for_push(WAIT).await?.is_some(),
            "no pending push to deny"
        );
        control.deny_push(None).await?;
        Ok(())
    }
}
