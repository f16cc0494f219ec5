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
    let locations = Locations::from_env(mfa_desk::test_hooks::env_trust(), |name| {
        std::env::var_os(name)
    });
    let check = settings::check(&locations);
    print!("{check}");
    if check.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
