//! `mfa-desk-admin`: the MFA Desk helpdesk command line. See `mfa-desk-admin --help`.

mod cli;
mod connect;
mod failure;
mod run;
mod table;

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use crate::cli::Cli;
use crate::failure::{Exit, Failure};
use mfa_core::ErrorCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
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
    match runtime.block_on(run::run(&cli)) {
        Ok(report) => {
            let late = report.late_failure.as_ref();
            if cli.json {
                let mut json = report.json;
                if let Some(failure) = late {
                    json["error"] = failure.to_json()["error"].clone();
                }
                print_stdout(&format!("{}\n", pretty(&json)));
            } else {
                print_stdout(&report.text);
            }
            match late {
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

fn fail(failure: &Failure, json: bool) -> ExitCode {
    if json {
        print_stdout(&format!("{}\n", pretty(&failure.to_json())));
    }
    eprintln!("mfa-desk-admin: {}", failure.message);
    ExitCode::from(failure.exit as u8)
}

/// Help and version go to stdout with exit 0; any other clap error becomes one sentence on
/// stderr and exit 2 (and, with `--json`, an error document on stdout).
fn usage_error(error: clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let json = std::env::args().any(|a| a == "--json");
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let message =
            "No command given (see mfa-desk-admin --help for the list); nothing was sent.";
        return fail(&Failure::new(Exit::Usage, ErrorCode::Usage, message), json);
    }
    let rendered = error.render().to_string();
    let summary = rendered
        .split("\n\nUsage:")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let summary = summary.trim_start_matches("error: ");
    let mut chars = summary.chars();
    let summary: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Bad usage".into(),
    };
    let message = format!("{summary} (see mfa-desk-admin --help); nothing was sent.");
    fail(&Failure::new(Exit::Usage, ErrorCode::Usage, message), json)
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
