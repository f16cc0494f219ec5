//! Everything the tenant issued and will recognise again: mfa_tokens,
//! oob_codes, access tokens and refresh tokens. Tokens are opaque to clients
//! (JWT- or iron-shaped), so the store is the source of truth: a token the
//! store does not hold was never issued, which is how the emulator checks a
//! JWT's signature.

use std::collections::HashMap;

use crate::ids;

/// How the user signed in, in the transaction a token ends: for the ID
/// token's `auth_time`, `amr`, `acr` and `nonce` and the post-login Action
/// rule (§S1.6, §S6). Refreshes have none.
#[derive(Debug, Clone, Default)]
pub struct SignIn {
    /// Virtual epoch seconds of the password step.
    pub auth_time: u64,
    /// A second factor was verified in this transaction.
    pub mfa: bool,
    /// ... through the MFA API's grants, whose ID tokens carry no `amr` (§S1.6).
    pub mfa_via_api: bool,
    pub nonce: Option<String>,
    /// The session the sign-in opened (`sid`), when it had one.
    pub session_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MfaTokenRec {
    pub client_id: String,
    pub user_id: String,
    /// Audience and scope of the password request; the MFA grants reuse them.
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
    /// When the password step happened (virtual epoch seconds).
    pub auth_time: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushDecision {
    Pending,
    Approved,
    Denied,
}

#[derive(Debug, Clone)]
pub enum Binding {
    /// sms/voice/email: the user types the code that was sent.
    Prompt { code: String },
    /// push: the device approves or denies.
    Push {
        decision: PushDecision,
        last_poll_ms: Option<u64>,
        enrollment: bool,
    },
}

#[derive(Debug, Clone)]
pub struct OobRec {
    /// The transaction the code belongs to; `None` when it was created by an
    /// association made with an access token (any mfa_token of the same user
    /// may then confirm it).
    pub mfa_token: Option<String>,
    pub user_id: String,
    pub authenticator_id: String,
    pub binding: Binding,
    pub created_ms: u64,
    pub expires_ms: u64,
    pub seq: u64,
}

#[derive(Debug, Clone)]
pub struct AccessTokenRec {
    /// The `sub` claim: a user id, or `<client_id>@clients` for M2M tokens.
    pub user_id: String,
    /// The `azp` claim: the client the token was issued to.
    pub client_id: String,
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
}

impl AccessTokenRec {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split_whitespace().any(|s| s == scope)
    }
}

#[derive(Debug, Clone)]
pub struct RefreshRec {
    /// The id the Management API lists it under (not the token).
    pub id: String,
    pub user_id: String,
    pub client_id: String,
    pub audience: String,
    pub scope: String,
    /// Virtual epoch ms of issue.
    pub created_ms: u64,
    pub session_id: Option<String>,
    pub last_exchanged_ms: Option<u64>,
}

/// A login session a hosted sign-in opened (§S4.2 session object).
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub client_id: String,
    /// Virtual epoch ms.
    pub created_ms: u64,
    pub authenticated_ms: u64,
    /// `authentication.methods` names: `pwd`, then `mfa` when it passed.
    pub methods: Vec<&'static str>,
}

/// Where a hosted sign-in (`/authorize`) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStage {
    /// Email and password.
    Password,
    /// A second factor the user has.
    Mfa,
    /// A first authenticator app, for a user with none.
    Enroll,
    /// A new recovery code is on screen; the next step finishes.
    ShowRecoveryCode,
    /// Device activation (§S2.4): signed in, asked "is this your device?".
    ConfirmDevice,
}

/// One `/authorize` transaction, from the sign-in page to the redirect.
#[derive(Debug, Clone)]
pub struct LoginTx {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
    pub stage: LoginStage,
    /// Set once the password was right.
    pub user_id: Option<String>,
    /// The code sent by SMS, voice or email, and to which authenticator.
    pub sent_code: Option<(String, String)>,
    /// The push notification waiting for an answer.
    pub push_oob: Option<String>,
    /// The authenticator app being enrolled.
    pub pending_totp: Option<String>,
    /// `nonce` of the request, echoed in the ID token.
    pub nonce: Option<String>,
    /// When the password step passed (virtual epoch seconds).
    pub auth_time: Option<u64>,
    /// Set when the sign-in activates a device (`/activate`), not an app.
    pub device_code: Option<String>,
    /// A second factor passed (kept for the device confirmation).
    pub mfa_done: bool,
    /// `acr_values` asked for the multi-factor policy (§S6).
    pub acr_mfa: bool,
}

/// Where a device authorization stands (§S2).
#[derive(Debug, Clone)]
pub enum DeviceState {
    Pending,
    Approved { user_id: String, sign_in: SignIn },
    Denied,
}

/// A device code from `POST /oauth/device/code`.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    pub client_id: String,
    pub user_code: String,
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
    pub last_poll_ms: Option<u64>,
    pub state: DeviceState,
    /// `expired_token` is answered once; later polls get `invalid_grant`.
    pub expiry_reported: bool,
}

/// An authorization code: single use, short-lived, bound to its client,
/// redirect URI and PKCE challenge.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub user_id: String,
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
    pub sign_in: SignIn,
}

/// A CIBA request (§S3): who is asked, by which client, for what, and the
/// Guardian push that carries it to the user's phone.
#[derive(Debug, Clone)]
pub struct CibaRequest {
    pub client_id: String,
    pub user_id: String,
    pub audience: String,
    pub scope: String,
    pub binding_message: String,
    pub expires_ms: u64,
    /// The push's `oob_code` (its decision is the user's answer).
    pub push_oob: String,
    /// Seconds a client must wait between polls; grows with each `slow_down`.
    pub interval_secs: u64,
    pub last_poll_ms: Option<u64>,
}

/// A Guardian enrollment ticket (`POST /api/v2/guardian/enrollments/ticket`).
#[derive(Debug, Clone)]
pub struct Ticket {
    pub user_id: String,
    pub expires_ms: u64,
    pub allow_multiple_enrollments: bool,
    /// The TOTP authenticator the enrollment page made, until confirmed.
    pub pending_authenticator: Option<String>,
    /// Tickets are single use.
    pub used: bool,
}

#[derive(Debug, Default)]
pub struct TokenStore {
    pub mfa_tokens: HashMap<String, MfaTokenRec>,
    pub oob_codes: HashMap<String, OobRec>,
    pub access_tokens: HashMap<String, AccessTokenRec>,
    pub refresh_tokens: HashMap<String, RefreshRec>,
    /// Guardian enrollment tickets by ticket id.
    pub tickets: HashMap<String, Ticket>,
    /// Hosted sign-ins in progress, by their `state` on `/u/*`.
    pub logins: HashMap<String, LoginTx>,
    pub auth_codes: HashMap<String, AuthCode>,
    /// Login sessions by id.
    pub sessions: HashMap<String, Session>,
    /// Device codes by `device_code`.
    pub device_codes: HashMap<String, DeviceCode>,
    /// Pending CIBA requests by `auth_req_id`.
    pub ciba: HashMap<String, CibaRequest>,
    /// Redeemed authorization codes, kept only for `GET /__emulator/tokens`.
    pub spent_auth_codes: Vec<String>,
    /// ID tokens are never presented back, and used `oob_code`s are gone from
    /// `oob_codes`: both are kept only for `GET /__emulator/tokens`.
    pub id_tokens: Vec<String>,
    pub spent_oob_codes: Vec<String>,
    seq: u64,
}

impl TokenStore {
    /// Issues an iron-shaped mfa_token.
    pub fn mint_mfa_token(&mut self, rec: MfaTokenRec) -> String {
        let token = ids::fe26(rec.expires_ms);
        self.mfa_tokens.insert(token.clone(), rec);
        token
    }

    /// Issues an iron-shaped oob_code; `seq` orders codes by issue time.
    pub fn mint_oob_code(&mut self, mut rec: OobRec) -> String {
        self.seq += 1;
        rec.seq = self.seq;
        let code = ids::fe26(rec.expires_ms);
        self.oob_codes.insert(code.clone(), rec);
        code
    }

    /// `oob_code`s are single use: forget it, but remember that it was issued.
    pub fn spend_oob_code(&mut self, oob_code: &str) {
        if self.oob_codes.remove(oob_code).is_some() {
            self.spent_oob_codes.push(oob_code.to_owned());
        }
    }

    /// Pending oob transactions of authenticators a user no longer has die with them.
    pub fn forget_oob_codes_without(&mut self, user_id: &str, still_has: impl Fn(&str) -> bool) {
        self.oob_codes
            .retain(|_, o| o.user_id != user_id || still_has(&o.authenticator_id));
    }

    pub fn remember_access_token(&mut self, token: &str, rec: AccessTokenRec) {
        self.access_tokens.insert(token.to_owned(), rec);
    }
}
