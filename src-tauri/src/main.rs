// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use mfa_core::settings::{self, Locations};
use mfa_desk::launch::Cli;

fn main() -> ExitCode {
    // --help, --version and command-line mistakes are answered here, before any window.
    let cli = Cli::from_env();
    if cli.check_config {
        return check_config();
    }
    mfa_desk::run();
    ExitCode::SUCCESS
}

/// `--check-config`: reads the configuration exactly as the app does at start-up and prints
/// where each value came from, or what is wrong. Nothing graphical is initialised, so it runs
/// over SSH and in deployment scripts.
fn check_config() -> ExitCode {
    let check = settings::check(&Locations::standard());
    print!("{check}");
    if check.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
