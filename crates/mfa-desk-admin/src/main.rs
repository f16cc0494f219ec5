//! `mfa-desk-admin`: the MFA Desk helpdesk command line. See `mfa-desk-admin --help`.

mod account;
mod agent;
mod args;
mod cli;
mod connect;
mod direct;
mod failure;
mod report;
mod service;
mod service_failure;
mod table;
mod usage;
mod view;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::failure::{Exit, Failure, FailureReport};
use crate::report::to_value;
use crate::usage::{refusal, Refusal};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            return match refusal(error) {
                // clap prints help and version on stdout and exits 0.
                Refusal::Shown(shown) => shown.exit(),
                Refusal::Usage(failure) => fail(&failure, std::env::args().any(|a| a == "--json")),
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mfa-desk-admin: could not start: {e}.");
            return ExitCode::from(Exit::Other as u8);
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(report) => {
            if cli.json {
                print_stdout(&format!("{}\n", pretty(&report.json())));
            } else {
                print_stdout(&report.text);
            }
            match (&report.late_failure, &report.pending) {
                (Some(failure), _) => {
                    eprintln!("mfa-desk-admin: {}", failure.message);
                    ExitCode::from(failure.exit as u8)
                }
                (None, Some(waiting)) => {
                    eprintln!("mfa-desk-admin: {waiting}");
                    ExitCode::from(Exit::AwaitingApproval as u8)
                }
                (None, None) => ExitCode::SUCCESS,
            }
        }
        Err(failure) => fail(&failure, cli.json),
    }
}

/// Through the helpdesk service as the signed-in agent, or `--direct`.
async fn run(cli: &Cli) -> Result<report::Report, Failure> {
    if cli.direct {
        return direct::run(cli).await;
    }
    if cli.operator.is_some() {
        return Err(Failure::new(
            Exit::Usage,
            mfa_core::ErrorCode::Usage,
            "--operator is for --direct only: through the service, the operator is the agent signed in with `mfa-desk-admin login`; nothing was sent.",
        ));
    }
    service::run(cli).await
}

/// One sentence on stderr and the documented exit code (with `--json`, also the error
/// document on stdout).
fn fail(failure: &Failure, json: bool) -> ExitCode {
    if json {
        let report = FailureReport {
            error: failure.report(),
        };
        print_stdout(&format!("{}\n", pretty(&to_value(&report))));
    }
    eprintln!("mfa-desk-admin: {}", failure.message);
    ExitCode::from(failure.exit as u8)
}

fn pretty(json: &serde_json::Value) -> String {
    serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string())
}

/// Writes, ignoring a closed pipe (`mfa-desk-admin audit | head`).
fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
