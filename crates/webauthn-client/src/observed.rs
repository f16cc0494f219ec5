//! The one place every CTAP2 command passes through on its way to a key, whatever the
//! transport: it bounds each command's wait (a key that is never touched), ends it when the
//! person cancels (sending the transport's cancel, so the key stops blinking), remembers the
//! PIN retries the key reports (the library reads them but does not pass them on), and asks
//! for a discoverable credential when the relying party requires one (the library's CTAP2
//! client never sets the `rk` option; §S5.3 says `residentKey` is always `required`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use serde_cbor_2::Value;
use tokio_util::sync::CancellationToken;
use webauthn_authenticator_rs::ctap2::commands::{ClientPinResponse, MakeCredentialRequest};
use webauthn_authenticator_rs::ctap2::{CBORCommand, CBORResponse};
use webauthn_authenticator_rs::error::{CtapError, WebauthnCError};
use webauthn_authenticator_rs::transport::Token;
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_rs_proto::AuthenticatorTransport;

use crate::prompts::PinState;

/// What each observed key shares with the ceremony.
#[derive(Debug, Clone)]
pub(crate) struct Watch {
    pub state: Arc<Mutex<PinState>>,
    pub cancel: CancellationToken,
    pub touch: Duration,
    /// The relying party whose new credentials must be discoverable.
    pub resident_key_rp: Option<String>,
}

#[derive(Debug)]
pub struct Observed<T: Token> {
    inner: T,
    watch: Watch,
}

impl<T: Token> Observed<T> {
    pub(crate) fn new(inner: T, watch: Watch) -> Self {
        Self { inner, watch }
    }

    /// A makeCredential for the ceremony's relying party, with `rk` set in its options
    /// (0x07). Edited as the CBOR map it is, so that every other parameter (the PIN's
    /// pinUvAuthParam above all) goes to the key exactly as the library wrote it.
    fn with_resident_key(&self, cbor: &[u8]) -> Option<Vec<u8>> {
        let rp = self.watch.resident_key_rp.as_deref()?;
        let (&command, body) = cbor.split_first()?;
        if command != MakeCredentialRequest::CMD {
            return None;
        }
        let mut request: BTreeMap<u32, Value> = serde_cbor_2::from_slice(body).ok()?;
        let for_rp = match request.get(&0x02) {
            Some(Value::Map(entity)) => {
                entity.get(&Value::Text("id".into())) == Some(&Value::Text(rp.into()))
            }
            _ => false,
        };
        if !for_rp {
            return None;
        }
        let options = request
            .entry(0x07)
            .or_insert_with(|| Value::Map(BTreeMap::new()));
        let Value::Map(options) = options else {
            return None;
        };
        options.insert(Value::Text("rk".into()), Value::Bool(true));
        let mut rewritten = vec![command];
        rewritten.extend(serde_cbor_2::ser::to_vec_packed(&request).ok()?);
        Some(rewritten)
    }

    fn note_retries(&self, cbor: &[u8], answer: &[u8]) {
        if cbor.first() != Some(&0x06) {
            return;
        }
        if let Ok(ClientPinResponse {
            pin_retries: Some(retries),
            ..
        }) = <ClientPinResponse as CBORResponse>::try_from(answer)
        {
            let mut state = self.watch.state.lock().unwrap_or_else(|p| p.into_inner());
            state.retries_left = Some(retries);
        }
    }
}

enum Ended {
    Answer(Result<Vec<u8>, WebauthnCError>),
    TimedOut,
    Cancelled,
}

#[async_trait]
impl<T: Token> Token for Observed<T> {
    type Id = T::Id;

    fn has_button(&self) -> bool {
        self.inner.has_button()
    }

    fn get_transport(&self) -> AuthenticatorTransport {
        self.inner.get_transport()
    }

    async fn transmit_raw<U>(&mut self, cbor: &[u8], ui: &U) -> Result<Vec<u8>, WebauthnCError>
    where
        U: UiCallback,
    {
        let rewritten = self.with_resident_key(cbor);
        let sent = rewritten.as_deref().unwrap_or(cbor);
        let cancel = self.watch.cancel.clone();
        let touch = self.watch.touch;
        let ended = tokio::select! {
            answer = self.inner.transmit_raw(sent, ui) => Ended::Answer(answer),
            () = tokio::time::sleep(touch) => Ended::TimedOut,
            () = cancel.cancelled() => Ended::Cancelled,
        };
        match ended {
            Ended::Answer(answer) => {
                if let Ok(answer) = &answer {
                    self.note_retries(cbor, answer);
                }
                answer
            }
            Ended::TimedOut => {
                let _ = self.inner.cancel().await;
                Err(WebauthnCError::Ctap(CtapError::Ctap2UserActionTimeout))
            }
            Ended::Cancelled => {
                let _ = self.inner.cancel().await;
                Err(WebauthnCError::Cancelled)
            }
        }
    }

    async fn cancel(&mut self) -> Result<(), WebauthnCError> {
        self.inner.cancel().await
    }

    async fn init(&mut self) -> Result<(), WebauthnCError> {
        self.inner.init().await
    }

    async fn close(&mut self) -> Result<(), WebauthnCError> {
        self.inner.close().await
    }
}
