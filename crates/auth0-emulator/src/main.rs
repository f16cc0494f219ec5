//! `auth0-emulator [--listen ADDR:PORT] [--tenant FILE]`
//!
//! Prints `listening on http://ADDR` as its first stdout line, then serves
//! until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use auth0_emulator::Tenant;
use clap::Parser;

/// A local imitation of Auth0's Authentication, MFA and Management APIs,
/// for demo mode and tests.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Tenant file (JSON; see tenant.example.json). Without it, the built-in demo tenant.
    #[arg(long, value_name = "FILE")]
    tenant: Option<PathBuf>,
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    // Usage errors exit 2, --help and --version exit 0 (clap's conventions).
    let args = Args::parse();
    let tenant = match &args.tenant {
        Some(p) => match Tenant::from_file(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => Tenant::demo(),
    };
    let emulator = match auth0_emulator::start(args.listen, tenant).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    // Parents read this line to learn the port; flush so they see it now.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {}", emulator.base_url());
    let _ = out.flush();
    wait_for_signal().await;
    emulator.shutdown();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_parse() {
        Args::command().debug_assert();
        let a = Args::try_parse_from([
            "auth0-emulator",
            "--listen=127.0.0.1:9",
            "--tenant",
            "t.json",
        ])
        .unwrap();
        assert_eq!(a.listen, "127.0.0.1:9".parse().unwrap());
        assert_eq!(a.tenant, Some(PathBuf::from("t.json")));
        let d = Args::try_parse_from(["auth0-emulator"]).unwrap();
        assert_eq!(d.listen.port(), 0);
        assert!(d.tenant.is_none());
        assert!(Args::try_parse_from(["auth0-emulator", "--listen", "nope"]).is_err());
        assert!(Args::try_parse_from(["auth0-emulator", "--bogus"]).is_err());
    }
}
