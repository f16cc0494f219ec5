//! The MFA flows as plain async Rust, independent of any UI.
//!
//! A [`MfaSession`] starts with a password sign-in and then moves through enrollment,
//! verification or recovery; each method does the fewest HTTP requests the API allows and
//! leaves the session unchanged when it fails, so the person can correct a code and retry.

mod access_token;
mod enroll;
mod enroll_request;
mod factor_rules;
mod manage;
mod mask;
mod my_account;
mod my_account_enroll;
mod push;
mod recover;
mod rename;
mod session;
mod verify;

pub use enroll::{EnrollmentStarted, OtpParameters, OtpSetup, PUSH_QR_LIFETIME};
pub use enroll_request::EnrollRequest;
pub use mask::{mask_email, mask_phone};
pub use my_account::{grants_needed_scopes, NEEDED_SCOPES};
pub use push::{wait_for_approval, CancellationToken, PushPolling, PushStatus};
pub use session::{MfaSession, NextStep};
pub use verify::ChallengeStarted;
