//! Behaviour knobs of a tenant, one per UNCONFIRMED behaviour of the spec.

use serde::{Deserialize, Serialize};

use super::ActionFactorRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaPolicy {
    /// Every password login answers `mfa_required`, even for users with no
    /// factor (they must enroll first).
    Always,
    /// Only users with an active factor get `mfa_required`.
    IfEnrolled,
}

/// A token bucket: `capacity` tokens, one token back every `refill_every_secs`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    pub capacity: u32,
    pub refill_every_secs: u64,
}

/// Behaviour knobs. Defaults are the spec's "most likely" values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub mfa_policy: MfaPolicy,
    /// mfa_token lifetime (spec §9: 5 vs 10 minutes is UNCONFIRMED).
    pub mfa_token_ttl_secs: u64,
    /// oob_code lifetime (spec §9: 5 minutes).
    pub oob_code_ttl_secs: u64,
    /// Lifetime of access tokens for the MFA audience (fixed at 600 by Auth0).
    pub mfa_access_token_ttl_secs: u64,
    /// Lifetime of access tokens for any other audience.
    pub access_token_ttl_secs: u64,
    /// Polling one push oob_code faster than this answers `slow_down`; 0 disables.
    pub push_min_poll_interval_secs: u64,
    /// Error code for a rejected push: "access_denied" (recorded) or "invalid_grant" (docs).
    pub push_rejection_error: String,
    /// Add `mfa_requirements` to `mfa_required` bodies (Actions-customised tenants).
    pub include_mfa_requirements: bool,
    /// §S5.1: the My Account API is activated (APIs → MyAccount API → Activate); off, every
    /// `/me/` path is a 404 problem, as recorded.
    pub my_account_api: bool,
    /// §S5.3 UNCONFIRMED: how long a My Account `auth_session` lasts.
    pub my_account_auth_session_ttl_secs: u64,
    /// §S5.4 UNCONFIRMED: the Content-Type of My Account errors, `application/json`
    /// (MYACC-OAS) or `application/problem+json`.
    pub my_account_error_content_type: String,
    /// An Action limiting the factors (§2.2): its lists become `mfa_requirements`, which
    /// are then sent whatever `include_mfa_requirements` says.
    pub action_factor_rules: Option<ActionFactorRules>,
    /// Add the feature-flagged `type` field to listed authenticators.
    pub include_type_field: bool,
    /// Uppercase and strip spaces/dashes from recovery codes before comparing.
    pub lenient_recovery_codes: bool,
    /// /mfa/challenge error for a user with no active factor:
    /// "association_required" or "unsupported_challenge_type".
    pub not_enrolled_error: String,
    /// Send `Retry-After` on 429s (UNCONFIRMED on Auth0).
    pub send_retry_after: bool,
    /// Status of "User is already enrolled." on /mfa/associate.
    pub already_enrolled_status: u16,
    /// Status of wrong otp / binding / recovery codes on /oauth/token.
    pub wrong_code_status: u16,
    /// Status of `expired_token` on /oauth/token and /mfa/challenge
    /// (/mfa/authenticators and /mfa/associate always use 401).
    pub expired_token_status: u16,
    /// Status of "Malformed mfa_token" / "The mfa_token provided is invalid."
    /// on /oauth/token and /mfa/challenge.
    pub invalid_mfa_token_status: u16,
    /// Consecutive password failures that block a user.
    pub brute_force_threshold: u32,
    /// How long a brute-force block lasts (virtual clock).
    pub brute_force_block_secs: u64,
    /// Wrong OTP / binding / recovery codes per user.
    pub failed_code_bucket: BucketSpec,
    /// SMS and voice sends per user.
    pub sms_bucket: BucketSpec,
    /// Email code sends per user.
    pub email_bucket: BucketSpec,
    /// Push notifications per user.
    pub push_bucket: BucketSpec,
    /// Management API requests, tenant-wide (429 with the usual headers).
    pub management_api_bucket: BucketSpec,
    /// Lifetime of Guardian enrollment tickets.
    pub enrollment_ticket_ttl_secs: u64,
    /// Lifetime of `/authorize` authorization codes.
    pub authorization_code_ttl_secs: u64,
    /// Spec §2.4 UNCONFIRMED: may an MFA-audience access token (with `enroll`)
    /// stand in for the `mfa_token` of the MFA grants, to confirm an
    /// authenticator that token associated? Off: it is a "Malformed mfa_token".
    pub confirm_with_access_token: bool,
    /// §S3.3 UNCONFIRMED: status of CIBA poll errors (SDK mocks use 400, some 403).
    pub ciba_poll_error_status: u16,
    /// §S3.3 UNCONFIRMED: an expired CIBA request answers "access_denied"
    /// (Auth0's description folds expiry in) or "expired_token" (RFC).
    pub ciba_expired_error: String,
    /// §S3.2 UNCONFIRMED: may a binding message hold spaces beside
    /// letters, digits and `+-_.,:#`?
    pub ciba_binding_message_spaces: bool,
    /// §S4.2 UNCONFIRMED: send "Session deletion request accepted." (and the
    /// refresh-token sentence) as the 202 body, or nothing.
    pub deletion_202_text: bool,
    /// Passkeys are on for the database connection (Authentication → Database → Passkey);
    /// off, as on a new connection, the My Account API refuses `type: "passkey"`.
    pub passkeys: bool,
    /// §S5.3: the relying party ID, the tenant's custom domain (or a parent domain set
    /// under Tenant Settings); unset, the host of the emulator's base URL.
    pub passkey_rp_id: Option<String>,
    /// §S5.3 UNCONFIRMED for desktop clients: the origins a `clientDataJSON` may name.
    /// Empty: the emulator's own origin (its hosted pages) and `https://<rp id>`.
    pub passkey_origins: Vec<String>,
    /// §S5.3: `authenticatorSelection.userVerification` of the creation options,
    /// `required`, `preferred` (the example's) or `discouraged`.
    pub passkey_user_verification: String,
    /// UNCONFIRMED: a hosted sign-in with a passkey skips the MFA step. Off, it goes on to
    /// MFA as a password sign-in does (as tenants ask an Action to skip it).
    pub passkey_skips_mfa: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mfa_policy: MfaPolicy::Always,
            mfa_token_ttl_secs: 600,
            oob_code_ttl_secs: 300,
            mfa_access_token_ttl_secs: 600,
            access_token_ttl_secs: 86_400,
            push_min_poll_interval_secs: 5,
            push_rejection_error: "access_denied".into(),
            include_mfa_requirements: false,
            action_factor_rules: None,
            my_account_api: false,
            my_account_auth_session_ttl_secs: 300,
            my_account_error_content_type: "application/json".into(),
            include_type_field: false,
            lenient_recovery_codes: false,
            not_enrolled_error: "association_required".into(),
            send_retry_after: true,
            already_enrolled_status: 403,
            wrong_code_status: 403,
            expired_token_status: 403,
            invalid_mfa_token_status: 403,
            brute_force_threshold: 10,
            brute_force_block_secs: 15 * 60,
            failed_code_bucket: BucketSpec {
                capacity: 10,
                refill_every_secs: 360,
            },
            sms_bucket: BucketSpec {
                capacity: 10,
                refill_every_secs: 3600,
            },
            email_bucket: BucketSpec {
                capacity: 20,
                refill_every_secs: 60,
            },
            push_bucket: BucketSpec {
                capacity: 5,
                refill_every_secs: 12,
            },
            // ASSUMPTION: a burst of 50 like production tenants; the refill
            // is slower than Auth0's (15/s) because buckets count whole seconds.
            management_api_bucket: BucketSpec {
                capacity: 50,
                refill_every_secs: 1,
            },
            // ASSUMPTION: five days (spec §12 is silent).
            enrollment_ticket_ttl_secs: 5 * 24 * 3600,
            // ASSUMPTION: one minute, as short as a code can usefully be.
            authorization_code_ttl_secs: 60,
            confirm_with_access_token: false,
            ciba_poll_error_status: 400,
            ciba_expired_error: "access_denied".into(),
            ciba_binding_message_spaces: true,
            deletion_202_text: false,
            passkeys: false,
            passkey_rp_id: None,
            passkey_origins: Vec::new(),
            passkey_user_verification: "preferred".into(),
            passkey_skips_mfa: false,
        }
    }
}
