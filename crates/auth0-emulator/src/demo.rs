//! The built-in demo tenant (used when no `--tenant` file is given) and its
//! fixed values, exported once for the app's demo mode, its tests and
//! scripts. Every demo user signs in with [`PASSWORD`].
//!
//! | Email | Factors |
//! |---|---|
//! | [`NEW_HIRE`] | none: enrolls at first sign-in |
//! | [`ENROLLED`] | authenticator app ([`ENROLLED_TOTP_SECRET`]), phone ([`ENROLLED_PHONE`]), recovery code ([`ENROLLED_RECOVERY_CODE`]) |
//! | [`HELPDESK_AGENT`] | authenticator app ([`HELPDESK_AGENT_TOTP_SECRET`]) |
//! | [`PUSH_USER`] | push (Guardian), authenticator app ([`PUSH_USER_TOTP_SECRET`]), recovery code ([`PUSH_USER_RECOVERY_CODE`]) |
//! | [`ONLY_RECOVERY`] | nothing but a recovery code ([`ONLY_RECOVERY_CODE`]) |
//! | [`PHONE_ONLY`] | a phone ([`PHONE_ONLY_PHONE`]), no recovery code |
//! | [`LEAD`] | authenticator app ([`LEAD_TOTP_SECRET`]); role [`ROLE_LEAD`] |
//!
//! [`HELPDESK_AGENT`] has role [`ROLE_AGENT`]. Both roles hold permissions
//! of the helpdesk API ([`HELPDESK_API`], RBAC on, permissions in the token);
//! the post-login Action rule adds [`HELPDESK_MFA_CLAIM`] to its tokens.

use crate::tenant::{
    AuthMethod, AuthenticatorSeed, ClientConfig, ClientGrant, Factors, MfaClaimAction, Permission,
    ResourceServer, Role, Settings, SubjectType, Tenant, TokenDialect, UserSeed,
    DEFAULT_CONNECTION, GRANT_AUTHORIZATION_CODE, GRANT_CIBA, GRANT_CLIENT_CREDENTIALS,
    GRANT_DEVICE_CODE, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY, GRANT_PASSWORD,
    GRANT_PASSWORD_REALM, GRANT_REFRESH, MANAGEMENT_API,
};

/// The tenant's friendly name: TOTP issuer and the name in message texts.
pub const TENANT_NAME: &str = "MFA Desk Demo";
/// Password of every demo user.
pub const PASSWORD: &str = "correct horse battery staple";

/// The desktop app's public client (no secret), with every user grant
/// (`authorization_code` included; see [`DEMO_CALLBACKS`]).
pub const PUBLIC_CLIENT_ID: &str = "mfa-desk-demo";
/// Where `/authorize` may send the public and confidential demo clients
/// back to; any port on loopback (RFC 8252).
pub const DEMO_CALLBACKS: &[&str] = &["http://127.0.0.1/callback", "http://localhost/callback"];

/// A confidential client (`client_secret_post`) with every user grant.
pub const CONFIDENTIAL_CLIENT_ID: &str = "mfa-desk-confidential";
pub const CONFIDENTIAL_CLIENT_SECRET: &str = "demo-client-secret";
/// A public client with only the `password` grant.
pub const LIMITED_CLIENT_ID: &str = "limited-client";

/// The helpdesk's machine-to-machine client for the Management API.
pub const HELPDESK_CLIENT_ID: &str = "mfa-desk-helpdesk";
pub const HELPDESK_CLIENT_SECRET: &str = "demo-helpdesk-secret";
/// What [`HELPDESK_CLIENT_ID`] is granted on the Management API.
pub const HELPDESK_SCOPES: &[&str] = &[
    "read:users",
    "read:authentication_methods",
    "delete:authentication_methods",
    "update:users",
    "create:guardian_enrollment_tickets",
    "delete:guardian_enrollments",
];
/// A helpdesk client that may only look.
pub const HELPDESK_READONLY_CLIENT_ID: &str = "mfa-desk-helpdesk-readonly";
pub const HELPDESK_READONLY_CLIENT_SECRET: &str = "demo-helpdesk-readonly-secret";
pub const HELPDESK_READONLY_SCOPES: &[&str] = &["read:users", "read:authentication_methods"];

pub const NEW_HIRE: &str = "new.hire@example.com";
pub const NEW_HIRE_USER_ID: &str = "auth0|64d0c0ffee0000000000a001";

pub const ENROLLED: &str = "enrolled@example.com";
pub const ENROLLED_USER_ID: &str = "auth0|64d0c0ffee0000000000a002";
pub const ENROLLED_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
pub const ENROLLED_TOTP_ID: &str = "totp|dev_DemoTotpEnrolled";
/// Alphabet of spec §10.
pub const ENROLLED_RECOVERY_CODE: &str = "7KQ9XW2MFDEMQ4RECV8YCDEZ";
pub const ENROLLED_PHONE: &str = "+15555550123";
/// The MFA API id of the phone (`voice|…` shares the suffix; the Management
/// API calls it `phone|dev_DemoPhoneEnrolld`).
pub const ENROLLED_SMS_ID: &str = "sms|dev_DemoPhoneEnrolld";

/// The helpdesk agent (an ordinary user of the tenant).
pub const HELPDESK_AGENT: &str = "helpdesk@example.com";
pub const HELPDESK_AGENT_USER_ID: &str = "auth0|64d0c0ffee0000000000a003";
pub const HELPDESK_AGENT_TOTP_SECRET: &str = "HELPDESKAGENTTOTPSECRETDEMO23456";

pub const PUSH_USER: &str = "push.user@example.com";
pub const PUSH_USER_USER_ID: &str = "auth0|64d0c0ffee0000000000a004";
pub const PUSH_USER_TOTP_SECRET: &str = "PUSHUSERAPPTOTPSECRETDEMO7654322";
pub const PUSH_USER_RECOVERY_CODE: &str = "P8SHUSER2RECVCD3MFADESK4";

pub const ONLY_RECOVERY: &str = "only.recovery@example.com";
pub const ONLY_RECOVERY_USER_ID: &str = "auth0|64d0c0ffee0000000000a005";
pub const ONLY_RECOVERY_CODE: &str = "LASTRESQRTC4DE5KEEPSAFE7";

pub const PHONE_ONLY: &str = "phone.only@example.com";
pub const PHONE_ONLY_USER_ID: &str = "auth0|64d0c0ffee0000000000a006";
pub const PHONE_ONLY_PHONE: &str = "+15555550188";

/// The helpdesk lead: every helpdesk permission.
pub const LEAD: &str = "lead@example.com";
pub const LEAD_USER_ID: &str = "auth0|64d0c0ffee0000000000a007";
pub const LEAD_TOTP_SECRET: &str = "HELPDESKLEADTOTPSECRETDEMO234567";

/// The helpdesk service's API (§S1): RBAC on, permissions in the token.
pub const HELPDESK_API: &str = "https://helpdesk.mfa-desk.example/";
pub const PERMISSION_READ: &str = "helpdesk:read";
pub const PERMISSION_ACT: &str = "helpdesk:act";
pub const PERMISSION_RESET: &str = "helpdesk:reset";
pub const PERMISSION_APPROVE: &str = "helpdesk:approve";
/// Every permission [`HELPDESK_API`] defines.
pub const HELPDESK_PERMISSIONS: &[&str] = &[
    PERMISSION_READ,
    PERMISSION_ACT,
    PERMISSION_RESET,
    PERMISSION_APPROVE,
];
/// Read and act; held by [`HELPDESK_AGENT`].
pub const ROLE_AGENT: &str = "Helpdesk agent";
/// All four permissions; held by [`LEAD`].
pub const ROLE_LEAD: &str = "Helpdesk lead";
/// The claim the post-login Action (`packaging/auth0/`) puts in helpdesk API
/// access tokens from a sign-in that passed MFA: value `["mfa"]`.
pub const HELPDESK_MFA_CLAIM: &str = "https://helpdesk.mfa-desk.example/amr";

/// The helpdesk service's confidential client: client credentials for the
/// Management API ([`HELPDESK_SERVICE_SCOPES`]) and CIBA.
pub const HELPDESK_SERVICE_CLIENT_ID: &str = "mfa-desk-helpdesk-service";
pub const HELPDESK_SERVICE_CLIENT_SECRET: &str = "demo-helpdesk-service-secret";
/// What [`HELPDESK_SERVICE_CLIENT_ID`] is granted on the Management API.
pub const HELPDESK_SERVICE_SCOPES: &[&str] = &[
    "read:users",
    "update:users",
    "read:authentication_methods",
    "delete:authentication_methods",
    "create:guardian_enrollment_tickets",
    "delete:guardian_enrollments",
    "read:logs",
    "read:logs_users",
    "read:sessions",
    "delete:sessions",
    "read:refresh_tokens",
    "delete:refresh_tokens",
];

fn user(
    email: &str,
    user_id: &str,
    factors: Vec<AuthenticatorSeed>,
    code: Option<&str>,
) -> UserSeed {
    UserSeed {
        email: email.into(),
        password: PASSWORD.into(),
        user_id: Some(user_id.into()),
        connection: None,
        name: None,
        nickname: None,
        email_verified: true,
        authenticators: factors,
        recovery_code: code.map(str::to_string),
        roles: Vec::new(),
        permissions: Vec::new(),
        blocked: false,
    }
}

fn totp(secret: &str, suffix: &str) -> AuthenticatorSeed {
    AuthenticatorSeed::Totp {
        secret: secret.into(),
        id: Some(suffix.into()),
        active: true,
    }
}

fn phone(number: &str, suffix: &str) -> AuthenticatorSeed {
    AuthenticatorSeed::Phone {
        phone_number: number.into(),
        id: Some(suffix.into()),
        active: true,
    }
}

fn public_client(client_id: &str, grant_types: &[&str]) -> ClientConfig {
    ClientConfig {
        client_id: client_id.into(),
        client_secret: None,
        token_endpoint_auth_method: AuthMethod::None,
        grant_types: grant_types.iter().map(|g| g.to_string()).collect(),
        client_grants: Vec::new(),
        callbacks: DEMO_CALLBACKS.iter().map(|c| c.to_string()).collect(),
    }
}

/// A machine-to-machine client granted `scopes` on the Management API.
fn management_client(client_id: &str, secret: &str, scopes: &[&str]) -> ClientConfig {
    ClientConfig {
        client_id: client_id.into(),
        client_secret: Some(secret.into()),
        token_endpoint_auth_method: AuthMethod::ClientSecretPost,
        grant_types: vec![GRANT_CLIENT_CREDENTIALS.into()],
        client_grants: vec![ClientGrant {
            audience: MANAGEMENT_API.into(),
            scope: scopes.iter().map(|s| s.to_string()).collect(),
            subject_type: SubjectType::Client,
        }],
        callbacks: Vec::new(),
    }
}

/// The user grant a public app needs for the My Account API (§S5.1): every scope it has.
fn my_account_grant() -> ClientGrant {
    ClientGrant {
        audience: "/me/".into(),
        scope: MY_ACCOUNT_SCOPES.iter().map(|s| s.to_string()).collect(),
        subject_type: SubjectType::User,
    }
}

/// The My Account API's scopes (§S5.1).
pub const MY_ACCOUNT_SCOPES: &[&str] = &[
    "create:me:authentication_methods",
    "read:me:authentication_methods",
    "update:me:authentication_methods",
    "delete:me:authentication_methods",
    "read:me:factors",
];

fn helpdesk_api() -> ResourceServer {
    ResourceServer {
        identifier: HELPDESK_API.into(),
        name: "MFA Desk helpdesk".into(),
        token_lifetime: 86_400,
        enforce_policies: true,
        token_dialect: TokenDialect::AccessTokenAuthz,
        allow_offline_access: false,
        scopes: HELPDESK_PERMISSIONS.iter().map(|p| p.to_string()).collect(),
    }
}

fn role(name: &str, permissions: &[&str]) -> Role {
    Role {
        name: name.into(),
        description: String::new(),
        permissions: permissions
            .iter()
            .map(|p| Permission::new(HELPDESK_API, p))
            .collect(),
    }
}

impl Tenant {
    /// The built-in demo tenant used when no `--tenant` file is given.
    pub fn demo() -> Tenant {
        tenant()
    }
}

/// The demo tenant.
fn tenant() -> Tenant {
    let user_grants = [
        GRANT_AUTHORIZATION_CODE,
        GRANT_PASSWORD,
        GRANT_PASSWORD_REALM,
        GRANT_REFRESH,
        GRANT_MFA_OTP,
        GRANT_MFA_OOB,
        GRANT_MFA_RECOVERY,
    ];
    let confidential = ClientConfig {
        client_secret: Some(CONFIDENTIAL_CLIENT_SECRET.into()),
        token_endpoint_auth_method: AuthMethod::ClientSecretPost,
        ..public_client(CONFIDENTIAL_CLIENT_ID, &user_grants)
    };
    let push = AuthenticatorSeed::Push {
        id: Some("dev_DemoPushPushUser".into()),
        active: true,
    };
    Tenant {
        friendly_name: TENANT_NAME.into(),
        connections: vec![DEFAULT_CONNECTION.into()],
        default_directory: DEFAULT_CONNECTION.into(),
        factors: Factors::default(),
        // The My Account API activated (§S5.1), so a browser sign-in of the demo shows the
        // app managing methods through it; a new tenant has it off (`Settings::default`).
        settings: Settings {
            my_account_api: true,
            ..Settings::default()
        },
        clients: vec![
            ClientConfig {
                client_grants: vec![my_account_grant()],
                ..public_client(
                    PUBLIC_CLIENT_ID,
                    &[&user_grants[..], &[GRANT_DEVICE_CODE]].concat(),
                )
            },
            confidential,
            public_client(LIMITED_CLIENT_ID, &[GRANT_PASSWORD]),
            management_client(HELPDESK_CLIENT_ID, HELPDESK_CLIENT_SECRET, HELPDESK_SCOPES),
            management_client(
                HELPDESK_READONLY_CLIENT_ID,
                HELPDESK_READONLY_CLIENT_SECRET,
                HELPDESK_READONLY_SCOPES,
            ),
            ClientConfig {
                grant_types: vec![GRANT_CLIENT_CREDENTIALS.into(), GRANT_CIBA.into()],
                ..management_client(
                    HELPDESK_SERVICE_CLIENT_ID,
                    HELPDESK_SERVICE_CLIENT_SECRET,
                    HELPDESK_SERVICE_SCOPES,
                )
            },
        ],
        users: vec![
            user(NEW_HIRE, NEW_HIRE_USER_ID, vec![], None),
            user(
                ENROLLED,
                ENROLLED_USER_ID,
                vec![
                    totp(ENROLLED_TOTP_SECRET, "dev_DemoTotpEnrolled"),
                    phone(ENROLLED_PHONE, "dev_DemoPhoneEnrolld"),
                ],
                Some(ENROLLED_RECOVERY_CODE),
            ),
            UserSeed {
                roles: vec![ROLE_AGENT.into()],
                ..user(
                    HELPDESK_AGENT,
                    HELPDESK_AGENT_USER_ID,
                    vec![totp(HELPDESK_AGENT_TOTP_SECRET, "dev_DemoTotpHelpdesk")],
                    None,
                )
            },
            user(
                PUSH_USER,
                PUSH_USER_USER_ID,
                vec![push, totp(PUSH_USER_TOTP_SECRET, "dev_DemoTotpPushUser")],
                Some(PUSH_USER_RECOVERY_CODE),
            ),
            user(
                ONLY_RECOVERY,
                ONLY_RECOVERY_USER_ID,
                vec![],
                Some(ONLY_RECOVERY_CODE),
            ),
            user(
                PHONE_ONLY,
                PHONE_ONLY_USER_ID,
                vec![phone(PHONE_ONLY_PHONE, "dev_DemoPhoneOnlyUsr")],
                None,
            ),
            UserSeed {
                roles: vec![ROLE_LEAD.into()],
                ..user(
                    LEAD,
                    LEAD_USER_ID,
                    vec![totp(LEAD_TOTP_SECRET, "dev_DemoTotpHelpLead")],
                    None,
                )
            },
        ],
        apis: vec![helpdesk_api()],
        roles: vec![
            role(ROLE_AGENT, &[PERMISSION_READ, PERMISSION_ACT]),
            role(ROLE_LEAD, HELPDESK_PERMISSIONS),
        ],
        mfa_claim_action: Some(MfaClaimAction {
            audience: HELPDESK_API.into(),
            claim: HELPDESK_MFA_CLAIM.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_valid() {
        Tenant::demo().validate().unwrap();
    }
}
