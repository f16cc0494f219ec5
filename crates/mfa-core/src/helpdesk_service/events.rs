//! A caller's recent events (Auth0's log codes, §S4.1) sorted into the kinds an agent reads
//! out, so every front end words them the same way in its own language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    SignedIn,
    SignInFailed,
    WrongPassword,
    SecondFactorAsked,
    SecondFactorPassed,
    WrongCode,
    PushSent,
    PushDenied,
    PushFailed,
    CodeSent,
    CodeNotSent,
    MethodAdded,
    MethodRemoved,
    TooManyCodes,
    RecoveryCodeUsed,
    WrongRecoveryCode,
    Blocked,
    Unblocked,
    SignedOut,
    AdminChange,
    HelpdeskPushSent,
    HelpdeskPushApproved,
    HelpdeskPushDenied,
    Other,
}

impl EventKind {
    /// The kind of the log event with this code.
    pub fn of(code: &str) -> Self {
        match code {
            "s" => Self::SignedIn,
            "f" | "fu" => Self::SignInFailed,
            "fp" => Self::WrongPassword,
            "gd_start_auth" | "mfar" => Self::SecondFactorAsked,
            "gd_auth_succeed" => Self::SecondFactorPassed,
            "gd_auth_failed" => Self::WrongCode,
            "gd_send_pn" => Self::PushSent,
            "gd_auth_rejected" => Self::PushDenied,
            "gd_send_pn_failure" => Self::PushFailed,
            "gd_send_sms" | "gd_send_voice" | "gd_send_email" => Self::CodeSent,
            "gd_send_sms_failure" | "gd_send_voice_failure" => Self::CodeNotSent,
            "gd_start_enroll" | "gd_enrollment_complete" => Self::MethodAdded,
            "gd_unenroll" => Self::MethodRemoved,
            "gd_otp_rate_limit_exceed" | "gd_recovery_rate_limit_exceed" => Self::TooManyCodes,
            "gd_recovery_succeed" => Self::RecoveryCodeUsed,
            "gd_recovery_failed" => Self::WrongRecoveryCode,
            "limit_wc" | "limit_sul" | "limit_mu" => Self::Blocked,
            "ublkdu" => Self::Unblocked,
            "slo" => Self::SignedOut,
            "sapi" => Self::AdminChange,
            "ciba_start_succeeded" => Self::HelpdeskPushSent,
            "ciba_exchange_succeeded" => Self::HelpdeskPushApproved,
            "ciba_exchange_failed" => Self::HelpdeskPushDenied,
            _ => Self::Other,
        }
    }

    /// In English, for the command line and the service's `words`.
    pub fn words(self) -> &'static str {
        match self {
            Self::SignedIn => "signed in",
            Self::SignInFailed => "sign-in failed",
            Self::WrongPassword => "wrong password",
            Self::SecondFactorAsked => "second factor asked for",
            Self::SecondFactorPassed => "second factor passed",
            Self::WrongCode => "wrong second-factor code",
            Self::PushSent => "push sent to the phone",
            Self::PushDenied => "push rejected on the phone",
            Self::PushFailed => "push could not be sent",
            Self::CodeSent => "code sent",
            Self::CodeNotSent => "code could not be sent",
            Self::MethodAdded => "set up a method",
            Self::MethodRemoved => "a method was removed",
            Self::TooManyCodes => "too many wrong codes",
            Self::RecoveryCodeUsed => "signed in with a recovery code",
            Self::WrongRecoveryCode => "wrong recovery code",
            Self::Blocked => "blocked after too many failed attempts",
            Self::Unblocked => "a block was lifted",
            Self::SignedOut => "signed out",
            Self::AdminChange => "changed by an administrator",
            Self::HelpdeskPushSent => "helpdesk push sent",
            Self::HelpdeskPushApproved => "helpdesk push approved",
            Self::HelpdeskPushDenied => "helpdesk push not approved",
            Self::Other => "other event",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_codes_sort_into_kinds() {
        assert_eq!(EventKind::of("gd_auth_rejected"), EventKind::PushDenied);
        assert_eq!(EventKind::of("limit_wc"), EventKind::Blocked);
        assert_eq!(
            EventKind::of("gd_recovery_succeed"),
            EventKind::RecoveryCodeUsed
        );
        assert_eq!(EventKind::of("no_such_code"), EventKind::Other);
        assert_eq!(EventKind::PushDenied.words(), "push rejected on the phone");
    }
}
