//! Turns the tenant's configured users into live users, and makes new ones
//! (`POST /__emulator/users`).

use crate::ids;
use crate::limits::UserLimits;
use crate::model::{push_pair, Authenticator, Kind, Profile, User};
use crate::tenant::{AuthenticatorSeed, Tenant, UserSeed};

/// A user with no factor, in the tenant's default directory.
pub fn new_user(
    tenant: &Tenant,
    now_ms: u64,
    email: &str,
    password: &str,
    user_id: Option<String>,
) -> User {
    let nickname = email.split('@').next().unwrap_or(email).to_string();
    User {
        user_id: user_id.unwrap_or_else(ids::user_id),
        email: email.to_string(),
        password: password.to_string(),
        connection: tenant.default_directory.clone(),
        profile: Profile {
            name: email.to_string(),
            picture: default_picture(&nickname),
            nickname,
            email_verified: true,
            created_ms: now_ms,
            updated_ms: now_ms,
            last_login_ms: None,
            logins_count: 0,
        },
        authenticators: Vec::new(),
        recovery_code: None,
        ever_associated: false,
        limits: UserLimits::new(&tenant.settings, now_ms / 1000),
        roles: Vec::new(),
        permissions: Vec::new(),
        blocked: false,
        passkeys: Vec::new(),
    }
}

/// ASSUMPTION: Auth0's default picture is a Gravatar URL falling back to an
/// initials avatar on its CDN; the emulator returns the fallback directly.
fn default_picture(nickname: &str) -> String {
    let initials: String = nickname
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(2)
        .collect::<String>()
        .to_ascii_lowercase();
    format!("https://cdn.auth0.com/avatars/{initials}.png")
}

/// sms, plus voice when the tenant has voice on (one phone, two ids).
pub fn phone_kinds(tenant: &Tenant) -> Vec<Kind> {
    let mut kinds = vec![Kind::Sms];
    if tenant.factors.voice {
        kinds.push(Kind::Voice);
    }
    kinds
}

/// The live user for one configured user.
pub fn user_from_seed(tenant: &Tenant, now_ms: u64, seed: &UserSeed) -> User {
    let mut user = new_user(
        tenant,
        now_ms,
        &seed.email,
        &seed.password,
        seed.user_id.clone(),
    );
    if let Some(c) = &seed.connection {
        user.connection = c.clone();
    }
    if let Some(name) = &seed.name {
        user.profile.name = name.clone();
    }
    if let Some(nickname) = &seed.nickname {
        user.profile.nickname = nickname.clone();
        user.profile.picture = default_picture(nickname);
    }
    user.profile.email_verified = seed.email_verified;
    user.roles = seed.roles.clone();
    user.permissions = seed.permissions.clone();
    user.blocked = seed.blocked;
    let suffix_of = |id: &Option<String>| -> String {
        match id {
            Some(id) => id
                .split_once('|')
                .map_or(id.as_str(), |(_, s)| s)
                .to_string(),
            None => ids::device_suffix(),
        }
    };
    for a in &seed.authenticators {
        match a {
            AuthenticatorSeed::Totp { secret, id, active } => {
                let mut t = Authenticator::new(Kind::Totp, &suffix_of(id), now_ms);
                t.secret = Some(secret.clone());
                t.active = *active;
                user.authenticators.push(t);
            }
            AuthenticatorSeed::Phone {
                phone_number,
                id,
                active,
            } => {
                let suffix = suffix_of(id);
                for kind in phone_kinds(tenant) {
                    let mut p = Authenticator::new(kind, &suffix, now_ms);
                    p.phone = Some(phone_number.clone());
                    p.active = *active;
                    user.authenticators.push(p);
                }
            }
            AuthenticatorSeed::Email { email, id, active } => {
                let mut e = Authenticator::new(Kind::Email, &suffix_of(id), now_ms);
                e.email = Some(email.clone());
                e.active = *active;
                user.authenticators.push(e);
            }
            AuthenticatorSeed::Push { id, active } => {
                let (mut push, mut totp) = push_pair(&suffix_of(id), now_ms);
                push.active = *active;
                totp.active = *active;
                user.authenticators.push(push);
                user.authenticators.push(totp);
            }
        }
    }
    if !seed.authenticators.is_empty() {
        user.ever_associated = true;
    }
    if tenant.factors.recovery_codes {
        if let Some(code) = &seed.recovery_code {
            let mut rc = Authenticator::new(Kind::RecoveryCode, &ids::device_suffix(), now_ms);
            rc.active = true;
            user.authenticators.push(rc);
            user.recovery_code = Some(code.clone());
            // A user with nothing but a recovery code has associated before.
            user.ever_associated = true;
        }
    }
    user
}
