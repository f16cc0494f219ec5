//! What the ceremony asks of the person, and how the answers come back. The library calls
//! its `UiCallback` synchronously from the ceremony's own thread and waits for a PIN, so the
//! ceremony never runs on the async runtime: prompts go out on an unbounded channel (sending
//! never blocks) and replies come back on a blocking one, which the UI side feeds through
//! [`CeremonyControl`]. Cancelling also fires a token the key transport listens to, so that a
//! wait for a touch ends at once.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio_util::sync::CancellationToken;
use webauthn_authenticator_rs::types::{CableRequestType, CableState, EnrollSampleStatus};
use webauthn_authenticator_rs::ui::UiCallback;

use crate::pin::Pin;

/// One step the person is asked to take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Prompt {
    /// No key is plugged in: insert one.
    InsertKey,
    /// The key waits for a touch.
    TouchKey,
    /// The key's PIN, with the tries it has left; `after_wrong_pin` when the last one was
    /// wrong.
    EnterPin {
        retries_left: Option<u32>,
        after_wrong_pin: bool,
    },
    /// The key has no PIN yet and needs one for a passkey: choose one.
    /// `refused` names why the last choice was not taken.
    SetPin {
        min_length: usize,
        max_bytes: usize,
        refused: Option<mfa_core::ErrorCode>,
    },
}

/// An answer from the UI.
#[derive(Debug)]
pub enum Reply {
    Pin(Pin),
    NewPin(Pin),
    Cancel,
}

/// The UI's side of a running ceremony.
#[derive(Clone)]
pub struct CeremonyControl {
    replies: mpsc::Sender<Reply>,
    cancel: CancellationToken,
}

impl CeremonyControl {
    /// Answers an [`Prompt::EnterPin`].
    pub fn enter_pin(&self, pin: Pin) {
        let _ = self.replies.send(Reply::Pin(pin));
    }

    /// Answers a [`Prompt::SetPin`].
    pub fn set_pin(&self, pin: Pin) {
        let _ = self.replies.send(Reply::NewPin(pin));
    }

    /// Ends the ceremony wherever it is: at a prompt, or waiting for the key.
    pub fn cancel(&self) {
        self.cancel.cancel();
        let _ = self.replies.send(Reply::Cancel);
    }
}

/// How long the ceremony waits for things it cannot hurry.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// For a key to be plugged in.
    pub key: Duration,
    /// For the key to answer one command (a touch included).
    pub touch: Duration,
}

impl Waits {
    /// The creation options' `timeout` (WebAuthn: the ceremony's lifetime; Auth0 sends
    /// 60000 ms, §S5.3) for each wait, 60 s when absent, at most 5 minutes.
    pub fn from_timeout_ms(timeout_ms: Option<u32>) -> Self {
        let ms = timeout_ms.unwrap_or(60_000).clamp(1_000, 300_000);
        let wait = Duration::from_millis(u64::from(ms));
        Self {
            key: wait,
            touch: wait,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct PinState {
    /// What the key said at its last `getPinRetries`.
    pub retries_left: Option<u32>,
    /// The last PIN was wrong: say so with the next prompt.
    pub wrong_pin: bool,
    /// A PIN the person just set, given to the key's next PIN request without asking again.
    pub new_pin: Option<Pin>,
    /// The last prompt sent, so that a key's repeated keep-alives ask for a touch once.
    pub last: Option<Prompt>,
}

/// The ceremony's side: the library's `UiCallback`.
#[derive(Debug)]
pub struct Prompter {
    prompts: UnboundedSender<Prompt>,
    replies: Mutex<mpsc::Receiver<Reply>>,
    pub(crate) state: Arc<Mutex<PinState>>,
    pub(crate) cancel: CancellationToken,
}

/// A new ceremony's three ends: the UI's control, the ceremony's prompter, and the prompts
/// the UI shows.
pub fn prompt_channel() -> (CeremonyControl, Prompter, UnboundedReceiver<Prompt>) {
    let (prompts, shown) = unbounded_channel();
    let (replies, received) = mpsc::channel();
    let cancel = CancellationToken::new();
    let control = CeremonyControl {
        replies,
        cancel: cancel.clone(),
    };
    let prompter = Prompter {
        prompts,
        replies: Mutex::new(received),
        state: Arc::default(),
        cancel,
    };
    (control, prompter, shown)
}

impl Prompter {
    pub(crate) fn state(&self) -> MutexGuard<'_, PinState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Shows `prompt`, unless it is the one already shown.
    pub(crate) fn show(&self, prompt: Prompt) {
        let mut state = self.state();
        if state.last.as_ref() == Some(&prompt) {
            return;
        }
        state.last = Some(prompt.clone());
        let _ = self.prompts.send(prompt);
    }

    /// Waits for the UI's answer: `None` when the person cancelled or the UI went away.
    pub(crate) fn wait_for(&self, want_new_pin: bool) -> Option<Pin> {
        let replies = self.replies.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            match replies.recv() {
                Ok(Reply::Pin(pin)) if !want_new_pin => return Some(pin),
                Ok(Reply::NewPin(pin)) if want_new_pin => return Some(pin),
                // An answer to a prompt no longer shown.
                Ok(Reply::Pin(_) | Reply::NewPin(_)) => continue,
                Ok(Reply::Cancel) | Err(_) => return None,
            }
        }
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

impl UiCallback for Prompter {
    fn request_pin(&self) -> Option<String> {
        let prompt = {
            let mut state = self.state();
            if let Some(pin) = state.new_pin.take() {
                return Some(pin.expose().to_owned());
            }
            // A new prompt each time, even when it reads the same: the person answers it.
            state.last = None;
            Prompt::EnterPin {
                retries_left: state.retries_left,
                after_wrong_pin: std::mem::take(&mut state.wrong_pin),
            }
        };
        if self.cancelled() {
            return None;
        }
        self.show(prompt);
        // The library wants a `String`; ours is wiped on drop, the library's copy lives only
        // until it has hashed it.
        self.wait_for(false).map(|pin| pin.expose().to_owned())
    }

    fn request_touch(&self) {
        self.show(Prompt::TouchKey);
    }

    fn processing(&self) {}

    fn fingerprint_enrollment_feedback(&self, _: u32, _: Option<EnrollSampleStatus>) {}

    fn cable_qr_code(&self, _: CableRequestType, _: String) {}

    fn dismiss_qr_code(&self) {}

    fn cable_status_update(&self, _: CableState) {}
}
