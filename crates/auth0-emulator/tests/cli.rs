//! The `auth0-emulator` binary, run as a process.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn emulator() -> Command {
    Command::new(env!("CARGO_BIN_EXE_auth0-emulator"))
}

#[test]
fn help_and_version() {
    let out = emulator().arg("--version").output().unwrap();
    assert!(out.status.success());
    let version = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        version.trim(),
        format!("auth0-emulator {}", env!("CARGO_PKG_VERSION"))
    );

    let out = emulator().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("--listen <ADDR:PORT>"), "{help}");
    assert!(help.contains("--tenant <FILE>"), "{help}");
}

#[test]
fn bad_usage_exits_2_and_names_the_problem() {
    let out = emulator().args(["--listen", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("'nope'") && err.contains("--listen"), "{err}");

    let out = emulator()
        .args(["--tenant", "/nonexistent/tenant.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/nonexistent/tenant.json"), "{err}");
}

#[test]
fn serves_the_example_tenant_and_announces_its_address() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/tenant.example.json");
    let mut child = emulator()
        .args(["--listen=127.0.0.1:0", "--tenant", example])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let url = first.trim().strip_prefix("listening on http://127.0.0.1:");
    let port: u16 = url.and_then(|p| p.parse().ok()).unwrap_or(0);
    assert!(port > 0, "{first:?}");
}
