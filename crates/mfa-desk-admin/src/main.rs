//! `mfa-desk-admin`: the MFA Desk helpdesk command line. See `mfa-desk-admin --help`.

mod cli;
mod commands;
mod connect;
mod failure;
mod report;
mod table;
mod usage;

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
    match runtime.block_on(commands::run(&cli)) {
        Ok(report) => {
            if cli.json {
                print_stdout(&format!("{}\n", pretty(&report.json())));
            } else {
                print_stdout(&report.text);
            }
            match &report.late_failure {
                Some(failure) => {
                    eprintln!("mfa-desk-admin: {}", failure.message);
                    ExitCode::from(failure.exit as u8)
                }
                None => ExitCode::SUCCESS,
            }
        }
        Err(failure) => fail(&failure, cli.json),
    }
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
