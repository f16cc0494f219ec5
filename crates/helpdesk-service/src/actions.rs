//! The changes an agent can make to a caller's account, and the permission each needs. The
//! five MFA actions are mfa-core's [`ActionKind`]s; ending sessions and unblocking are the
//! incident-response additions (§S4.2, §S4.3).

use mfa_core::helpdesk::ActionKind;
use mfa_core::helpdesk_service::ServiceAction;
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

    /// The same action as the clients name it: the rules below are the core's.
    pub fn core(self) -> ServiceAction {
        match self {
            Self::RemoveMethod => ServiceAction::RemoveMethod,
            Self::Reset => ServiceAction::Reset,
            Self::IssueRecoveryCode => ServiceAction::IssueRecoveryCode,
            Self::SendEnrollmentTicket => ServiceAction::SendEnrollmentTicket,
            Self::ForgetBrowsers => ServiceAction::ForgetBrowsers,
            Self::EndSessions => ServiceAction::EndSessions,
            Self::Unblock => ServiceAction::Unblock,
        }
    }

    /// The permission carrying it out takes (the core's rule).
    pub fn permission(self) -> Permission {
        Permission::parse(self.core().permission()).unwrap_or(Permission::Act)
    }

    /// The core's action, for its next-step rule.
    pub fn core_kind(self) -> Option<ActionKind> {
        self.core().core_kind()
    }
}
