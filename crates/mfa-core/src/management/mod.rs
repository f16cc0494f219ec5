//! The Auth0 Management API as an IT helpdesk uses it (spec §12): look a user up, list,
//! remove or reset their authentication methods, issue a new recovery code or an enrollment
//! ticket, and forget remembered browsers. No UI dependency: the `mfa-desk-admin` command
//! line and the desktop app's helpdesk screens both stand on it.
//!
//! - [`ManagementClient`]: the typed client (client-credentials token, retries, errors).
//! - [`input`]: user ids, method ids, emails and audit notes, checked before anything is sent.
//! - [`credentials`]: where the helpdesk application's secret comes from.
//! - [`CorrelationId`]: the `X-Correlation-ID` every change carries, for the audit log.

mod client;
mod correlation;
pub mod credentials;
mod decode;
mod error;
mod incident;
pub mod input;
pub mod model;
mod retry;
mod token;

pub use client::{ManagementClient, CORRELATION_HEADER};
pub use correlation::CorrelationId;
pub use error::ManagementError;
pub use incident::LogEvent;
pub use input::{
    Field, ManagementInputError, MethodId, Operator, Reason, TicketRef, UserId, UserRef, VerifiedBy,
};
pub use model::{
    AuthenticationMethod, EnrollmentTicket, EnrollmentTicketRequest, MethodType, User,
};
pub use retry::RetryPolicy;
