//! A local imitation of Auth0's Authentication API (`/oauth/token`), MFA
//! API (`/mfa/*`) and the helpdesk's part of the Management API
//! (`/api/v2/*`, with an enrollment-ticket page standing in for Universal
//! Login), a hosted sign-in for `/authorize` with the `authorization_code`
//! grant and PKCE, faithful to the wire strings in
//! `shared/spec/auth0-mfa-api.md`, plus `/__emulator/*` hooks for tests and
//! the desktop app's demo mode (outbox, push approval, virtual clock, faults,
//! counters, request log).
//!
//! - [`demo`]: the built-in demo tenant's users, clients and secrets.
//! - [`totp_code`]: what an authenticator app shows for a secret at a time.
//! - `client::ControlClient` (feature `client`): the typed control API client.
//! - [`control_api`]: the control API's wire types.
//!
//! `MANAGEMENT.md`, `HOSTED_SIGN_IN.md` and `SERVER_SIDE.md` next to
//! `Cargo.toml` describe the Management API, the hosted sign-in and what a
//! helpdesk service uses (signed tokens, JWKS, CIBA, incident response),
//! with every assumption made where the spec is silent.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), auth0_emulator::Tenant::demo()).await?;
//! println!("{}", emu.base_url()); // http://127.0.0.1:PORT
//! # Ok(()) }
//! ```

mod authorize;
mod ciba;
#[cfg(feature = "client")]
pub mod client;
mod clock;
mod control;
pub mod control_api;
pub mod demo;
mod device;
mod enrollment_page;
mod errors;
mod faults;
mod html;
mod ids;
mod limits;
mod management;
mod masks;
mod mfa;
mod model;
mod my_account;
mod otp;
mod outbox;
mod passkey;
mod rate_limit;
mod routes;
mod seeding;
mod server;
mod signing;
mod state;
pub mod tenant;
mod tenant_log;
mod timefmt;
mod token;
mod tokens;
mod well_known;
mod wire;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

pub use faults::{Fault, FaultKind};
pub use otp::totp_code;
pub use tenant::{
    AuthMethod, AuthenticatorSeed, BucketSpec, ClientConfig, ClientGrant, Factors, MfaClaimAction,
    MfaPolicy, Permission, ResourceServer, Role, Settings, Tenant, TenantError, TokenDialect,
    UserSeed,
};

/// A running emulator. The server task stops (and closes its connections)
/// when this is dropped or [`RunningEmulator::shutdown`] is called.
pub struct RunningEmulator {
    addr: SocketAddr,
    base_url: String,
    _shutdown: watch::Sender<()>,
}

impl RunningEmulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// `<base_url>/mfa/`: the audience of MFA API access tokens.
    pub fn mfa_audience(&self) -> String {
        format!("{}/mfa/", self.base_url)
    }

    /// Stops the server; the same as dropping it.
    pub fn shutdown(self) {}
}

/// Binds `listen` and serves `tenant` from a spawned tokio task.
pub async fn start(listen: SocketAddr, tenant: Tenant) -> std::io::Result<RunningEmulator> {
    tenant
        .validate()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let listener = TcpListener::bind(listen).await?;
    let mut addr = listener.local_addr()?;
    if addr.ip().is_unspecified() {
        // Advertise an address clients can actually connect to.
        addr.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let base_url = format!("http://{addr}");
    let shared = Arc::new(state::Shared::new(state::State::new(
        tenant,
        base_url.clone(),
    )));
    let router = routes::router(shared.clone());
    let (tx, rx) = watch::channel(());
    tokio::spawn(server::accept_loop(listener, shared, router, rx));
    Ok(RunningEmulator {
        addr,
        base_url,
        _shutdown: tx,
    })
}
