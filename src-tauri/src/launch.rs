//! The command line: which tenant the app talks to (the embedded emulator in demo mode, or a
//! tenant given explicitly), or `--check-config`, which reports on IT's configuration and
//! exits without opening a window. Managed configuration comes on top of this (see
//! `mfa_core::settings`).

use std::ffi::OsString;
use std::net::SocketAddr;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use mfa_core::model::FactorKind;

/// Set up and use your multi-factor authentication methods (Auth0).
///
/// Without options, the app reads the configuration IT deployed: policies (Windows registry,
/// macOS profile), /etc/mfa-desk/config.d/*.json, the system file and your own file. See the
/// README, "Installing for your organisation".
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "mfa-desk", version)]
pub struct Cli {
    /// Try the app on a demo tenant that runs inside it, with a demo inbox for its messages.
    #[arg(long)]
    pub demo: bool,

    /// The Auth0 tenant to use instead of the configuration (acme.eu.auth0.com), with
    /// --client-id; with --demo, the address of an emulator already running.
    #[arg(long, value_name = "URL")]
    pub tenant: Option<String>,

    /// Client id of the Auth0 Native application (with --tenant).
    #[arg(long, value_name = "ID", requires = "tenant", conflicts_with = "demo")]
    pub client_id: Option<String>,

    /// Database connection to sign in with (with --tenant and --client-id).
    #[arg(long, value_name = "CONNECTION", requires = "client_id")]
    pub realm: Option<String>,

    /// With --demo: the address of a helpdesk service already running beside the demo tenant
    /// (scripts/demo starts one); helpdesk mode then goes through it. Demo only: elsewhere IT's
    /// `helpdesk.service_url` says where the service is.
    #[arg(long, value_name = "URL", requires = "demo", value_parser = service_address)]
    pub helpdesk_service: Option<String>,

    /// Print the effective configuration and where each value came from, then exit: status 0
    /// when it is valid, 1 when it is not (the problems are listed). Opens no window.
    #[arg(long, conflicts_with_all = ["demo", "tenant", "client_id", "realm"])]
    pub check_config: bool,
}

impl Cli {
    /// This process's command line. `--help`, `--version` and mistakes print and exit here,
    /// before anything else starts.
    pub fn from_env() -> Self {
        Self::from_args(std::env::args_os())
    }

    pub fn from_args<I, T>(args: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        Self::try_from_args(args).unwrap_or_else(|error| error.exit())
    }

    pub fn try_from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        // Older macOS versions add a process serial number (`-psn_0_12345`) when the app is
        // opened from the Finder; it is not ours to refuse.
        let args = args
            .into_iter()
            .map(Into::into)
            .filter(|arg| !arg.to_string_lossy().starts_with("-psn_"));
        let cli = Self::try_parse_from(args)?;
        if cli.tenant.is_some() && !cli.demo && cli.client_id.is_none() {
            return Err(Self::command().error(
                ErrorKind::MissingRequiredArgument,
                "--tenant needs --client-id (or --demo, for an emulator already running there)",
            ));
        }
        Ok(cli)
    }

    pub fn launch(&self) -> Launch {
        match (self.demo, &self.tenant, &self.client_id) {
            (true, emulator, _) => Launch::Demo {
                emulator: emulator.clone(),
                helpdesk_service: self.helpdesk_service.clone(),
            },
            (false, Some(url), Some(client_id)) => Launch::Tenant {
                url: url.clone(),
                client_id: client_id.clone(),
                realm: self.realm.clone(),
            },
            _ => Launch::Configured,
        }
    }
}

/// How the app was asked to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Demo tenant with the demo inbox: the emulator started in-process on loopback, or one
    /// already running at `emulator` (end-to-end tests start their own to inject faults).
    /// `helpdesk_service`: the helpdesk service started beside it (`--helpdesk-service`).
    Demo {
        emulator: Option<String>,
        helpdesk_service: Option<String>,
    },
    /// A tenant given explicitly (used by tests and by IT when trying a tenant out).
    Tenant {
        url: String,
        client_id: String,
        realm: Option<String>,
    },
    /// Neither: read the managed configuration.
    Configured,
}

impl Launch {
    /// From a full command line (program name first); see [`Cli::from_args`].
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        Cli::from_args(args).launch()
    }
}

/// `--helpdesk-service`: an address as IT's `helpdesk.service_url` takes it (https, plain
/// http only on this computer), without a trailing slash.
fn service_address(raw: &str) -> Result<String, String> {
    if !raw.contains("://") {
        return Err("must be an address such as http://127.0.0.1:8710".into());
    }
    let url = mfa_core::config::parse_tenant_url(raw).map_err(|error| error.to_string())?;
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The demo tenant's public client, as the emulator's built-in tenant defines it.
pub const DEMO_CLIENT_ID: &str = auth0_emulator::demo::PUBLIC_CLIENT_ID;

pub fn demo_listen_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub const ALL_FACTORS: [FactorKind; 5] = [
    FactorKind::Otp,
    FactorKind::Sms,
    FactorKind::Voice,
    FactorKind::Email,
    FactorKind::Push,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(args: &[&str]) -> Launch {
        Launch::from_args(args.iter().map(|s| s.to_string()))
    }

    fn refused(args: &[&str]) -> clap::Error {
        Cli::try_from_args(args).unwrap_err()
    }

    #[test]
    fn reads_the_command_line() {
        assert_eq!(
            launch(&["mfa-desk", "--demo"]),
            Launch::Demo {
                emulator: None,
                helpdesk_service: None
            }
        );
        assert_eq!(
            launch(&["mfa-desk", "--demo", "--tenant", "http://127.0.0.1:9"]),
            Launch::Demo {
                emulator: Some("http://127.0.0.1:9".into()),
                helpdesk_service: None
            }
        );
        assert_eq!(
            launch(&[
                "mfa-desk",
                "--demo",
                "--tenant=http://127.0.0.1:9",
                "--helpdesk-service=http://127.0.0.1:8710/"
            ]),
            Launch::Demo {
                emulator: Some("http://127.0.0.1:9".into()),
                helpdesk_service: Some("http://127.0.0.1:8710".into())
            }
        );
        assert_eq!(launch(&["mfa-desk"]), Launch::Configured);
        assert_eq!(
            launch(&[
                "mfa-desk",
                "--tenant",
                "http://127.0.0.1:9",
                "--client-id",
                "abc"
            ]),
            Launch::Tenant {
                url: "http://127.0.0.1:9".into(),
                client_id: "abc".into(),
                realm: None
            }
        );
        assert_eq!(
            launch(&[
                "mfa-desk",
                "--tenant=acme.auth0.com",
                "--client-id=abc",
                "--realm=db",
                "-psn_0_12345"
            ]),
            Launch::Tenant {
                url: "acme.auth0.com".into(),
                client_id: "abc".into(),
                realm: Some("db".into())
            }
        );
        let check = Cli::try_from_args(["mfa-desk", "--check-config"]).unwrap();
        assert!(check.check_config);
        assert_eq!(check.launch(), Launch::Configured);
    }

    #[test]
    fn refuses_what_it_would_otherwise_ignore() {
        assert_eq!(
            refused(&["mfa-desk", "--tenant", "acme.auth0.com"]).kind(),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            refused(&["mfa-desk", "--client-id", "abc"]).kind(),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            refused(&["mfa-desk", "--check-config", "--demo"]).kind(),
            ErrorKind::ArgumentConflict
        );
        // The service's address is for the demo only, and never plain HTTP off this computer.
        assert_eq!(
            refused(&["mfa-desk", "--helpdesk-service", "http://127.0.0.1:8710"]).kind(),
            ErrorKind::MissingRequiredArgument
        );
        for bad in ["http://helpdesk.acme.example", "127.0.0.1:8710", "https://"] {
            assert_eq!(
                refused(&["mfa-desk", "--demo", "--helpdesk-service", bad]).kind(),
                ErrorKind::ValueValidation,
                "{bad}"
            );
        }
        assert_eq!(
            refused(&["mfa-desk", "--tenat", "x"]).kind(),
            ErrorKind::UnknownArgument
        );
        assert_eq!(
            refused(&["mfa-desk", "--version"]).kind(),
            ErrorKind::DisplayVersion
        );
        let help = refused(&["mfa-desk", "--help"]).to_string();
        for option in [
            "--demo",
            "--tenant",
            "--client-id",
            "--realm",
            "--helpdesk-service",
            "--check-config",
        ] {
            assert!(
                help.contains(option),
                "{option} missing from --help:\n{help}"
            );
        }
        Cli::command().debug_assert();
    }
}
