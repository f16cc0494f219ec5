//! `mfa-desk-helpdesk`: the helpdesk service. It alone holds the Management API credentials;
//! agents reach it with their own Auth0 sign-in (an access token for the helpdesk API), and
//! every helpdesk rule (verify the caller first, four eyes, no surprise double codes,
//! idempotent changes) is enforced here, with a hash-chained audit trail written ahead of
//! each change. The rules themselves are mfa-core's (`mfa_core::helpdesk`), reused.

pub mod actions;
pub mod api;
pub mod auth;
pub mod ciba;
pub mod config;
pub mod demo;
pub mod ops;
pub mod server;
pub mod state;
pub mod store;
