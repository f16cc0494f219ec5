//! The emulator's live state, one part per job: the user store (`model`),
//! what the tenant issued (`tokens`), the outbox, the fault queue, the
//! tenant-wide limits and the request counters. One `Mutex<State>` guards all
//! of it; no handler awaits while holding it, so a std mutex is enough.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use crate::clock::Clock;
use crate::control_api::RequestRecord;
use crate::errors::{ApiError, ApiResult};
use crate::faults::FaultQueue;
use crate::limits::TenantLimits;
use crate::model::User;
use crate::outbox::Outbox;
use crate::seeding;
use crate::signing::SigningKeys;
use crate::tenant::{AuthMethod, ClientConfig, Tenant};
use crate::tenant_log::TenantLog;
use crate::tokens::TokenStore;

/// How many requests `GET /__emulator/requests` remembers.
pub const REQUEST_LOG_LEN: usize = 200;

/// State shared by the accept loop, the fault wrapper and the router.
pub struct Shared {
    pub state: Mutex<State>,
    pub connections_accepted: AtomicU64,
}

impl Shared {
    pub fn new(state: State) -> Self {
        Shared {
            state: Mutex::new(state),
            connections_accepted: AtomicU64::new(0),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking handler must not wedge the whole emulator.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct State {
    pub tenant: Tenant,
    pub base_url: String,
    pub clock: Clock,
    pub users: Vec<User>,
    pub tokens: TokenStore,
    /// The keys tokens are signed with, published at `/.well-known/jwks.json`.
    pub keys: SigningKeys,
    pub outbox: Outbox,
    /// What `GET /api/v2/logs` reads (§S4.1).
    pub tenant_log: TenantLog,
    pub faults: FaultQueue,
    pub limits: TenantLimits,
    /// Requests per path (control endpoints excluded).
    pub requests: BTreeMap<String, u64>,
    /// The newest requests, oldest first (control endpoints excluded).
    pub request_log: VecDeque<RequestRecord>,
    /// Enrollments started through the My Account API (§S5.3).
    pub my_account: crate::my_account::Sessions,
    /// Passkey sign-ins on the hosted page waiting for their assertion.
    pub passkey_sign_ins: crate::passkey::Ceremonies,
}

impl State {
    pub fn new(tenant: Tenant, base_url: String) -> State {
        let clock = Clock::default();
        let now_ms = clock.now_ms();
        let users = tenant
            .users
            .iter()
            .map(|seed| seeding::user_from_seed(&tenant, now_ms, seed))
            .collect();
        State {
            limits: TenantLimits::new(&tenant.settings, now_ms / 1000),
            tenant,
            base_url,
            clock,
            users,
            tokens: TokenStore::default(),
            keys: SigningKeys::new(now_ms),
            outbox: Outbox::default(),
            tenant_log: TenantLog::default(),
            faults: FaultQueue::default(),
            requests: BTreeMap::new(),
            request_log: VecDeque::new(),
            my_account: Default::default(),
            passkey_sign_ins: Default::default(),
        }
    }

    /// `<base_url>/mfa/`: the MFA API audience (spec §1.1 with the emulator's host).
    pub fn mfa_audience(&self) -> String {
        format!("{}/mfa/", self.base_url)
    }

    /// `<base_url>/api/v2/`: the Management API audience.
    pub fn management_audience(&self) -> String {
        format!("{}/api/v2/", self.base_url)
    }

    pub fn user_index(&self, user_id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.user_id == user_id)
    }

    /// Adds a user with no factor to the default directory.
    pub fn add_user(&mut self, email: &str, password: &str) -> usize {
        let user = seeding::new_user(&self.tenant, self.clock.now_ms(), email, password, None);
        self.users.push(user);
        self.users.len() - 1
    }

    pub fn log_request(&mut self, record: RequestRecord) {
        if self.request_log.len() == REQUEST_LOG_LEN {
            self.request_log.pop_front();
        }
        self.request_log.push_back(record);
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
}
