//! The user store's model: users, their profiles and their authenticators.
//! Both the MFA API and the Management API read and change these, so what
//! one API deletes is gone from the other at once.

use crate::ids;
use crate::limits::UserLimits;
use crate::tenant::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Totp,
    Sms,
    Voice,
    Email,
    Push,
    RecoveryCode,
}

impl Kind {
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Totp => "totp",
            Kind::Sms => "sms",
            Kind::Voice => "voice",
            Kind::Email => "email",
            Kind::Push => "push",
            Kind::RecoveryCode => "recovery-code",
        }
    }

    /// `authenticator_type` on the MFA API.
    pub fn authenticator_type(self) -> &'static str {
        match self {
            Kind::Totp => "otp",
            Kind::RecoveryCode => "recovery-code",
            _ => "oob",
        }
    }

    pub fn oob_channel(self) -> Option<&'static str> {
        match self {
            Kind::Sms => Some("sms"),
            Kind::Voice => Some("voice"),
            Kind::Email => Some("email"),
            Kind::Push => Some("auth0"),
            _ => None,
        }
    }

    /// The feature-flagged `type` field, which matches `mfa_requirements[].type`.
    pub fn type_field(self) -> &'static str {
        match self {
            Kind::Totp => "otp",
            Kind::Sms | Kind::Voice => "phone",
            Kind::Email => "email",
            Kind::Push => "push-notification",
            Kind::RecoveryCode => "recovery-code",
        }
    }

    pub fn is_phone(self) -> bool {
        matches!(self, Kind::Sms | Kind::Voice)
    }
}

#[derive(Debug, Clone)]
pub struct Authenticator {
    /// `<kind>|dev_<16 alnum>`
    pub id: String,
    pub kind: Kind,
    pub active: bool,
    /// Base32 TOTP secret (totp only).
    pub secret: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// push ↔ its totp sibling; deleting or activating one affects the other.
    pub sibling: Option<String>,
    /// Highest TOTP step accepted, so a code (or an older one) is never reused.
    pub last_otp_step: Option<u64>,
    /// Virtual epoch milliseconds; the Management API's `created_at`.
    pub created_ms: u64,
    /// The name a person gave it through the My Account API (§S5.2 PATCH).
    pub name: Option<String>,
}

impl Authenticator {
    /// A new, inactive authenticator.
    pub fn new(kind: Kind, suffix: &str, now_ms: u64) -> Self {
        Authenticator {
            id: format!("{}|{suffix}", kind.prefix()),
            kind,
            active: false,
            secret: None,
            phone: None,
            email: None,
            sibling: None,
            last_otp_step: None,
            created_ms: now_ms,
            name: None,
        }
    }

    pub fn suffix(&self) -> &str {
        self.id.split_once('|').map(|(_, s)| s).unwrap_or("")
    }

    /// True when `other` goes with `self` on activation and removal: the
    /// sms/voice twin sharing the phone's suffix, or the push/totp sibling.
    fn enrolled_with(&self, other: &Authenticator) -> bool {
        let twin = self.kind.is_phone() && other.kind.is_phone() && other.suffix() == self.suffix();
        twin || self.sibling.as_deref() == Some(other.id.as_str())
    }
}

/// A push authenticator and the totp sibling Guardian enrolls with it.
pub fn push_pair(push_suffix: &str, now_ms: u64) -> (Authenticator, Authenticator) {
    let mut push = Authenticator::new(Kind::Push, push_suffix, now_ms);
    let mut totp = Authenticator::new(Kind::Totp, &ids::device_suffix(), now_ms);
    totp.secret = Some(ids::totp_secret());
    push.sibling = Some(totp.id.clone());
    totp.sibling = Some(push.id.clone());
    (push, totp)
}

/// The profile fields the Management API returns (spec §12.3 "Users").
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub nickname: String,
    pub picture: String,
    pub email_verified: bool,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub last_login_ms: Option<u64>,
    pub logins_count: u64,
}

#[derive(Debug, Clone)]
pub struct User {
    /// `auth0|<24 hex>`
    pub user_id: String,
    pub email: String,
    pub password: String,
    pub connection: String,
    pub profile: Profile,
    pub authenticators: Vec<Authenticator>,
    /// The one valid recovery code; its authenticator is `recovery-code|…`.
    pub recovery_code: Option<String>,
    /// `recovery_codes` is returned only on the first association ever
    /// (or the first after a helpdesk reset).
    pub ever_associated: bool,
    pub limits: UserLimits,
    /// Role names (§S1.3); their permissions live in the tenant.
    pub roles: Vec<String>,
    /// Permissions assigned directly.
    pub permissions: Vec<Permission>,
    /// An admin block (§S4.3): sign-ins and refreshes are refused.
    pub blocked: bool,
    /// Passkeys (§S5.2): sign-in credentials of the database connection, apart from the MFA
    /// authenticators above, so the MFA API never lists them.
    pub passkeys: Vec<crate::passkey::Passkey>,
}

impl User {
    /// Active factors that count as "enrolled" (recovery codes don't).
    pub fn has_active_factor(&self) -> bool {
        self.authenticators
            .iter()
            .any(|a| a.active && a.kind != Kind::RecoveryCode)
    }

    pub fn find(&self, id: &str) -> Option<&Authenticator> {
        self.authenticators.iter().find(|a| a.id == id)
    }

    /// Activates `id` and what is enrolled with it: the sms/voice twin, the
    /// push/totp sibling, and a pending recovery code (it becomes active
    /// together with the first confirmed factor).
    pub fn activate(&mut self, id: &str) {
        let Some(a) = self.find(id).cloned() else {
            return;
        };
        for other in &mut self.authenticators {
            if other.id == a.id || a.enrolled_with(other) || other.kind == Kind::RecoveryCode {
                other.active = true;
            }
        }
    }

    /// Removes `id` and its cascade (sms↔voice, push↔totp). Returns false if unknown.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(a) = self.find(id).cloned() else {
            return false;
        };
        self.authenticators
            .retain(|other| !(other.id == a.id || a.enrolled_with(other)));
        if a.kind == Kind::RecoveryCode {
            self.recovery_code = None;
        }
        true
    }

    /// Forgets every authenticator and the recovery code: the user enrolls
    /// afresh at the next sign-in, as a new user would (spec §12.3 "Reset").
    pub fn reset_mfa(&mut self) {
        self.authenticators.clear();
        self.recovery_code = None;
        self.ever_associated = false;
    }
}
