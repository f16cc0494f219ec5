//! `mfa-desk --check-config`, run as IT runs it: the real binary as a process, configurations
//! in a temporary folder (the system file through `MFA_DESK_SYSTEM_CONFIG`, its drop-ins in
//! `config.d` next to it), and no display at all, so any attempt to open a window would fail.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Deployment {
    dir: tempfile::TempDir,
}

impl Deployment {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn system(&self) -> PathBuf {
        self.dir.path().join("etc/config.json")
    }

    fn drop_in(&self, name: &str) -> PathBuf {
        self.dir.path().join("etc/config.d").join(name)
    }

    fn user(&self) -> PathBuf {
        self.dir.path().join("home/config.json")
    }

    fn write(&self, path: &Path, json: &str) -> &Self {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, json).unwrap();
        self
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_mfa-desk"))
            .args(args)
            .env("MFA_DESK_SYSTEM_CONFIG", self.system())
            .env("MFA_DESK_USER_CONFIG", self.user())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .output()
            .expect("mfa-desk runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The report's line for `key` (`  key  value  origin`).
fn line<'a>(report: &'a str, key: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{key} ")))
        .unwrap_or_else(|| panic!("no line for {key} in:\n{report}"))
}

#[test]
fn a_valid_deployment_is_reported_with_the_origin_of_each_value() {
    let d = Deployment::new();
    d.write(
        &d.system(),
        r#"{"domain":"acme.eu.auth0.com","client_id":"native-app","realm":"db","language":"en"}"#,
    )
    .write(
        &d.drop_in("50-site.json"),
        r#"{"organization":"Acme Corporation","language":"ja",
            "helpdesk":{"management_client_id":"m2m","agents":["@helpdesk.acme.example"]}}"#,
    )
    .write(
        &d.user(),
        r#"{"helpdesk_text":"Call 4357","language":"fr"}"#,
    );

    let output = d.run(&["--check-config"]);
    let report = stdout(&output);
    assert!(output.status.success(), "{output:?}\n{report}");
    assert!(
        report.starts_with("MFA Desk configuration: valid"),
        "{report}"
    );
    let drop_in = format!("drop-in {}", d.drop_in("50-site.json").display());
    let system = format!("system file {}", d.system().display());
    let user = format!("user file {}", d.user().display());
    for (key, value, origin) in [
        ("organization", "\"Acme Corporation\"", drop_in.as_str()),
        ("language", "\"ja\"", &drop_in),
        ("helpdesk.agents", "[\"@helpdesk.acme.example\"]", &drop_in),
        ("domain", "\"acme.eu.auth0.com\"", &system),
        ("realm", "\"db\"", &system),
        ("helpdesk_text", "\"Call 4357\"", &user),
        ("sign_in", "\"password\"", "built-in default"),
        ("scope", "\"openid profile email\"", "built-in default"),
    ] {
        let line = line(&report, key);
        assert!(line.contains(value), "{key}: {line}");
        assert!(
            line.ends_with(origin),
            "{key} should come from {origin}: {line}"
        );
    }
    assert!(
        report.contains(&format!("{}  (read)", d.drop_in("50-site.json").display())),
        "the sources read are listed:\n{report}"
    );
}

#[test]
fn a_broken_deployment_exits_non_zero_with_every_problem_named() {
    let d = Deployment::new();
    d.write(
        &d.system(),
        r#"{"domain":"http://acme.eu.auth0.com","client_id":"a"}"#,
    )
    .write(&d.drop_in("50-site.json"), r#"{"factors":["otp","fax"]}"#)
    .write(&d.drop_in("60-typo.json"), r#"{"organisation":"Acme"}"#);

    let output = d.run(&["--check-config"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.starts_with("MFA Desk configuration: NOT valid"),
        "{report}"
    );
    for expected in [
        format!(
            "{}: organisation: unknown setting; known settings: organization,",
            d.drop_in("60-typo.json").display()
        ),
        format!(
            "{}: factors: \"fax\" is not one of otp, sms, voice, email, push",
            d.drop_in("50-site.json").display()
        ),
        format!(
            "{}: domain: the tenant must be reached over HTTPS",
            d.system().display()
        ),
    ] {
        assert!(
            report.contains(&expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    assert!(!report.contains("Effective configuration"), "{report}");
}

#[test]
fn no_configuration_at_all_is_not_valid() {
    let d = Deployment::new();
    let output = d.run(&["--check-config"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("no configuration"), "{report}");
    assert!(
        report.contains(&format!("{}  (not present)", d.system().display())),
        "{report}"
    );
}

#[test]
fn help_version_and_mistakes_are_answered_without_a_window() {
    let d = Deployment::new();
    let version = d.run(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        stdout(&version).trim(),
        format!("mfa-desk {}", env!("CARGO_PKG_VERSION"))
    );

    let help = d.run(&["--help"]);
    assert!(help.status.success());
    let help = stdout(&help);
    for option in [
        "--check-config",
        "--demo",
        "--tenant",
        "--client-id",
        "--realm",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }

    for wrong in [
        &["--check-config", "--demo"][..],
        &["--tenant", "acme.eu.auth0.com"],
        &["--check-configuration"],
    ] {
        let output = d.run(wrong);
        assert_eq!(output.status.code(), Some(2), "{wrong:?}: {output:?}");
        assert!(!output.stderr.is_empty(), "{wrong:?} says nothing");
    }
}
