//! One registration ceremony with a CTAP2 key over any of the library's transports: find
//! the key (waiting for one to be plugged in, or letting the person touch one of several),
//! give it a PIN if it has none, then make the credential, asking for the PIN again after a
//! wrong one with the tries left, until it works, the key locks, or the person cancels.
//!
//! Runs on a thread of its own (the library blocks while it waits for a PIN), inside a
//! tokio runtime's context (`spawn_blocking`): the transports and the waits use its timers.

use futures::StreamExt as _;
use tokio::runtime::Handle;
use tokio::time::{timeout_at, Instant};
use webauthn_authenticator_rs::ctap2::{select_one_device, CtapAuthenticator};
use webauthn_authenticator_rs::error::{CtapError, WebauthnCError};
use webauthn_authenticator_rs::transport::{Token, TokenEvent, Transport};
use webauthn_authenticator_rs::AuthenticatorBackend;
use webauthn_rs_proto::UserVerificationPolicy;

use mfa_core::my_account::passkey::AttestationResponse;

use crate::error::CeremonyError;
use crate::observed::{Observed, Watch};
use crate::options::{attestation_response, Registration};
use crate::pin::{check_new_pin, Pin, DEFAULT_MIN_PIN_LENGTH, MAX_PIN_BYTES};
use crate::prompts::{Prompt, Prompter, Waits};

type Key<'a, T> = CtapAuthenticator<'a, Observed<T>, Prompter>;

/// Registers a new credential on a key reached through `transport`. Call from a blocking
/// thread inside a tokio runtime.
pub fn register_with<T>(
    transport: T,
    registration: &Registration,
    prompter: &Prompter,
    waits: Waits,
) -> Result<AttestationResponse, CeremonyError>
where
    T: for<'a> Transport<'a>,
{
    let runtime = Handle::current();
    let origin = registration.origin()?;
    let mut options = registration.library_options()?;
    let watch = Watch {
        state: prompter.state.clone(),
        cancel: prompter.cancel.clone(),
        touch: waits.touch,
        resident_key_rp: registration
            .resident_key_required()
            .then(|| options.rp.id.clone()),
    };
    let mut key = runtime.block_on(find_key(&transport, prompter, watch, waits))?;

    let info = key.get_info();
    let pin_set = info.get_option("clientPin");
    let built_in_uv = info.get_option("uv") == Some(true);
    let min_length = info.min_pin_length.unwrap_or(DEFAULT_MIN_PIN_LENGTH);
    let wanted = &mut options
        .authenticator_selection
        .get_or_insert_with(Default::default)
        .user_verification;
    match (pin_set, built_in_uv) {
        // A key that can hold a PIN but has none: a passkey needs one (CTAP 2.1 §6.1.2: a
        // discoverable credential is only made with user verification on such keys).
        (Some(false), false) => set_pin(&runtime, &mut key, prompter, min_length)?,
        // A key that can verify no one (no PIN, no biometrics): made without verification
        // when the tenant only prefers it (WebAuthn "preferred"), refused when it requires it.
        (None, false) => {
            if *wanted == UserVerificationPolicy::Required {
                return Err(CeremonyError::NotSupported(
                    "the key cannot verify its user".into(),
                ));
            }
            *wanted = UserVerificationPolicy::Discouraged_DO_NOT_USE;
        }
        _ => {}
    }

    let timeout_ms = u32::try_from(waits.touch.as_millis()).unwrap_or(u32::MAX);
    loop {
        if prompter.cancelled() {
            return Err(CeremonyError::Cancelled);
        }
        let made = AuthenticatorBackend::perform_register(
            &mut key,
            origin.clone(),
            options.clone(),
            timeout_ms,
        );
        match made {
            Ok(credential) => return attestation_response(&credential),
            Err(WebauthnCError::Ctap(CtapError::Ctap2PinInvalid)) => {
                prompter.state().wrong_pin = true;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// The key to use: the only one plugged in, one the person plugs in, or, of several, the one
/// the person touches (the library's selection).
async fn find_key<'a, T>(
    transport: &'a T,
    prompter: &'a Prompter,
    watch: Watch,
    waits: Waits,
) -> Result<Key<'a, T::Token>, CeremonyError>
where
    T: Transport<'a>,
{
    let deadline = Instant::now() + waits.key;
    let cancel = prompter.cancel.clone();
    let mut events = transport.watch().await.map_err(no_transport)?;
    let mut present = Vec::new();
    let mut enumerated = false;
    let chosen = loop {
        let next = tokio::select! {
            next = timeout_at(deadline, events.next()) => next,
            () = cancel.cancelled() => return Err(CeremonyError::Cancelled),
        };
        match next {
            Err(_) | Ok(None) if present.is_empty() => return Err(CeremonyError::NoKeyFound),
            Err(_) | Ok(None) => break None,
            Ok(Some(TokenEvent::Added(token))) if enumerated => break Some(token),
            Ok(Some(TokenEvent::Added(token))) => present.push(token),
            Ok(Some(TokenEvent::EnumerationComplete)) => {
                enumerated = true;
                match present.len() {
                    0 => prompter.show(Prompt::InsertKey),
                    1 => break present.pop(),
                    _ => break None,
                }
            }
            Ok(Some(TokenEvent::Removed(_))) => {}
        }
    };
    if let Some(token) = chosen {
        return CtapAuthenticator::new(Observed::new(token, watch), prompter)
            .await
            .ok_or_else(|| CeremonyError::NotSupported("the key does not speak CTAP2".into()));
    }
    // Several keys: each blinks, the one touched is used.
    prompter.show(Prompt::TouchKey);
    let offered = present
        .into_iter()
        .map(move |token| TokenEvent::Added(Observed::new(token, watch.clone())))
        .chain([TokenEvent::EnumerationComplete]);
    let stream = futures::stream::iter(offered).boxed();
    select_one_device(stream, prompter)
        .await
        .ok_or(CeremonyError::Cancelled)
}

/// Asks for a new PIN until the key takes one (or the person cancels), and keeps it for the
/// key's next PIN request so it is not asked for twice.
fn set_pin<T: Token>(
    runtime: &Handle,
    key: &mut Key<'_, T>,
    prompter: &Prompter,
    min_length: usize,
) -> Result<(), CeremonyError> {
    let mut refused = None;
    loop {
        prompter.show(Prompt::SetPin {
            min_length,
            max_bytes: MAX_PIN_BYTES,
            refused,
        });
        prompter.state().last = None;
        let pin = prompter.wait_for(true).ok_or(CeremonyError::Cancelled)?;
        // The UI checked the repetition; the rules are checked again here, where the key's
        // own minimum is known.
        if let Err(problem) = check_new_pin(pin.expose(), pin.expose(), min_length) {
            refused = Some(CeremonyError::NewPin(problem).code());
            continue;
        }
        match runtime.block_on(key.set_new_pin(pin.expose())) {
            Ok(()) => {
                prompter.state().new_pin = Some(Pin::new(pin.expose().to_owned()));
                return Ok(());
            }
            Err(error) => match CeremonyError::from(error) {
                e @ (CeremonyError::NewPin(_) | CeremonyError::PinRefused) => {
                    refused = Some(e.code())
                }
                other => return Err(other),
            },
        }
    }
}

fn no_transport(error: WebauthnCError) -> CeremonyError {
    CeremonyError::NotSupported(format!("security keys cannot be reached: {error:?}"))
}
