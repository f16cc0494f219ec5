//! The demo inbox: what the local Auth0 "sent", and the demo users' current app codes.

use auth0_emulator::control_api::{Channel, OutboxMessage};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    channel: Channel,
    to: String,
    code: String,
    sent_at: u64,
    text: String,
    link: Option<String>,
}

impl From<OutboxMessage> for MessageView {
    fn from(message: OutboxMessage) -> Self {
        Self {
            channel: message.channel,
            to: message.to,
            code: message.code,
            sent_at: message.sent_at,
            text: message.text,
            link: message.link,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpCodeView {
    pub account: String,
    pub authenticator_id: String,
    pub code: String,
    pub seconds_left: u64,
}

/// A push waiting on the demo phone: a sign-in or enrollment of this app, or a helpdesk's
/// request to verify a caller (CIBA), which shows its binding message.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPushView {
    pub account: Option<String>,
    pub binding_message: Option<String>,
    pub expires_at: u64,
}
