//! **Tests only.** A software FIDO2 security key that speaks CTAP2 behind
//! webauthn-authenticator-rs's own transport trait ([`Token`]), so that the library's real
//! CTAP2 client (getInfo, clientPIN, makeCredential with its excludeList, getAssertion,
//! selection) runs against it unchanged, exactly as it would against a key on USB.
//!
//! Why this is the one stand-in: no hardware and no `/dev/uhid` exist where the tests run, so
//! no real key and no virtual HID device can be plugged in. The library's own software
//! authenticators (`SoftToken`, `SoftPasskey`) make real credentials but are reached through
//! `AuthenticatorBackend` calls, not the CTAP2 wire, and have no PIN: a test with them would
//! skip every part of the app's client that talks to a key. This crate adds that wire and the
//! PIN (protocol one: key agreement, setPIN, getPinToken and
//! getPinUvAuthTokenUsingPinWithPermissions, eight retries counting down, blocking, three
//! wrong in a row needing a re-insert) and leaves the credential itself (key pair, packed
//! attestation, sign counter) to the library's `SoftToken`. It is never a dependency of a
//! release build (only dev-dependencies and the app's `test-hooks` feature name it).

mod client_pin;
mod credential;
mod pin_protocol;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt as _};
use webauthn_authenticator_rs::error::WebauthnCError;
use webauthn_authenticator_rs::transport::{Token, TokenEvent, Transport};
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_rs_proto::AuthenticatorTransport;

pub use state::{Credential, PIN_RETRIES};
use state::{KeyState, Step};

/// What the person at the key does when it blinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presence {
    /// Touches it.
    #[default]
    Touches,
    /// Never touches it: the command waits until the client gives up or cancels.
    NeverTouches,
}

/// A software security key. Clones share one key: the test keeps one to set and read its
/// state while the client talks to another through [`SoftTransport`].
#[derive(Clone)]
pub struct SoftKey {
    state: Arc<Mutex<KeyState>>,
    presence: Arc<Mutex<Presence>>,
}

impl std::fmt::Debug for SoftKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SoftKey")
    }
}

impl SoftKey {
    /// A key fresh from the box: no PIN set.
    pub fn without_pin() -> Self {
        Self::with_state(KeyState::new(None))
    }

    /// A key that cannot hold a PIN (nor verify its user any other way), like the first
    /// FIDO2 keys without PIN support.
    pub fn without_pin_support() -> Self {
        let mut state = KeyState::new(None);
        state.pin_support = false;
        Self::with_state(state)
    }

    /// A key whose PIN is `pin`, with all its retries.
    pub fn with_pin(pin: &str) -> Self {
        Self::with_state(KeyState::new(Some(pin)))
    }

    fn with_state(state: KeyState) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
            presence: Arc::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, KeyState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the PIN retries left (a key that was mistyped before).
    pub fn set_retries(&self, retries: u32) -> &Self {
        self.state().retries = retries;
        self
    }

    /// Sets the shortest PIN the key accepts (CTAP 2.1 `minPINLength`).
    pub fn set_min_pin_length(&self, length: usize) -> &Self {
        self.state().min_pin_length = length;
        self
    }

    pub fn set_presence(&self, presence: Presence) -> &Self {
        *self.presence.lock().unwrap_or_else(|p| p.into_inner()) = presence;
        self
    }

    /// Unplugged and plugged in again: three wrong PINs in a row are forgiven (the retries
    /// are not).
    pub fn reinsert(&self) {
        self.state().wrong_in_a_row = 0;
    }

    pub fn retries(&self) -> u32 {
        self.state().retries
    }

    pub fn has_pin(&self) -> bool {
        self.state().pin.is_some()
    }

    pub fn credentials(&self) -> Vec<Credential> {
        self.state().credentials.clone()
    }

    /// The CTAP2 command bytes received so far.
    pub fn commands(&self) -> Vec<u8> {
        self.state().commands.clone()
    }

    /// The key as the library's transports hand it out.
    pub fn token(&self) -> SoftKeyToken {
        SoftKeyToken { key: self.clone() }
    }
}

/// A [`SoftKey`] plugged in: the library's [`Token`].
#[derive(Debug)]
pub struct SoftKeyToken {
    key: SoftKey,
}

#[async_trait]
impl Token for SoftKeyToken {
    type Id = ();

    fn get_transport(&self) -> AuthenticatorTransport {
        AuthenticatorTransport::Usb
    }

    async fn transmit_raw<U>(&mut self, cbor: &[u8], ui: &U) -> Result<Vec<u8>, WebauthnCError>
    where
        U: UiCallback,
    {
        let (&command, body) = cbor.split_first().ok_or(WebauthnCError::MessageTooShort)?;
        let step = self.key.state().command(command, body);
        let answer = match step {
            Step::Done(answer) => answer,
            Step::Ask(after) => {
                // As a USB key's keep-alive says "user presence needed".
                ui.request_touch();
                let presence = *self.key.presence.lock().unwrap_or_else(|p| p.into_inner());
                if presence == Presence::NeverTouches {
                    futures::future::pending::<()>().await;
                }
                self.key.state().after_touch(after)
            }
        };
        answer.map_err(WebauthnCError::Ctap)
    }

    async fn cancel(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }

    async fn init(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }

    async fn close(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }
}

/// The keys plugged into this (pretend) computer, as a library [`Transport`]: each is
/// announced, then the end of enumeration, then nothing more, as USB HID does while no key
/// comes or goes.
#[derive(Debug, Clone, Default)]
pub struct SoftTransport {
    pub keys: Vec<SoftKey>,
}

impl SoftTransport {
    pub fn with(keys: &[&SoftKey]) -> Self {
        Self {
            keys: keys.iter().map(|k| (*k).clone()).collect(),
        }
    }
}

#[async_trait]
impl<'b> Transport<'b> for SoftTransport {
    type Token = SoftKeyToken;

    async fn watch(&self) -> Result<BoxStream<TokenEvent<Self::Token>>, WebauthnCError> {
        let plugged = self
            .keys
            .iter()
            .map(|k| TokenEvent::Added(k.token()))
            .chain([TokenEvent::EnumerationComplete]);
        Ok(stream::iter(plugged).chain(stream::pending()).boxed())
    }

    async fn tokens(&self) -> Result<Vec<Self::Token>, WebauthnCError> {
        Ok(self.keys.iter().map(SoftKey::token).collect())
    }
}
