//! The agent's own sign-in: `login` (the device flow), `logout`, `whoami`.

mod login;
mod signed_in;

pub use login::login;
pub use signed_in::{logout, when, whoami};
