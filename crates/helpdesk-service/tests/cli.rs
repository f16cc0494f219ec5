//! The command line as IT runs it (the real binary): `--check-config` prints each value with
//! its source and refuses unknown keys and plain HTTP off loopback; the service refuses to
//! start without a client secret.

mod support;

use std::process::Command;

use auth0_emulator::demo;

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
        &[
            (
                "MFA_DESK_HELPDESK_RULES__FOUR_EYES",
                "[\"reset\", \"unblock\"]",
            ),
            ("MFA_DESK_HELPDESK_CLIENT_SECRET", "s3cret-value"),
        ],
    );
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("# client secret: from environment MFA_DESK_HELPDESK_CLIENT_SECRET"),
        "{text}"
    );
    assert!(!text.contains("s3cret-value"), "{text}");
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

/// The installed binary's logs while it serves real requests (a recovery code issued among
/// them) hold no secret, no token and no recovery code.
#[test]
fn the_logs_hold_no_secret_token_or_code() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let auth0 = runtime.block_on(support::service::Auth0::demo());
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.path().join("service.log");
    let mut command = Command::new(env!("CARGO_BIN_EXE_mfa-desk-helpdesk"));
    command
        .env(
            "MFA_DESK_HELPDESK_AUTH0__TENANT_URL",
            auth0.emulator.base_url(),
        )
        .env(
            "MFA_DESK_HELPDESK_AUTH0__CLIENT_ID",
            demo::HELPDESK_SERVICE_CLIENT_ID,
        )
        .env(
            "MFA_DESK_HELPDESK_CLIENT_SECRET",
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
        )
        .env(
            "MFA_DESK_HELPDESK_STORAGE__URL",
            format!("sqlite://{}", dir.path().join("h.db").display()),
        )
        .env(
            "MFA_DESK_HELPDESK_LISTEN__ADDRESS",
            format!("127.0.0.1:{port}"),
        )
        .env("MFA_DESK_HELPDESK_LOG__LEVEL", "debug")
        .stderr(std::fs::File::create(&log).unwrap());
    let mut child = command.spawn().unwrap();
    let (token, code) = runtime.block_on(async {
        let http = reqwest::Client::new();
        for _ in 0..200 {
            let ready = http.get(format!("{base}/readyz")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let token = auth0.agent().await;
        let user = demo::ENROLLED_USER_ID.replace('|', "%7C");
        let verified: serde_json::Value = http
            .post(format!("{base}/v1/callers/{user}/verifications"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "v1")
            .json(&serde_json::json!({"method": "in_person", "reason": "lost phone"}))
            .send().await.unwrap().json().await.unwrap();
        let done: serde_json::Value = http
            .post(format!("{base}/v1/callers/{user}/actions"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "a1")
            .json(&serde_json::json!({"action": "issue_recovery_code", "verification_id": verified["id"]}))
            .send().await.unwrap().json().await.unwrap();
        (token, done["recovery_code"].as_str().expect("a code").to_owned())
    });
    // SIGTERM, as systemd stops the service.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(killed.unwrap().success());
    assert!(
        child.wait().unwrap().success(),
        "a graceful stop on SIGTERM"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("\"request\""), "{text}");
    for secret in [
        demo::HELPDESK_SERVICE_CLIENT_SECRET,
        token.as_str(),
        code.as_str(),
    ] {
        assert!(!text.contains(secret), "a secret in the logs: {text}");
    }
}
