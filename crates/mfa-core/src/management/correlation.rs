//! `X-Correlation-ID`: sent with every change made through the Management API and written to
//! the audit log, so an action in the log can be matched with Auth0's own tenant logs.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::input::ManagementInputError;

/// Auth0 accepts up to 64 characters (Management API docs, `X-Correlation-ID`).
pub const MAX_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CorrelationId(String);

impl CorrelationId {
    /// A fresh random id: `mfa-desk-` and 32 hex digits (128 bits), unique per action.
    pub fn generate() -> Self {
        let bits: u128 = rand::rng().random();
        Self(format!("mfa-desk-{bits:032x}"))
    }

    /// An id chosen by the caller (a ticketing system's, say).
    pub fn parse(raw: &str) -> Result<Self, ManagementInputError> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_LEN
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._:-".contains(c));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ManagementInputError::InvalidCorrelationId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_unique_and_fit_the_header() {
        let a = CorrelationId::generate();
        let b = CorrelationId::generate();
        assert_ne!(a, b);
        assert!(a.as_str().len() <= MAX_LEN);
        assert_eq!(CorrelationId::parse(a.as_str()), Ok(a));
        assert!(CorrelationId::parse(&"x".repeat(65)).is_err());
        assert!(CorrelationId::parse("a b").is_err());
    }
}
