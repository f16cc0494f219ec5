//! The command line's shape (clap derive). Values arrive as plain text and are checked by
//! the core's input types before anything is sent, so a bad value gets one clear sentence and
//! exit code 2. The help text is the README's usage section.

use clap::{Parser, Subcommand};

pub use crate::args::{ChangeArgs, SecureArgs, Then, VerifyArgs};

pub const AFTER_HELP: &str = "\
Every helpdesk command goes through the helpdesk service (mfa-desk-helpdesk), as the agent
signed in with `mfa-desk-admin login`: the service names that agent in its audit trail. Where
the service answers (helpdesk.service_url) and the API agents sign in for
(helpdesk.api_identifier) come from IT's managed configuration, as for the desktop app.

USER is a user id (auth0|5f1c…) or an email address. An email shared by several users is
refused (exit 2) with the list of their ids.

A change needs the caller verified first: --verified-by HOW (in_person, photo_id_video_call,
callback_directory_number, manager_confirmed, other with --note TEXT, or push: a push to the
caller's own phone, whose words you read out), or --verification ID from `verify`.

--direct is the break-glass path for the tenant's own administrators when the service is
down: the Management API with the helpdesk application's secret (MFA_DESK_ADMIN_SECRET, else
the system keyring, service mfa-desk, entry <domain>/helpdesk-client-secret), only for the
tenant the configuration names; the output and the local audit log (in the app's data
folder; MFA_DESK_DATA_DIR overrides it) are marked \"direct\", and the operator is --operator
or the login name. --verified-by is then free text.

Exit codes: 0 done; 1 anything else; 2 bad usage or bad input (nothing sent); 3 user or method
not found; 4 credentials or permission refused; 5 rate limited or network failure; 6 not
signed in, or the sign-in expired or was refused (run `mfa-desk-admin login`); 7 the caller is
not verified, or the verification expired, was denied or is another caller's; 8 waiting for
another agent's approval (four eyes): nothing was changed yet.";

/// The MFA Desk helpdesk tool: sign in as an agent, find a locked-out caller, verify them,
/// look at their sign-in methods, remove or reset them, issue a new recovery code or an
/// enrollment email, secure a stolen phone, approve another agent's request.
#[derive(Debug, Parser)]
#[command(name = "mfa-desk-admin", version, after_long_help = AFTER_HELP)]
pub struct Cli {
    /// The tenant: https://acme.eu.auth0.com (or http://127.0.0.1:PORT for the local
    /// emulator) [default: the configured domain]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL",
        env = "MFA_DESK_ADMIN_TENANT"
    )]
    pub tenant: Option<String>,

    /// The application's client id: for `login`, the native app's (device sign-in); with
    /// --direct, the helpdesk's machine-to-machine application's
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "ID",
        env = "MFA_DESK_ADMIN_CLIENT_ID"
    )]
    pub client_id: Option<String>,

    /// Print one JSON document on standard output instead of a table
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,

    /// Break-glass for the tenant's administrators when the service is down: act with the
    /// Management API's secret directly, marked "direct"
    #[arg(long, global = true, help_heading = "Global options")]
    pub direct: bool,

    /// With --direct: who is acting, for the local audit log [default: $USER]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "NAME"
    )]
    pub operator: Option<String>,

    /// Seconds to wait for each answer
    #[arg(long, global = true, help_heading = "Global options", value_name = "SECONDS", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    /// Debug builds only: the helpdesk service's address instead of the configuration's
    #[cfg(debug_assertions)]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL",
        env = "MFA_DESK_ADMIN_SERVICE"
    )]
    pub service: Option<String>,

    /// Debug builds only: the helpdesk API's identifier instead of the configuration's
    #[cfg(debug_assertions)]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "ID",
        env = "MFA_DESK_ADMIN_API"
    )]
    pub api: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in as a helpdesk agent: open the link shown, check the code, sign in with MFA
    Login,
    /// Sign out: forget the agent's sign-in kept in the system keyring
    Logout,
    /// Who is signed in, with which permissions, until when
    Whoami,
    /// List the users with this email address
    Find {
        /// The email address (as the caller spells it; lower case is tried too)
        email: String,
    },
    /// A user's authentication methods and where they stand
    Methods {
        /// User id or email
        user: String,
    },
    /// A user's recent sign-in events, in plain words
    Events {
        /// User id or email
        user: String,
    },
    /// Verify the caller: a push to their own phone (--push), or how you checked them
    Verify {
        /// User id or email
        user: String,
        #[command(flatten)]
        how: VerifyArgs,
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
        /// Replace a code issued moments ago (the service refuses a second one otherwise)
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Send an enrollment email: a link with which the user sets up a new method
    Ticket {
        /// User id or email
        user: String,
        /// With --direct: have Auth0 email the link (otherwise it is printed); through the
        /// service the link is always emailed, never shown
        #[arg(long)]
        send_mail: bool,
        /// The email's language (en, ja, fr, …)
        #[arg(long, value_name = "LANG")]
        locale: Option<String>,
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
    /// End the user's sessions and refresh tokens everywhere
    EndSessions {
        /// User id or email
        user: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Lift the user's block and brute-force blocks
    Unblock {
        /// User id or email
        user: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// The stolen-phone playbook: end sessions, remove the phone's methods, forget browsers,
    /// then a new recovery code or an enrollment email; run again to finish an interrupted one
    Secure {
        /// User id or email
        user: String,
        #[command(flatten)]
        secure: SecureArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// List the requests waiting for a second agent's approval (four eyes)
    Approvals,
    /// Approve another agent's request: it is carried out at once
    Approve {
        /// The request's id, as `approvals` lists it (apr_…)
        approval_id: String,
    },
    /// Refuse another agent's request
    Refuse {
        /// The request's id, as `approvals` lists it (apr_…)
        approval_id: String,
        /// Why (recorded in the audit trail)
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Show the audit trail: the service's, newest first (with --direct: this computer's
    /// log of direct changes, oldest first)
    Audit {
        /// Only the entries about this user (user id or email)
        #[arg(long, value_name = "USER")]
        user: Option<String>,
    },
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
