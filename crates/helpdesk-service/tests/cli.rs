//! The command line as IT runs it (the real binary): `--check-config` prints each value with
//! its source and refuses unknown keys and plain HTTP off loopback; the service refuses to
//! start without a client secret.

use std::process::Command;

fn helpdesk(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mfa-desk-helpdesk"));
    command.args(args);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("MFA_DESK_HELPDESK_")) {
        command.env_remove(name);
    }
    command.env_remove("CREDENTIALS_DIRECTORY");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn check_config_names_every_source_and_refuses_what_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("helpdesk.toml");
    std::fs::write(
        &file,
        "[auth0]\ntenant_url = \"https://acme.eu.auth0.com\"\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (status, text) = helpdesk(
        &["--config", path, "--check-config"],
        &[(
            "MFA_DESK_HELPDESK_RULES__FOUR_EYES",
            "[\"reset\", \"unblock\"]",
        )],
    );
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains(&format!(
            "auth0.tenant_url = \"https://acme.eu.auth0.com\"  # file {path}"
        )),
        "{text}"
    );
    assert!(text.contains("rules.four_eyes = [\"reset\", \"unblock\"]  # environment MFA_DESK_HELPDESK_RULES__FOUR_EYES"), "{text}");
    assert!(
        text.contains("agents.max_sign_in_age_secs = 28800  # default"),
        "{text}"
    );
    assert!(text.contains("# configuration OK"));

    let (status, text) = helpdesk(
        &["--config", path, "--check-config"],
        &[("MFA_DESK_HELPDESK_RULES__FOUR_EYE", "[\"reset\"]")],
    );
    assert_eq!(status, 2, "{text}");
    assert!(
        text.contains("MFA_DESK_HELPDESK_RULES__FOUR_EYE") && text.contains("unknown field"),
        "{text}"
    );

    let (status, text) = helpdesk(
        &["--config", path, "--check-config"],
        &[("MFA_DESK_HELPDESK_LISTEN__ADDRESS", "0.0.0.0:8710")],
    );
    assert_eq!(status, 2, "{text}");
    assert!(
        text.contains("plain HTTP is refused except on loopback"),
        "{text}"
    );
}

#[test]
fn the_service_will_not_start_without_its_secret() {
    let (status, text) = helpdesk(
        &[],
        &[
            ("MFA_DESK_HELPDESK_AUTH0__TENANT_URL", "http://127.0.0.1:9"),
            ("MFA_DESK_HELPDESK_LOG__FORMAT", "text"),
        ],
    );
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("no client secret"), "{text}");
}
