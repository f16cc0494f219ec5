//! Secret values in memory. `secrecy` gives us a `Debug` that prints `[REDACTED]`, no `Display`,
//! no `Serialize`, and zeroizes the bytes on drop; reading one needs an explicit `expose_secret()`,
//! which makes every place a secret leaves the type easy to find.

pub use secrecy::{ExposeSecret, SecretString};

/// Wraps a freshly received string in a secret.
pub fn secret(value: impl Into<String>) -> SecretString {
    SecretString::from(value.into())
}
