//! Secret values in memory. `secrecy` gives us a `Debug` that prints `[REDACTED]`, no `Display`,
//! no `Serialize`, and zeroizes the bytes on drop; reading one needs an explicit `expose_secret()`,
//! which makes every place a secret leaves the type easy to find.
//!
//! Each role has its own type ([`MfaToken`], [`OobCode`], [`AccessToken`], …), so a call
//! such as `verify_oob(mfa_token, oob_code, …)` cannot take its arguments in the wrong order:
//! the compiler refuses. Every one of them is a `SecretString` inside, with the same redacted
//! `Debug` and zeroizing drop, and is read with [`ExposeSecret::expose_secret`].

pub use secrecy::{ExposeSecret, SecretString};

/// Wraps a freshly received string in a secret of the type the place calls for:
/// a [`SecretString`] or one of the role types.
pub fn secret<S: From<SecretString>>(value: impl Into<String>) -> S {
    S::from(SecretString::from(value.into()))
}

/// A secret of one role: a `SecretString` that only converts into this type on purpose.
macro_rules! secret_role {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name($crate::secret::SecretString);

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([REDACTED])"))
            }
        }

        impl $crate::secret::ExposeSecret<str> for $name {
            fn expose_secret(&self) -> &str {
                $crate::secret::ExposeSecret::expose_secret(&self.0)
            }
        }

        impl From<$crate::secret::SecretString> for $name {
            fn from(value: $crate::secret::SecretString) -> Self {
                Self(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self($crate::secret::SecretString::from(value))
            }
        }
    )*};
}
pub(crate) use secret_role;

secret_role! {
    /// The short-lived `mfa_token` of a password sign-in that needs MFA (ten minutes).
    MfaToken;
    /// The `oob_code` of an SMS, voice, email or push challenge or enrollment.
    OobCode;
    /// An access token: for the MFA API after a verification or a browser sign-in, or for the
    /// Management API.
    AccessToken;
    /// An OpenID Connect ID token (who signed in).
    IdToken;
    /// A refresh token. The app never asks for one and never keeps one (issue 11).
    RefreshToken;
    /// The one-time `code` a browser sign-in brings back on the loopback redirect.
    AuthorizationCode;
    /// An application's `client_secret`: a confidential MFA client's, or the helpdesk
    /// application's for the Management API.
    ClientSecret;
    /// A person's password, exactly as typed.
    Password;
    /// The `device_code` of a device sign-in (§S2.2): never shown, only polled with.
    DeviceCode;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_types_are_redacted_and_read_explicitly() {
        let token: MfaToken = secret("Fe26.2**mfa-token");
        assert_eq!(format!("{token:?}"), "MfaToken([REDACTED])");
        assert_eq!(token.expose_secret(), "Fe26.2**mfa-token");
        let plain: SecretString = secret("x");
        assert_eq!(OobCode::from(plain).expose_secret(), "x");
    }
}
