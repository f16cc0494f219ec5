//! The arguments several commands share: what a change records and how the caller was
//! verified; how `verify` verifies; what `secure` does.

use clap::{Args, ValueEnum};

/// What every change records, and the caller's verification it acts under.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Why this is done (required; recorded in the audit trail)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// The helpdesk ticket this belongs to
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// How the caller's identity was checked: in_person, photo_id_video_call,
    /// callback_directory_number, manager_confirmed, other (with --note) or push
    #[arg(long, value_name = "HOW", conflicts_with = "verification")]
    pub verified_by: Option<String>,

    /// With --verified-by other: what was done to check the caller
    #[arg(long, value_name = "TEXT", requires = "verified_by")]
    pub note: Option<String>,

    /// A verification made with `verify` (ver_…), still valid
    #[arg(long, value_name = "ID")]
    pub verification: Option<String>,
}

/// How `verify` checks the caller.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Send a push to the caller's own phone and wait for their approval
    #[arg(long, conflicts_with = "verified_by")]
    pub push: bool,

    /// How you checked them instead: in_person, photo_id_video_call,
    /// callback_directory_number, manager_confirmed or other (with --note)
    #[arg(long, value_name = "HOW", required_unless_present = "push")]
    pub verified_by: Option<String>,

    /// With --verified-by other: what was done to check the caller
    #[arg(long, value_name = "TEXT", requires = "verified_by")]
    pub note: Option<String>,

    /// Why the caller needs help (required; recorded in the audit trail)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// The helpdesk ticket this belongs to
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,
}

/// What the stolen-phone playbook leaves the caller with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Then {
    /// A new recovery code, printed once, to read out
    RecoveryCode,
    /// An enrollment email to the address on file
    EnrollmentEmail,
}

#[derive(Debug, Args)]
pub struct SecureArgs {
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// A method on the lost device (repeat for each) [default: every push, authenticator-app
    /// and phone method]
    #[arg(long = "lost-method", value_name = "METHOD_ID")]
    pub lost_methods: Vec<String>,

    /// What the caller gets to sign in again
    #[arg(long, value_enum, value_name = "WHAT", default_value = "recovery-code")]
    pub then: Then,
}
