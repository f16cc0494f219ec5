//! The changes an agent can make to a caller's account, and the permission each needs. The
//! five MFA actions are mfa-core's [`ActionKind`]s; ending sessions and unblocking are the
//! incident-response additions (§S4.2, §S4.3).

use mfa_core::helpdesk::ActionKind;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use utoipa::ToSchema;

use crate::auth::Permission;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    EnumIter,
    IntoStaticStr,
    ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Remove one authentication method (`method_id`).
    RemoveMethod,
    /// Remove every method; the caller enrolls afresh (`confirmation`: the caller's email).
    Reset,
    /// A new recovery code, shown once to read out (`replace` for a second within the window).
    IssueRecoveryCode,
    /// Auth0 emails the caller an enrollment link (`locale` optional).
    SendEnrollmentTicket,
    /// Every browser that skipped MFA asks again.
    ForgetBrowsers,
    /// The caller's sessions and refresh tokens end.
    EndSessions,
    /// The admin block and brute-force blocks are lifted.
    Unblock,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        <Self as strum::IntoEnumIterator>::iter().find(|a| a.as_str() == text)
    }

    /// `helpdesk:reset` for a full reset, `helpdesk:act` for every other change.
    pub fn permission(self) -> Permission {
        match self {
            Self::Reset => Permission::Reset,
            _ => Permission::Act,
        }
    }

    /// The core's action, for its next-step rule.
    pub fn core_kind(self) -> Option<ActionKind> {
        match self {
            Self::RemoveMethod => Some(ActionKind::RemoveMethod),
            Self::Reset => Some(ActionKind::ResetAll),
            Self::IssueRecoveryCode => Some(ActionKind::IssueRecoveryCode),
            Self::SendEnrollmentTicket => Some(ActionKind::SendEnrollmentTicket),
            Self::ForgetBrowsers => Some(ActionKind::ForgetBrowsers),
            Self::EndSessions | Self::Unblock => None,
        }
    }
}
