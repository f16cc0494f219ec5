//! "Verify the caller before acting": before any change, the agent records how the caller's
//! identity was checked (a fixed list, strongest first), why they act, and optionally the
//! ticket. A [`CallerVerification`] names the user it was made for, and an action on anyone
//! else is refused: verifying Ana does not let the agent reset Bo.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::audit::AuditContext;
use crate::management::input::MAX_VERIFIED_BY;
use crate::management::{
    Field, ManagementInputError, Operator, Reason, TicketRef, User, UserId, VerifiedBy,
};

use super::HelpdeskError;

/// How the agent checked that the caller is who they say, strongest first (the order the
/// form offers them in): seeing the person and their ID beats a call back to the number of
/// record, which beats someone else vouching for them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VerificationMethod {
    /// At the helpdesk desk, with their badge or ID.
    InPerson,
    /// A photo ID held up on a video call, face and ID compared.
    PhotoIdVideoCall,
    /// The agent called back the number in the company directory (not one the caller gave).
    CallbackDirectoryNumber,
    /// The caller's manager confirmed who they are, through a channel the agent chose.
    ManagerConfirmed,
    /// Something else, described in the note.
    Other,
}

impl VerificationMethod {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Strongest first.
    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }

    /// Only "other" needs words to mean anything.
    pub fn needs_detail(self) -> bool {
        self == Self::Other
    }
}

/// The note written after the method, keeping the whole within the audit log's limit.
pub const MAX_DETAIL: usize = MAX_VERIFIED_BY - 30;

/// The record that the agent verified this caller, made before any change to their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerVerification {
    user_id: UserId,
    method: VerificationMethod,
    detail: Option<String>,
    reason: Reason,
    ticket: Option<TicketRef>,
}

impl CallerVerification {
    /// Checks the form: a note is needed for "other", a reason always; blank optional fields
    /// count as absent.
    pub fn record(
        user_id: &UserId,
        method: VerificationMethod,
        detail: &str,
        reason: &str,
        ticket: &str,
    ) -> Result<Self, HelpdeskError> {
        let detail = detail.trim();
        let detail = if detail.is_empty() {
            if method.needs_detail() {
                return Err(ManagementInputError::Empty(Field::VerifiedBy).into());
            }
            None
        } else {
            // The same checks as the note as a whole, with room left for the method's name.
            if detail.chars().count() > MAX_DETAIL {
                return Err(ManagementInputError::TooLong {
                    field: Field::VerifiedBy,
                    max: MAX_DETAIL,
                }
                .into());
            }
            Some(VerifiedBy::parse(detail)?.to_string())
        };
        let reason = Reason::parse(reason)?;
        let ticket = match ticket.trim() {
            "" => None,
            text => Some(TicketRef::parse(text)?),
        };
        Ok(Self {
            user_id: user_id.clone(),
            method,
            detail,
            reason,
            ticket,
        })
    }

    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    pub fn method(&self) -> VerificationMethod {
        self.method
    }

    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    pub fn reason(&self) -> &Reason {
        &self.reason
    }

    pub fn ticket(&self) -> Option<&TicketRef> {
        self.ticket.as_ref()
    }

    /// Whether this verification covers an action on `user`.
    pub fn covers(&self, user: &UserId) -> bool {
        &self.user_id == user
    }

    /// How the audit log words it: `callback_directory_number` or `other: badge seen`.
    pub fn verified_by(&self) -> VerifiedBy {
        let text = match &self.detail {
            Some(detail) => format!("{}: {detail}", self.method.as_str()),
            None => self.method.as_str().to_owned(),
        };
        VerifiedBy::parse(&text).expect("checked when recorded")
    }

    /// What the audit log records about every action taken under this verification.
    pub fn audit_context(&self, operator: Operator) -> AuditContext {
        AuditContext {
            operator,
            reason: self.reason.clone(),
            ticket: self.ticket.clone(),
            verified_by: Some(self.verified_by()),
        }
    }
}

/// A reset removes every method at once, so the agent types the user's email (or, for a user
/// without one, the user id) to confirm they have the right account. Letter case and
/// surrounding spaces do not matter.
pub fn confirm_reset(user: &User, typed: &str) -> Result<(), HelpdeskError> {
    let typed = typed.trim();
    let expected = user.email.as_deref().unwrap_or(&user.user_id);
    if !typed.is_empty() && typed.eq_ignore_ascii_case(expected.trim()) {
        Ok(())
    } else {
        Err(HelpdeskError::ConfirmationMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> UserId {
        UserId::parse("auth0|ana").unwrap()
    }

    #[test]
    fn the_list_is_ordered_strongest_first_and_named_for_the_ui() {
        let names: Vec<&str> = VerificationMethod::all().map(|m| m.as_str()).collect();
        assert_eq!(
            names,
            [
                "in_person",
                "photo_id_video_call",
                "callback_directory_number",
                "manager_confirmed",
                "other"
            ]
        );
        assert_eq!(
            serde_json::to_string(&VerificationMethod::PhotoIdVideoCall).unwrap(),
            "\"photo_id_video_call\""
        );
    }

    #[test]
    fn a_verification_covers_its_own_user_only() {
        let v = CallerVerification::record(
            &ana(),
            VerificationMethod::CallbackDirectoryNumber,
            " ",
            " lost phone ",
            "",
        )
        .unwrap();
        assert!(v.covers(&ana()));
        assert!(!v.covers(&UserId::parse("auth0|bo").unwrap()));
        assert_eq!(v.reason().as_str(), "lost phone");
        assert_eq!(v.ticket(), None);
        assert_eq!(v.verified_by().as_str(), "callback_directory_number");
        let context = v.audit_context(Operator::parse("agent@acme.example").unwrap());
        assert_eq!(
            context.verified_by.unwrap().as_str(),
            "callback_directory_number"
        );
    }

    #[test]
    fn other_needs_words_and_every_action_needs_a_reason() {
        assert!(matches!(
            CallerVerification::record(&ana(), VerificationMethod::Other, "", "why", ""),
            Err(HelpdeskError::Input(ManagementInputError::Empty(
                Field::VerifiedBy
            )))
        ));
        let other =
            CallerVerification::record(&ana(), VerificationMethod::Other, "badge", "why", "INC-7")
                .unwrap();
        assert_eq!(other.verified_by().as_str(), "other: badge");
        assert_eq!(other.ticket().unwrap().as_str(), "INC-7");
        assert!(matches!(
            CallerVerification::record(&ana(), VerificationMethod::InPerson, "", " ", ""),
            Err(HelpdeskError::Input(ManagementInputError::Empty(
                Field::Reason
            )))
        ));
        assert!(matches!(
            CallerVerification::record(&ana(), VerificationMethod::InPerson, "a\nb", "why", ""),
            Err(HelpdeskError::Input(
                ManagementInputError::ControlCharacters(Field::VerifiedBy)
            ))
        ));
        let long = "x".repeat(MAX_DETAIL + 1);
        assert!(
            CallerVerification::record(&ana(), VerificationMethod::Other, &long, "why", "")
                .is_err()
        );
        let longest = "x".repeat(MAX_DETAIL);
        let v = CallerVerification::record(
            &ana(),
            VerificationMethod::PhotoIdVideoCall,
            &longest,
            "why",
            "",
        )
        .unwrap();
        assert!(v.verified_by().as_str().len() <= MAX_VERIFIED_BY);
    }

    #[test]
    fn a_reset_is_confirmed_by_typing_the_email() {
        let user: User = serde_json::from_value(
            serde_json::json!({"user_id": "auth0|ana", "email": "ana@example.com"}),
        )
        .unwrap();
        assert!(confirm_reset(&user, " Ana@Example.com ").is_ok());
        assert!(matches!(
            confirm_reset(&user, "ana@example.co"),
            Err(HelpdeskError::ConfirmationMismatch)
        ));
        assert!(confirm_reset(&user, "").is_err());
        let no_email: User =
            serde_json::from_value(serde_json::json!({"user_id": "sms|123"})).unwrap();
        assert!(confirm_reset(&no_email, "sms|123").is_ok());
    }
}
