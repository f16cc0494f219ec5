//! `auth0-emulator --listen 127.0.0.1:0 [--tenant FILE]`
//!
//! Prints `listening on http://ADDR` as its first stdout line, then serves
//! until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use auth0_emulator::Tenant;

const USAGE: &str = "usage: auth0-emulator [--listen ADDR:PORT] [--tenant FILE]";

fn parse_args() -> Result<(SocketAddr, Option<PathBuf>), String> {
    let mut listen: SocketAddr = "127.0.0.1:0".parse().expect("valid default");
    let mut tenant = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--listen" => {
                let v = value("--listen")?;
                listen = v.parse().map_err(|e| format!("bad --listen {v:?}: {e}"))?;
            }
            "--tenant" => tenant = Some(PathBuf::from(value("--tenant")?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok((listen, tenant))
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
    let (listen, tenant_path) = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let tenant = match &tenant_path {
        Some(p) => match Tenant::from_file(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => Tenant::demo(),
    };
    let emulator = match auth0_emulator::start(listen, tenant).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot listen on {listen}: {e}");
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
