//! The app's WebAuthn client (issue 23 part 3): makes a passkey for the tenant's My Account
//! API (§S5.3) on a security key or through the platform, in Rust, with
//! webauthn-authenticator-rs's CTAP2 client (CTAP 2.0/2.1, clientPIN protocols one and two).
//!
//! * [`Registration`]: Auth0's creation options and the credentials to exclude; the origin
//!   is `https://<rp.id>` (§S5.3).
//! * [`register_here`]: this computer's authenticators; [`register_with`]: any of the
//!   library's transports (the tests pass a software key that speaks CTAP2).
//! * [`prompt_channel`]: the [`Prompt`]s the UI shows and the [`CeremonyControl`] through
//!   which it answers (a [`Pin`], a new PIN, cancel).
//! * [`CeremonyError`]: each way it ends without a credential, with its [`mfa_core::ErrorCode`].

mod ceremony;
mod error;
mod observed;
mod options;
mod pin;
mod platform;
mod prompts;

pub use ceremony::register_with;
pub use error::CeremonyError;
pub use observed::Observed;
pub use options::{attestation_response, Registration};
pub use pin::{check_new_pin, NewPinProblem, Pin, DEFAULT_MIN_PIN_LENGTH, MAX_PIN_BYTES};
pub use platform::register_here;
pub use prompts::{prompt_channel, CeremonyControl, Prompt, Prompter, Reply, Waits};
