//! This computer's authenticators (see Cargo.toml for why each system gets what it gets).

use mfa_core::my_account::passkey::AttestationResponse;

use crate::error::CeremonyError;
use crate::options::Registration;
use crate::prompts::{Prompter, Waits};

/// Registers a credential with this computer's authenticators: USB security keys on Linux
/// and macOS, the Windows WebAuthn API on Windows. Call from a blocking thread inside a tokio
/// runtime.
#[cfg(not(windows))]
pub fn register_here(
    registration: &Registration,
    prompter: &Prompter,
    waits: Waits,
) -> Result<AttestationResponse, CeremonyError> {
    use webauthn_authenticator_rs::usb::USBTransport;
    let transport = tokio::runtime::Handle::current()
        .block_on(USBTransport::new())
        .map_err(|e| CeremonyError::NotSupported(format!("USB HID: {e:?}")))?;
    crate::ceremony::register_with(transport, registration, prompter, waits)
}

/// Windows shows its own prompts (key, PIN, Windows Hello, phone) and answers only once
/// it is over, so the app's prompts are not used. The library reports every failure of the
/// Windows API alike (it does not map its HRESULTs), so a refusal is
/// [`CeremonyError::Failed`] unless the person cancelled in the app first.
#[cfg(windows)]
pub fn register_here(
    registration: &Registration,
    prompter: &Prompter,
    waits: Waits,
) -> Result<AttestationResponse, CeremonyError> {
    use webauthn_authenticator_rs::win10::Win10;
    use webauthn_authenticator_rs::AuthenticatorBackend;
    if Win10::api_version() == 0 {
        return Err(CeremonyError::NotSupported(
            "Windows has no WebAuthn API".into(),
        ));
    }
    let timeout_ms = u32::try_from(waits.touch.as_millis()).unwrap_or(u32::MAX);
    let credential = Win10::default()
        .perform_register(
            registration.origin()?,
            registration.library_options()?,
            timeout_ms,
        )
        .map_err(|e| {
            if prompter.cancelled() {
                CeremonyError::Cancelled
            } else {
                CeremonyError::from(e)
            }
        })?;
    crate::options::attestation_response(&credential)
}
