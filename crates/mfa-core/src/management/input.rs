//! What a helpdesk agent types, checked before anything is sent: user ids, method ids, the
//! user (id or email), and the reason, ticket and verification notes that go in the audit log.
//! A value of one of these types is known to be well-formed.

use std::fmt;

use serde::Serialize;

use crate::error::ErrorCode;
use crate::input::{Email, InputError};

/// Which value was refused, so the message can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    User,
    UserId,
    MethodId,
    Email,
    Reason,
    Ticket,
    VerifiedBy,
    Operator,
    CorrelationId,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::User => "user",
            Self::UserId => "user id",
            Self::MethodId => "method id",
            Self::Email => "email address",
            Self::Reason => "reason",
            Self::Ticket => "ticket reference",
            Self::VerifiedBy => "verification note",
            Self::Operator => "operator name",
            Self::CorrelationId => "correlation id",
        })
    }
}

/// Helpdesk input that was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManagementInputError {
    #[error("the {0} is empty")]
    Empty(Field),
    #[error("the {field} is longer than {max} characters")]
    TooLong { field: Field, max: usize },
    #[error("the {0} contains control characters such as line breaks")]
    ControlCharacters(Field),
    #[error("this is not a valid email address")]
    InvalidEmail,
    #[error("a user id looks like auth0|5f1c8e0a2b3d4e5f6a7b8c9d (provider, a bar, then the id)")]
    InvalidUserId,
    #[error("a method id looks like totp|dev_A1b2C3d4E5f6G7h8 (type, a bar, then the id)")]
    InvalidMethodId,
    #[error("give a user id (auth0|…) or an email address")]
    NotAUser,
    #[error("a correlation id has 1 to 64 letters, digits and . _ : -")]
    InvalidCorrelationId,
}

impl ManagementInputError {
    /// The stable code the UI translates (`error.<code>` in the catalogues).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Empty(_) => ErrorCode::InputEmpty,
            Self::TooLong { .. } => ErrorCode::InputTooLong,
            Self::ControlCharacters(_) => ErrorCode::InputControlCharacters,
            Self::InvalidEmail => ErrorCode::InvalidEmail,
            Self::InvalidUserId => ErrorCode::InvalidUserId,
            Self::InvalidMethodId => ErrorCode::InvalidMethodId,
            Self::NotAUser => ErrorCode::InvalidUserReference,
            Self::InvalidCorrelationId => ErrorCode::InvalidCorrelationId,
        }
    }

    /// The field the problem is in.
    pub fn field(&self) -> Field {
        match self {
            Self::Empty(field) | Self::TooLong { field, .. } | Self::ControlCharacters(field) => {
                *field
            }
            Self::InvalidEmail => Field::Email,
            Self::InvalidUserId => Field::UserId,
            Self::InvalidMethodId => Field::MethodId,
            Self::NotAUser => Field::User,
            Self::InvalidCorrelationId => Field::CorrelationId,
        }
    }
}

/// Longest accepted values. Auth0 user ids are at most a few hundred characters (enterprise
/// ids carry the connection and the upstream id); notes are for people, not essays.
pub const MAX_USER_ID: usize = 256;
pub const MAX_METHOD_ID: usize = 128;
pub const MAX_REASON: usize = 500;
pub const MAX_TICKET: usize = 100;
pub const MAX_VERIFIED_BY: usize = 200;
pub const MAX_OPERATOR: usize = 100;

/// Trims, then refuses empty, over-long and multi-line text.
fn one_line(raw: &str, field: Field, max: usize) -> Result<String, ManagementInputError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ManagementInputError::Empty(field));
    }
    if text.chars().count() > max {
        return Err(ManagementInputError::TooLong { field, max });
    }
    if text.chars().any(char::is_control) {
        return Err(ManagementInputError::ControlCharacters(field));
    }
    Ok(text.to_owned())
}

/// An Auth0 user id: `<provider>|<id>`, e.g. `auth0|5f1c…`, `google-oauth2|1234`,
/// `samlp|acme-connection|ana@example.com` (enterprise ids carry more bars).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    pub fn parse(raw: &str) -> Result<Self, ManagementInputError> {
        let id = one_line(raw, Field::UserId, MAX_USER_ID)?;
        let (provider, rest) = id
            .split_once('|')
            .ok_or(ManagementInputError::InvalidUserId)?;
        let provider_ok = !provider.is_empty()
            && provider
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !provider_ok || rest.is_empty() || rest.chars().any(char::is_whitespace) {
            return Err(ManagementInputError::InvalidUserId);
        }
        Ok(Self(id))
    }

    /// An id Auth0 returned: taken as it is.
    pub fn from_server(id: String) -> Self {
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Management API authentication-method id: `<type>|<id>`, e.g. `totp|dev_A1b2…`,
/// `phone|dev_…`, `recovery-code|dev_…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct MethodId(String);

impl MethodId {
    pub fn parse(raw: &str) -> Result<Self, ManagementInputError> {
        let id = one_line(raw, Field::MethodId, MAX_METHOD_ID)?;
        let (kind, rest) = id
            .split_once('|')
            .ok_or(ManagementInputError::InvalidMethodId)?;
        let kind_ok = !kind.is_empty()
            && kind
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let rest_ok = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.=+/".contains(c));
        if !kind_ok || !rest_ok {
            return Err(ManagementInputError::InvalidMethodId);
        }
        Ok(Self(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MethodId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who an action is about, as the agent typed it: a user id, or an email to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(UserId),
    Email(Email),
}

impl UserRef {
    /// Every Auth0 user id has a bar, so text with a bar is read as an id (an email with a bar
    /// in its local part is legal but rare: give the user id instead); an `@` without a bar is
    /// an email.
    pub fn parse(raw: &str) -> Result<Self, ManagementInputError> {
        let text = one_line(raw, Field::User, MAX_USER_ID)?;
        if text.contains('|') {
            UserId::parse(&text).map(Self::Id)
        } else if text.contains('@') {
            parse_email(&text).map(Self::Email)
        } else {
            Err(ManagementInputError::NotAUser)
        }
    }
}

/// An email address to look users up by.
pub fn parse_email(raw: &str) -> Result<Email, ManagementInputError> {
    Email::parse(raw).map_err(|e| match e {
        InputError::Empty => ManagementInputError::Empty(Field::Email),
        InputError::TooLong { max } => ManagementInputError::TooLong {
            field: Field::Email,
            max,
        },
        _ => ManagementInputError::InvalidEmail,
    })
}

macro_rules! note_type {
    ($(#[$doc:meta])* $name:ident, $field:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, ManagementInputError> {
                one_line(raw, $field, $max).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

note_type!(
    /// Why the agent acted ("lost phone, identity checked by video call"). Required for every
    /// change, so the audit log can answer "why was this done?".
    Reason,
    Field::Reason,
    MAX_REASON
);
note_type!(
    /// The helpdesk ticket the action belongs to ("INC-12345").
    TicketRef,
    Field::Ticket,
    MAX_TICKET
);
note_type!(
    /// How the caller's identity was checked ("callback to the number in HR records").
    VerifiedBy,
    Field::VerifiedBy,
    MAX_VERIFIED_BY
);
note_type!(
    /// The agent who acted, as recorded in the audit log.
    Operator,
    Field::Operator,
    MAX_OPERATOR
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_need_a_provider_and_an_id() {
        for good in [
            "auth0|5f1c8e0a2b3d4e5f6a7b8c9d",
            "google-oauth2|1234567890",
            "samlp|acme|ana@example.com",
            " auth0|abc ",
        ] {
            assert!(UserId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "auth0",
            "|abc",
            "auth0|",
            "au th0|x",
            "auth0|a b",
            "auth0/x",
        ] {
            assert_eq!(
                UserId::parse(bad),
                Err(ManagementInputError::InvalidUserId),
                "{bad}"
            );
        }
        assert_eq!(
            UserId::parse(&format!("auth0|{}", "a".repeat(300))),
            Err(ManagementInputError::TooLong {
                field: Field::UserId,
                max: MAX_USER_ID
            })
        );
    }

    #[test]
    fn method_ids_are_type_bar_id() {
        assert!(MethodId::parse("totp|dev_A1b2C3d4E5f6G7h8").is_ok());
        assert!(MethodId::parse("recovery-code|dev_x").is_ok());
        for bad in [
            "totp",
            "TOTP|dev_x",
            "totp|",
            "totp|dev x",
            "totp|dev_x;rm",
            "",
        ] {
            assert!(MethodId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_user_is_an_id_or_an_email() {
        assert!(matches!(UserRef::parse("auth0|abc"), Ok(UserRef::Id(_))));
        assert!(matches!(
            UserRef::parse("Ana@Example.com"),
            Ok(UserRef::Email(e)) if e.as_str() == "Ana@example.com"
        ));
        assert_eq!(UserRef::parse("ana"), Err(ManagementInputError::NotAUser));
        assert_eq!(
            UserRef::parse("ana@"),
            Err(ManagementInputError::InvalidEmail)
        );
        assert_eq!(
            UserRef::parse("  "),
            Err(ManagementInputError::Empty(Field::User))
        );
    }

    #[test]
    fn notes_are_single_lines_of_bounded_length() {
        assert_eq!(
            Reason::parse("  lost phone ").unwrap().as_str(),
            "lost phone"
        );
        assert_eq!(
            Reason::parse(""),
            Err(ManagementInputError::Empty(Field::Reason))
        );
        assert_eq!(
            Reason::parse("a\nb"),
            Err(ManagementInputError::ControlCharacters(Field::Reason))
        );
        assert_eq!(
            TicketRef::parse(&"x".repeat(101)),
            Err(ManagementInputError::TooLong {
                field: Field::Ticket,
                max: MAX_TICKET
            })
        );
    }
}
