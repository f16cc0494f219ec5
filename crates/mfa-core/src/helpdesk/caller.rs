//! The caller: finding their account by email, and what their set of authentication methods
//! means for the agent (Management API view, §12.2–12.3).

use serde::Serialize;

use crate::input::Email;
use crate::management::model::MethodType;
use crate::management::{AuthenticationMethod, ManagementClient, ManagementError, User};

/// The accounts an email matched, and whether only its lower-cased form matched.
#[derive(Debug, Default)]
pub struct FoundCallers {
    pub users: Vec<User>,
    /// The email as typed matched nothing; lower-cased, it matched these.
    pub matched_lower_case: bool,
}

/// `users-by-email` is an exact, case-sensitive match, and Auth0 database connections store
/// emails lower-cased: look the email up as typed (the domain is lower-cased already: domains
/// are case-insensitive), then lower-cased. Several accounts (one per connection) may share
/// an address; all are returned, for the agent to choose.
pub async fn find_callers(
    client: &ManagementClient,
    email: &Email,
) -> Result<FoundCallers, ManagementError> {
    let users = client.users_by_email(email).await?;
    if !users.is_empty() {
        return Ok(FoundCallers {
            users,
            matched_lower_case: false,
        });
    }
    let lower = email.as_str().to_lowercase();
    if lower == email.as_str() {
        return Ok(FoundCallers::default());
    }
    let Ok(lower) = Email::parse(&lower) else {
        return Ok(FoundCallers::default());
    };
    let users = client.users_by_email(&lower).await?;
    Ok(FoundCallers {
        matched_lower_case: !users.is_empty(),
        users,
    })
}

/// Where a caller stands, which decides what the agent is told to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// At least one confirmed factor: the caller can sign in and help themselves (self-service).
    HoldsFactors,
    /// Nothing but a recovery code: without it they cannot sign in, and without signing in
    /// they cannot set up a new method. The helpdesk trap.
    OnlyRecoveryCode,
    /// Nothing at all: the next sign-in asks them to set up MFA as a new user would.
    NoMethods,
}

/// A caller's methods as the Management API lists them.
#[derive(Debug, Clone, Default)]
pub struct CallerMethods {
    pub methods: Vec<AuthenticationMethod>,
}

/// What removing one method would do, shown before the agent confirms.
#[derive(Debug, Clone)]
pub struct MethodRemoval<'a> {
    pub method: &'a AuthenticationMethod,
    /// The MFA API entries that go with it (`sms` and `voice` for a phone).
    pub channels: Vec<String>,
    /// The caller's other methods, which stay.
    pub remaining: Vec<&'a AuthenticationMethod>,
    /// Where the caller stands afterwards.
    pub after: Standing,
}

fn is_recovery_code(method: &AuthenticationMethod) -> bool {
    method.kind == Some(MethodType::RecoveryCode)
}

/// A second factor the caller can prove: not the recovery code, not a password.
fn is_factor(method: &AuthenticationMethod) -> bool {
    !matches!(
        method.kind,
        Some(MethodType::RecoveryCode | MethodType::Password)
    )
}

/// Auth0 lists enrollments that were never finished with `confirmed: false`.
fn is_confirmed(method: &AuthenticationMethod) -> bool {
    method.confirmed != Some(false)
}

fn standing_of<'a>(methods: impl Iterator<Item = &'a AuthenticationMethod> + Clone) -> Standing {
    if methods.clone().any(|m| is_factor(m) && is_confirmed(m)) {
        Standing::HoldsFactors
    } else if methods.into_iter().any(is_recovery_code) {
        Standing::OnlyRecoveryCode
    } else {
        Standing::NoMethods
    }
}

impl CallerMethods {
    pub fn new(methods: Vec<AuthenticationMethod>) -> Self {
        Self { methods }
    }

    pub fn standing(&self) -> Standing {
        standing_of(self.methods.iter())
    }

    /// The confirmed factors the caller still holds (for "suggest self-service").
    pub fn held_factors(&self) -> impl Iterator<Item = &AuthenticationMethod> {
        self.methods
            .iter()
            .filter(|m| is_factor(m) && is_confirmed(m))
    }

    pub fn has_recovery_code(&self) -> bool {
        self.methods.iter().any(is_recovery_code)
    }

    pub fn find(&self, id: &str) -> Option<&AuthenticationMethod> {
        self.methods.iter().find(|m| m.id == id)
    }

    /// What removing `id` takes and leaves; `None` when the caller has no such method.
    pub fn removal(&self, id: &str) -> Option<MethodRemoval<'_>> {
        let method = self.find(id)?;
        let remaining: Vec<&AuthenticationMethod> =
            self.methods.iter().filter(|m| m.id != id).collect();
        let channels = method
            .authentication_methods
            .iter()
            .filter_map(|linked| linked.kind.clone())
            .collect();
        Some(MethodRemoval {
            method,
            channels,
            after: standing_of(remaining.iter().copied()),
            remaining,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn methods(list: serde_json::Value) -> CallerMethods {
        CallerMethods::new(serde_json::from_value(list).unwrap())
    }

    #[test]
    fn standing_follows_the_confirmed_factors_then_the_recovery_code() {
        let full = methods(json!([
            {"id": "totp|dev_1", "type": "totp", "confirmed": true},
            {"id": "recovery-code|dev_2", "type": "recovery-code", "confirmed": true}
        ]));
        assert_eq!(full.standing(), Standing::HoldsFactors);
        assert_eq!(full.held_factors().count(), 1);

        let trap = methods(json!([
            {"id": "recovery-code|dev_2", "type": "recovery-code", "confirmed": true},
            {"id": "totp|dev_3", "type": "totp", "confirmed": false}
        ]));
        assert_eq!(trap.standing(), Standing::OnlyRecoveryCode);
        assert_eq!(trap.held_factors().count(), 0);
        assert!(trap.has_recovery_code());

        assert_eq!(methods(json!([])).standing(), Standing::NoMethods);
        // A password is not a second factor.
        let password = methods(json!([{"id": "password|x", "type": "password"}]));
        assert_eq!(password.standing(), Standing::NoMethods);
    }

    #[test]
    fn a_removal_names_its_channels_and_what_stays() {
        let list = methods(json!([
            {"id": "phone|dev_P", "type": "phone", "phone_number": "XXXXXXXX0188",
             "authentication_methods": [{"id": "sms|dev_P", "type": "sms"}, {"id": "voice|dev_P", "type": "voice"}]},
            {"id": "recovery-code|dev_R", "type": "recovery-code"}
        ]));
        let removal = list.removal("phone|dev_P").unwrap();
        assert_eq!(removal.channels, ["sms", "voice"]);
        assert_eq!(removal.remaining.len(), 1);
        assert_eq!(removal.after, Standing::OnlyRecoveryCode);
        let code = list.removal("recovery-code|dev_R").unwrap();
        assert_eq!(code.after, Standing::HoldsFactors);
        assert!(list.removal("totp|nope").is_none());
    }
}
