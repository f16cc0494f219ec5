//! One error type per layer: [`InputError`] (what was typed, in `input/`), [`ApiError`] (what
//! Auth0 or the network answered), [`BrowserError`] (what a browser sign-in ran into before a
//! code came back) and [`FlowError`] (what a flow could not do). Each variant has a stable
//! [`code`](ApiError::code) that the UI looks up in its language catalogue; nobody matches on
//! message text. How an Auth0 answer becomes an [`ApiError`] is `client::decode`'s job.

mod api;
mod browser;
mod flow;

pub use api::{ApiError, RetryAt};
pub use browser::BrowserError;
pub use flow::FlowError;

pub use crate::error_code::ErrorCode;
pub use crate::input::InputError;
