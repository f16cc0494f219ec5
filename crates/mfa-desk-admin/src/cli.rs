//! The command line's shape (clap derive). Values arrive as plain text and are checked by
//! `mfa_core::management::input` before anything is sent, so a bad value gets one clear
//! sentence and exit code 2.

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
USER is a user id (auth0|5f1c…) or an email address. An email shared by several users is
refused (exit 2) with the list of their ids.

The client secret of the helpdesk application is read from the environment variable
MFA_DESK_ADMIN_SECRET, else from the system keyring (service mfa-desk, entry
<domain>/helpdesk-client-secret). It is never accepted as an argument.

Every change is appended to the audit log in the app's data folder (MFA_DESK_DATA_DIR
overrides the folder); see `mfa-desk-admin audit`.

Exit codes: 0 done; 1 anything else; 2 bad usage or bad input (nothing sent); 3 user or method
not found; 4 credentials or permission refused; 5 rate limited or network failure.";

/// The MFA Desk helpdesk tool: find a locked-out user, look at their sign-in methods,
/// remove or reset them, issue a new recovery code or an enrollment ticket.
#[derive(Debug, Parser)]
#[command(name = "mfa-desk-admin", version, after_long_help = AFTER_HELP)]
pub struct Cli {
    /// The tenant: https://acme.eu.auth0.com (or http://127.0.0.1:PORT for the local emulator)
    #[arg(long, global = true, value_name = "URL", env = "MFA_DESK_ADMIN_TENANT")]
    pub tenant: Option<String>,

    /// The client id of the helpdesk's machine-to-machine application
    #[arg(
        long,
        global = true,
        value_name = "ID",
        env = "MFA_DESK_ADMIN_CLIENT_ID"
    )]
    pub client_id: Option<String>,

    /// Print one JSON document on standard output instead of a table
    #[arg(long, global = true)]
    pub json: bool,

    /// Who is acting, for the audit log [default: $USER]
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,

    /// Seconds to wait for each answer from Auth0
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the users with this email address
    Find {
        /// The email address (exact match; Auth0 stores database emails in lower case)
        email: String,
    },
    /// List a user's authentication methods
    Methods {
        /// User id or email
        user: String,
    },
    /// Remove one authentication method
    Remove {
        /// User id or email
        user: String,
        /// The method's id, as `methods` lists it (totp|dev_…, phone|dev_…)
        method_id: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove every authentication method (the user enrolls afresh at the next sign-in)
    Reset {
        /// User id or email
        user: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Issue a new recovery code, printed once (the previous code stops working)
    RecoveryCode {
        /// User id or email
        user: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Create an enrollment ticket: a link with which the user sets up a new method
    Ticket {
        /// User id or email
        user: String,
        /// Have Auth0 email the link to the user
        #[arg(long)]
        send_mail: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Make every browser the user told to "remember" ask for MFA again
    ForgetBrowsers {
        /// User id or email
        user: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Show the audit log of changes made with this tool, oldest first
    Audit {
        /// Only the entries about this user (user id or email)
        #[arg(long, value_name = "USER")]
        user: Option<String>,
    },
}

/// What every change records in the audit log.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Why this is done (required; recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// The helpdesk ticket this belongs to
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// How the caller's identity was checked
    #[arg(long, value_name = "HOW")]
    pub verified_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
