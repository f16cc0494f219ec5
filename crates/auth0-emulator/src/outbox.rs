//! What the tenant "sent": SMS, voice and email messages, kept for the demo
//! inbox and tests (`GET /__emulator/outbox`).

use crate::control_api::{Channel, OutboxMessage};
use crate::limits::SendChannel;

#[derive(Debug, Default)]
pub struct Outbox {
    messages: Vec<OutboxMessage>,
}

impl Outbox {
    /// Records a verification code sent to `to`.
    pub fn send_code(
        &mut self,
        channel: SendChannel,
        to: &str,
        code: &str,
        tenant_name: &str,
        now: u64,
    ) {
        let channel = match channel {
            SendChannel::Sms => Channel::Sms,
            SendChannel::Voice => Channel::Voice,
            SendChannel::Email => Channel::Email,
        };
        self.messages.push(OutboxMessage {
            channel,
            to: to.into(),
            code: code.into(),
            sent_at: now,
            text: format!("Your {tenant_name} verification code is: {code}"),
            link: None,
        });
    }

    /// Records an email that carries a link and no code.
    pub fn send_link(&mut self, to: &str, text: String, link: &str, now: u64) {
        self.messages.push(OutboxMessage {
            channel: Channel::Email,
            to: to.into(),
            code: String::new(),
            sent_at: now,
            text,
            link: Some(link.into()),
        });
    }

    pub fn messages(&self) -> &[OutboxMessage] {
        &self.messages
    }
}
