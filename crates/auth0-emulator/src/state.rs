//! The emulator's live state: users and their authenticators, issued tokens,
//! the outbox, faults and counters. One `Mutex<State>` guards all of it; no
//! handler awaits while holding it, so a std mutex is enough.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::clock::Clock;
use crate::errors::{ApiError, ApiResult, RateLimitHeaders, INVALID_MFA_TOKEN};
use crate::faults::Fault;
use crate::ids;
use crate::rate_limit::{Bucket, Exhausted};
use crate::tenant::{AuthMethod, AuthenticatorSeed, ClientConfig, Tenant};

/// State shared by the accept loop, the fault wrapper and the router.
pub struct Shared {
    pub state: Mutex<State>,
    pub connections_accepted: AtomicU64,
}

impl Shared {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking handler must not wedge the whole emulator.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

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

    /// `authenticator_type` on the wire.
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
}

impl Authenticator {
    /// A new, inactive authenticator.
    pub fn new(kind: Kind, suffix: &str) -> Self {
        Authenticator {
            id: format!("{}|{suffix}", kind.prefix()),
            kind,
            active: false,
            secret: None,
            phone: None,
            email: None,
            sibling: None,
            last_otp_step: None,
        }
    }

    pub fn suffix(&self) -> &str {
        self.id.split_once('|').map(|(_, s)| s).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub user_id: String,
    pub email: String,
    pub password: String,
    pub connection: String,
    pub authenticators: Vec<Authenticator>,
    /// The one valid recovery code; its authenticator is `recovery-code|…`.
    pub recovery_code: Option<String>,
    /// `recovery_codes` is returned only on the first association ever.
    pub ever_associated: bool,
    pub failed_logins: u32,
    pub blocked_until: Option<u64>,
    pub failed_codes: Bucket,
    pub sms_sends: Bucket,
    pub email_sends: Bucket,
    pub push_sends: Bucket,
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
            let twin = matches!(a.kind, Kind::Sms | Kind::Voice)
                && matches!(other.kind, Kind::Sms | Kind::Voice)
                && other.suffix() == a.suffix();
            let sibling = a.sibling.as_deref() == Some(other.id.as_str());
            if other.id == a.id || twin || sibling || other.kind == Kind::RecoveryCode {
                other.active = true;
            }
        }
    }

    /// Removes `id` and its cascade (sms↔voice, push↔totp). Returns false if unknown.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(a) = self.find(id).cloned() else {
            return false;
        };
        self.authenticators.retain(|other| {
            let twin = matches!(a.kind, Kind::Sms | Kind::Voice)
                && matches!(other.kind, Kind::Sms | Kind::Voice)
                && other.suffix() == a.suffix();
            let sibling = a.sibling.as_deref() == Some(other.id.as_str());
            !(other.id == a.id || twin || sibling)
        });
        if a.kind == Kind::RecoveryCode {
            self.recovery_code = None;
        }
        true
    }
}

#[derive(Debug, Clone)]
pub struct MfaTokenRec {
    pub client_id: String,
    pub user_id: String,
    /// Audience and scope of the password request; the MFA grants reuse them.
    pub audience: String,
    pub scope: String,
    pub expires_ms: u64,
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
    pub user_id: String,
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
    pub user_id: String,
    pub client_id: String,
    pub audience: String,
    pub scope: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxMessage {
    pub channel: String,
    pub to: String,
    pub code: String,
    pub sent_at: u64,
    pub text: String,
}

/// Which rate-limited channel a send uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendChannel {
    Sms,
    Voice,
    Email,
}

pub struct State {
    pub tenant: Tenant,
    pub base_url: String,
    pub clock: Clock,
    pub users: Vec<User>,
    pub mfa_tokens: HashMap<String, MfaTokenRec>,
    pub oob_codes: HashMap<String, OobRec>,
    pub access_tokens: HashMap<String, AccessTokenRec>,
    pub refresh_tokens: HashMap<String, RefreshRec>,
    /// ID tokens are never presented back, and used `oob_code`s are gone from `oob_codes`:
    /// both are kept only for `GET /__emulator/tokens`.
    pub id_tokens: Vec<String>,
    pub spent_oob_codes: Vec<String>,
    pub outbox: Vec<OutboxMessage>,
    pub faults: Vec<Fault>,
    /// Requests per path (control endpoints excluded).
    pub requests: BTreeMap<String, u64>,
    seq: u64,
}

impl State {
    pub fn new(tenant: Tenant, base_url: String) -> State {
        let mut state = State {
            tenant,
            base_url,
            clock: Clock::default(),
            users: Vec::new(),
            mfa_tokens: HashMap::new(),
            oob_codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            id_tokens: Vec::new(),
            spent_oob_codes: Vec::new(),
            outbox: Vec::new(),
            faults: Vec::new(),
            requests: BTreeMap::new(),
            seq: 0,
        };
        for seed in state.tenant.users.clone() {
            let user = state.user_from_seed(&seed);
            state.users.push(user);
        }
        state
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// `<base_url>/mfa/`: the MFA API audience (spec §1.1 with the emulator's host).
    pub fn mfa_audience(&self) -> String {
        format!("{}/mfa/", self.base_url)
    }

    pub fn new_user(&mut self, email: &str, password: &str, user_id: Option<String>) -> usize {
        let now = self.clock.now_secs();
        let s = &self.tenant.settings;
        self.users.push(User {
            user_id: user_id.unwrap_or_else(ids::user_id),
            email: email.to_string(),
            password: password.to_string(),
            connection: self.tenant.default_directory.clone(),
            authenticators: Vec::new(),
            recovery_code: None,
            ever_associated: false,
            failed_logins: 0,
            blocked_until: None,
            failed_codes: Bucket::new(s.failed_code_bucket, now),
            sms_sends: Bucket::new(s.sms_bucket, now),
            email_sends: Bucket::new(s.email_bucket, now),
            push_sends: Bucket::new(s.push_bucket, now),
        });
        self.users.len() - 1
    }

    fn user_from_seed(&mut self, seed: &crate::tenant::UserSeed) -> User {
        let idx = self.new_user(&seed.email, &seed.password, seed.user_id.clone());
        let mut user = self.users.remove(idx);
        if let Some(c) = &seed.connection {
            user.connection = c.clone();
        }
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
                    let mut t = Authenticator::new(Kind::Totp, &suffix_of(id));
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
                    for kind in self.phone_kinds() {
                        let mut p = Authenticator::new(kind, &suffix);
                        p.phone = Some(phone_number.clone());
                        p.active = *active;
                        user.authenticators.push(p);
                    }
                }
                AuthenticatorSeed::Email { email, id, active } => {
                    let mut e = Authenticator::new(Kind::Email, &suffix_of(id));
                    e.email = Some(email.clone());
                    e.active = *active;
                    user.authenticators.push(e);
                }
                AuthenticatorSeed::Push { id, active } => {
                    let (mut push, mut totp) = push_pair(&suffix_of(id));
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
        if self.tenant.factors.recovery_codes {
            if let Some(code) = &seed.recovery_code {
                let mut rc = Authenticator::new(Kind::RecoveryCode, &ids::device_suffix());
                rc.active = true;
                user.authenticators.push(rc);
                user.recovery_code = Some(code.clone());
            }
        }
        user
    }

    /// sms, plus voice when the tenant has voice on (one phone, two ids).
    pub fn phone_kinds(&self) -> Vec<Kind> {
        let mut kinds = vec![Kind::Sms];
        if self.tenant.factors.voice {
            kinds.push(Kind::Voice);
        }
        kinds
    }

    pub fn user_index(&self, user_id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.user_id == user_id)
    }

    /// Finds the client and checks its credentials. `basic` is the decoded
    /// `Authorization: Basic` pair, accepted for every confidential client.
    pub fn authenticate_client(
        &self,
        client_id: Option<&str>,
        client_secret: Option<&str>,
        basic: Option<&(String, String)>,
    ) -> ApiResult<ClientConfig> {
        let (client_id, secret) = match basic {
            Some((id, secret)) => (Some(id.as_str()), Some(secret.as_str())),
            None => (client_id, client_secret),
        };
        let client_id = client_id
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::missing("client_id"))?;
        let client = self
            .tenant
            .client(client_id)
            .ok_or_else(ApiError::invalid_client)?;
        if client.token_endpoint_auth_method != AuthMethod::None
            && (secret.is_none() || secret != client.client_secret.as_deref())
        {
            return Err(ApiError::invalid_client());
        }
        Ok(client.clone())
    }

    /// Validates an mfa_token presented in a body (token grants, /mfa/challenge).
    pub fn check_mfa_token(&self, token: Option<&str>, client_id: &str) -> ApiResult<MfaTokenRec> {
        let s = &self.tenant.settings;
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::missing("mfa_token"))?;
        if !ids::is_fe26_shaped(token) {
            return Err(ApiError::new(
                s.invalid_mfa_token_status,
                "invalid_grant",
                "Malformed mfa_token",
            ));
        }
        let rec = self.mfa_tokens.get(token).ok_or_else(|| {
            ApiError::new(
                s.invalid_mfa_token_status,
                "invalid_grant",
                INVALID_MFA_TOKEN,
            )
        })?;
        if rec.client_id != client_id {
            return Err(ApiError::new(
                400,
                "invalid_request",
                "mfa_token not issued to this client",
            ));
        }
        if rec.expires_ms <= self.clock.now_ms() {
            return Err(ApiError::new(
                s.expired_token_status,
                "expired_token",
                "mfa_token is expired",
            ));
        }
        if self.user_index(&rec.user_id).is_none() {
            return Err(ApiError::new(
                s.invalid_mfa_token_status,
                "invalid_grant",
                INVALID_MFA_TOKEN,
            ));
        }
        Ok(rec.clone())
    }

    pub fn mint_mfa_token(
        &mut self,
        client_id: &str,
        user_id: &str,
        audience: &str,
        scope: &str,
    ) -> String {
        let expires_ms = self.clock.now_ms() + self.tenant.settings.mfa_token_ttl_secs * 1000;
        let token = ids::fe26(expires_ms);
        self.mfa_tokens.insert(
            token.clone(),
            MfaTokenRec {
                client_id: client_id.into(),
                user_id: user_id.into(),
                audience: audience.into(),
                scope: scope.into(),
                expires_ms,
            },
        );
        token
    }

    /// The 200 body of a successful token request.
    pub fn issue_tokens(
        &mut self,
        user_id: &str,
        client_id: &str,
        audience: &str,
        scope: &str,
        with_refresh: bool,
    ) -> Map<String, Value> {
        let now_ms = self.clock.now_ms();
        let now = now_ms / 1000;
        let ttl = if audience == self.mfa_audience() {
            self.tenant.settings.mfa_access_token_ttl_secs
        } else {
            self.tenant.settings.access_token_ttl_secs
        };
        let iss = format!("{}/", self.base_url);
        let access_token = ids::jwt(&json!({
            "iss": iss, "sub": user_id, "aud": audience, "scope": scope,
            "iat": now, "exp": now + ttl, "azp": client_id,
        }));
        self.access_tokens.insert(
            access_token.clone(),
            AccessTokenRec {
                user_id: user_id.into(),
                audience: audience.into(),
                scope: scope.into(),
                expires_ms: now_ms + ttl * 1000,
            },
        );
        let mut body = Map::new();
        body.insert("access_token".into(), json!(access_token));
        body.insert("token_type".into(), json!("Bearer"));
        body.insert("expires_in".into(), json!(ttl));
        body.insert("scope".into(), json!(scope));
        let scopes: Vec<&str> = scope.split_whitespace().collect();
        if scopes.contains(&"openid") {
            let email = self
                .user_index(user_id)
                .map(|i| self.users[i].email.clone())
                .unwrap_or_default();
            let id_token = ids::jwt(&json!({
                "iss": iss, "sub": user_id, "aud": client_id, "iat": now,
                "exp": now + 36_000, "email": email, "email_verified": true,
            }));
            self.id_tokens.push(id_token.clone());
            body.insert("id_token".into(), json!(id_token));
        }
        if with_refresh && scopes.contains(&"offline_access") {
            let rt = ids::refresh_token();
            self.refresh_tokens.insert(
                rt.clone(),
                RefreshRec {
                    user_id: user_id.into(),
                    client_id: client_id.into(),
                    audience: audience.into(),
                    scope: scope.into(),
                },
            );
            body.insert("refresh_token".into(), json!(rt));
        }
        body
    }

    /// `oob_code`s are single use: forget it, but remember that it was issued.
    pub fn spend_oob_code(&mut self, oob_code: &str) {
        if self.oob_codes.remove(oob_code).is_some() {
            self.spent_oob_codes.push(oob_code.to_owned());
        }
    }

    pub fn rate_limit_headers(&self, e: Exhausted) -> RateLimitHeaders {
        RateLimitHeaders::new(
            e,
            self.clock.now_secs(),
            self.tenant.settings.send_retry_after,
        )
    }

    /// The 429 once a user's failed-code bucket is empty.
    pub fn check_failed_codes(&mut self, user: usize) -> ApiResult<()> {
        let now = self.clock.now_secs();
        match self.users[user].failed_codes.check(now) {
            Ok(()) => Ok(()),
            Err(e) => Err(ApiError::new(
                429,
                "too_many_attempts",
                "Too many failed attempts. Try again later.",
            )
            .rate_limited(self.rate_limit_headers(e))),
        }
    }

    /// Records one wrong otp/binding/recovery code.
    pub fn record_failed_code(&mut self, user: usize) {
        let now = self.clock.now_secs();
        let _ = self.users[user].failed_codes.take(now);
    }

    /// Sends a 6-digit code by sms, voice or email (rate-limited per user)
    /// and records it in the outbox.
    pub fn send_code(&mut self, user: usize, channel: SendChannel, to: &str) -> ApiResult<String> {
        let now = self.clock.now_secs();
        let u = &mut self.users[user];
        let bucket = match channel {
            SendChannel::Sms | SendChannel::Voice => &mut u.sms_sends,
            SendChannel::Email => &mut u.email_sends,
        };
        if let Err(e) = bucket.take(now) {
            return Err(ApiError::too_many_requests(self.rate_limit_headers(e)));
        }
        let code = ids::six_digit_code();
        let name = match channel {
            SendChannel::Sms => "sms",
            SendChannel::Voice => "voice",
            SendChannel::Email => "email",
        };
        self.outbox.push(OutboxMessage {
            channel: name.into(),
            to: to.into(),
            code: code.clone(),
            sent_at: now,
            text: format!(
                "Your {} verification code is: {code}",
                self.tenant.friendly_name
            ),
        });
        Ok(code)
    }

    /// Takes one push notification from the user's push bucket.
    pub fn take_push(&mut self, user: usize) -> ApiResult<()> {
        let now = self.clock.now_secs();
        match self.users[user].push_sends.take(now) {
            Ok(()) => Ok(()),
            Err(e) => Err(ApiError::too_many_requests(self.rate_limit_headers(e))),
        }
    }

    pub fn mint_oob_code(
        &mut self,
        mfa_token: Option<&str>,
        user_id: &str,
        authenticator_id: &str,
        binding: Binding,
    ) -> String {
        let now = self.clock.now_ms();
        let expires_ms = now + self.tenant.settings.oob_code_ttl_secs * 1000;
        let code = ids::fe26(expires_ms);
        let seq = self.next_seq();
        self.oob_codes.insert(
            code.clone(),
            OobRec {
                mfa_token: mfa_token.map(str::to_string),
                user_id: user_id.into(),
                authenticator_id: authenticator_id.into(),
                binding,
                created_ms: now,
                expires_ms,
                seq,
            },
        );
        code
    }
}

/// A push authenticator and the totp sibling Guardian enrolls with it.
pub fn push_pair(push_suffix: &str) -> (Authenticator, Authenticator) {
    let mut push = Authenticator::new(Kind::Push, push_suffix);
    let mut totp = Authenticator::new(Kind::Totp, &ids::device_suffix());
    totp.secret = Some(ids::totp_secret());
    push.sibling = Some(totp.id.clone());
    totp.sibling = Some(push.id.clone());
    (push, totp)
}
