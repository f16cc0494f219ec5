//! How a browser sign-in can fail before a code is redeemed. It sits with the other errors
//! (below `browser/`), so that [`FlowError`](crate::error::FlowError) can carry it without the
//! error types depending on the browser sign-in itself.

use crate::error_code::ErrorCode;
use crate::oauth::NoRandomness;

/// How a browser sign-in can fail before a code is redeemed.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// `error=access_denied`: the person cancelled on the hosted page, denied the push, or
    /// the tenant's rules refused them.
    #[error("the sign-in was cancelled or denied in the browser: {description}")]
    Denied { description: String },
    /// Another OAuth error on the callback (`unauthorized_client`, `invalid_request`, …):
    /// the application is not set up for this on the tenant.
    #[error("the tenant refused the sign-in request: {error}: {description}")]
    Refused { error: String, description: String },
    /// A callback for another sign-in arrived and was refused (the wait may go on).
    #[error("a callback for another sign-in was refused")]
    StateMismatch,
    #[error("no answer came back from the browser in time")]
    TimedOut,
    #[error("the browser sign-in was cancelled")]
    Cancelled,
    /// A fresh sign-in was asked for (`prompt=login`, `max_age`) and the ID token's
    /// `auth_time` says otherwise, or is missing (§S6: both parameters are only hints).
    #[error("the tenant answered with an earlier sign-in, not a fresh one")]
    NotFresh,
    #[error("port {port} on 127.0.0.1 is in use, so the sign-in answer cannot be received")]
    PortUnavailable { port: u16 },
    #[error("the sign-in answer cannot be received on this computer: {0}")]
    Listener(String),
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

impl BrowserError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Denied { .. } => ErrorCode::BrowserSignInDenied,
            Self::Refused { .. } => ErrorCode::BrowserSignInRefused,
            Self::StateMismatch => ErrorCode::BrowserStateMismatch,
            Self::TimedOut => ErrorCode::BrowserSignInTimedOut,
            Self::Cancelled => ErrorCode::BrowserSignInCancelled,
            Self::NotFresh => ErrorCode::BrowserSignInNotFresh,
            Self::PortUnavailable { .. } | Self::Listener(_) => ErrorCode::RedirectPortUnavailable,
            Self::NoRandomness(_) => ErrorCode::Unknown,
        }
    }
}
