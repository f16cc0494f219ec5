//! The MFA Desk core: everything that talks to Auth0 or decides what happens next, with no
//! dependency on any UI toolkit. The Tauri app, the command-line tools and the tests all use it.
//!
//! - [`client`]: a typed client for Auth0's `/oauth/token` and `/mfa/*` endpoints.
//! - [`error`]: every Auth0 error code mapped to its own variant (the decoding of Auth0's
//!   answers is `client::decode`'s, over the one HTTP transport both APIs share).
//! - [`browser`]: signing in through the system browser (PKCE, loopback redirect).
//! - [`input`]: normalising and validating what people type, before anything is sent.
//! - [`flow`]: sign in, enroll, verify, recover and manage, as plain async Rust.
//! - [`secret`]: secret values, one type per role (`MfaToken`, `OobCode`, `AccessToken`, …).
//! - [`secret_store`]: the OS keyring behind a small trait, the recovery-code vault, and
//!   [`Secrets`](secret_store::Secrets), their async face.
//! - [`device`]: signing in without a browser of one's own (the device flow), for the
//!   command line.
//! - [`helpdesk_service`]: a typed client of the helpdesk service's `/v1` API, for the app's
//!   helpdesk mode and `mfa-desk-admin`.
//! - [`management`], [`audit`], [`helpdesk`]: the IT helpdesk's Management API client, its
//!   audit log, and helpdesk mode's rules (agents, caller verification, actions).

pub mod audit;
pub mod browser;
pub mod client;
pub mod config;
pub mod device;
pub mod error;
mod error_code;
pub mod flow;
pub mod helpdesk;
pub mod helpdesk_service;
pub mod input;
pub mod management;
pub mod methods;
pub mod model;
pub mod my_account;
mod oauth;
pub mod qr;
pub mod secret;
pub mod secret_store;
pub mod settings;
mod transport;

pub use client::Auth0Client;
pub use config::{ConfigError, TenantConfig};
pub use error::{ApiError, ErrorCode, FlowError, InputError};
pub use secret::SecretString;
