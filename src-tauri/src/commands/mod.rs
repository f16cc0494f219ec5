//! Tauri commands: thin glue that takes what the webview sends, calls the core or the app
//! service, and answers with a view or a [`CommandError`](crate::command_error::CommandError).
//! No rule lives here, and no command module calls another: what several commands share is
//! in [`crate::service`].

pub mod browser;
pub mod demo;
pub mod enroll;
pub mod helpdesk;
pub mod helpdesk_actions;
pub mod manage;
pub mod recovery;
pub mod security_key;
pub mod session;
pub mod verify;
