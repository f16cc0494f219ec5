//! Helpdesk mode's rules, shared by the desktop app's helpdesk screens (and usable by any
//! other front end): who may act as an agent, when an agent's session lapses, how the caller
//! was verified before anything changes, what a caller's set of methods means (the "only a
//! recovery code remains" trap), each action with its audit line, and what to tell the caller
//! next. No UI dependency; the Management API calls are [`crate::management`]'s.
//!
//! The habits of the best helpdesk tools (Entra's Temporary Access Pass, Okta's factor
//! reset, Duo's bypass codes) are built in: an action needs a [`CallerVerification`] for
//! that very user; the short-lived thing (a recovery code, an enrollment link) is preferred
//! to weakening the account; and every action is attributed to the agent in the audit log.

mod actions;
mod agent;
mod caller;
mod clock;
mod error;
pub mod history;
mod idle;
mod next_step;
mod verification;

pub use actions::{perform, ActionDone, ActionKind, Capability, HelpdeskAction, Performed};
pub use agent::{admit, AgentIdentity};
pub use caller::{find_callers, CallerMethods, FoundCallers, MethodRemoval, Standing};
pub use clock::Moment;
pub use error::HelpdeskError;
pub use idle::{IdleTimer, IDLE_LIMIT, MAX_SESSION};
pub use next_step::{next_step, CallerNextStep};
pub use verification::{confirm_reset, CallerVerification, VerificationMethod};
