//! `mfa-desk-admin --direct` (the administrators' break-glass path) run as a process against
//! the local Auth0 over real HTTP: every command, `--json` parsed, every exit code provoked,
//! bad input sending nothing, the output and the audit log marked "direct" and free of
//! secrets.

use std::path::PathBuf;
use std::process::Command;

use auth0_emulator::client::ControlClient;
use auth0_emulator::demo::{
    ENROLLED, ENROLLED_RECOVERY_CODE, ENROLLED_USER_ID as ENROLLED_ID,
    HELPDESK_CLIENT_ID as HELPDESK, HELPDESK_CLIENT_SECRET as HELPDESK_SECRET,
    HELPDESK_READONLY_CLIENT_ID as READONLY, HELPDESK_READONLY_CLIENT_SECRET as READONLY_SECRET,
    PASSWORD, PUBLIC_CLIENT_ID,
};
use auth0_emulator::{Fault, RunningEmulator, Tenant};
use mfa_core::client::SignInOutcome;
use mfa_core::secret::secret;
use mfa_core::{Auth0Client, ErrorCode, TenantConfig};
use serde_json::{json, Value};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_mfa-desk-admin");
const COMMANDS: [&str; 8] = [
    "find",
    "methods",
    "remove",
    "reset",
    "recovery-code",
    "ticket",
    "forget-browsers",
    "audit",
];

/// What one run of the tool left behind.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:?}"))
    }

    fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "{self:?}");
        if code != 0 {
            let sentence = self.stderr.trim();
            assert!(
                sentence.starts_with("mfa-desk-admin: ") && !sentence.contains('\n'),
                "one sentence on stderr: {self:?}"
            );
        }
        self
    }
}

/// A local Auth0, a private data folder, and the tool pointed at both.
struct Desk {
    emulator: RunningEmulator,
    data: TempDir,
    control: ControlClient,
}

impl Desk {
    async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    async fn start_with(adjust: impl FnOnce(&mut Tenant)) -> Self {
        let mut tenant = Tenant::demo();
        adjust(&mut tenant);
        let emulator = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), tenant)
            .await
            .expect("emulator starts");
        let control = ControlClient::new(&emulator.base_url());
        Self {
            emulator,
            data: tempfile::tempdir().unwrap(),
            control,
        }
    }

    fn audit_path(&self) -> PathBuf {
        self.data.path().join("helpdesk-audit.jsonl")
    }

    /// IT's configuration naming this local Auth0: `MFA_DESK_ADMIN_SECRET` is honoured for
    /// the tenant it names only.
    fn its_config(&self) -> PathBuf {
        let path = self.data.path().join("config.json");
        let config =
            serde_json::json!({"domain": self.emulator.base_url(), "client_id": "mfa-desk-demo"});
        std::fs::write(&path, config.to_string()).unwrap();
        path
    }

    /// The command as the README shows it: tenant and client id as flags, the secret in the
    /// environment, nothing inherited that could change the outcome.
    fn command(&self, client_id: &str, secret: &str, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args([
                "--direct",
                "--tenant",
                &self.emulator.base_url(),
                "--client-id",
                client_id,
            ])
            .args(args)
            .env("MFA_DESK_ADMIN_SECRET", secret)
            .env("MFA_DESK_DATA_DIR", self.data.path())
            .env("MFA_DESK_SYSTEM_CONFIG", self.its_config())
            .env(
                "MFA_DESK_USER_CONFIG",
                self.data.path().join("no-user-config.json"),
            )
            .env("USER", "agent.smith")
            .env_remove("MFA_DESK_ADMIN_TENANT")
            .env_remove("MFA_DESK_ADMIN_CLIENT_ID");
        command
    }

    async fn admin(&self, args: &[&str]) -> Run {
        run(self.command(HELPDESK, HELPDESK_SECRET, args)).await
    }

    async fn admin_as(&self, client_id: &str, secret: &str, args: &[&str]) -> Run {
        run(self.command(client_id, secret, args)).await
    }

    async fn fault(&self, fault: Fault) {
        self.control.add_fault(&fault).await.unwrap();
    }

    /// Requests that reached Auth0's endpoints so far.
    async fn requests_sent(&self) -> u64 {
        self.control.stats().await.unwrap().total_requests()
    }

    async fn outbox_len(&self) -> usize {
        self.control.outbox().await.unwrap().len()
    }

    /// Every `X-Correlation-ID` the emulator saw.
    async fn correlation_ids_seen(&self) -> Vec<String> {
        let requests = self.control.requests().await.unwrap();
        requests
            .into_iter()
            .filter_map(|r| r.correlation_id)
            .collect()
    }

    async fn sign_in_with_recovery_code(&self, code: &str) -> Result<(), ErrorCode> {
        let tenant = TenantConfig::new(&self.emulator.base_url(), PUBLIC_CLIENT_ID).unwrap();
        let client = Auth0Client::new(tenant).unwrap();
        let SignInOutcome::MfaRequired(required) =
            client.sign_in(ENROLLED, &secret(PASSWORD)).await.unwrap()
        else {
            panic!("expected mfa_required")
        };
        let code = mfa_core::input::RecoveryCode::parse(code).unwrap();
        client
            .verify_recovery_code(&required.mfa_token, &code)
            .await
            .map(drop)
            .map_err(|e| e.code())
    }

    fn audit_text(&self) -> String {
        std::fs::read_to_string(self.audit_path()).unwrap_or_default()
    }
}

/// Runs the tool off the async threads, so the in-process emulator keeps answering.
async fn run(mut command: Command) -> Run {
    let output = tokio::task::spawn_blocking(move || command.output().expect("the tool runs"))
        .await
        .unwrap();
    Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn encoded(id: &str) -> String {
    id.replace('|', "%7C")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_has_help() {
    let desk = Desk::start().await;
    let top = desk.admin(&["--help"]).await.expect(0);
    for command in COMMANDS {
        assert!(top.stdout.contains(command), "{command} in {}", top.stdout);
        let help = desk.admin(&[command, "--help"]).await.expect(0);
        assert!(
            help.stdout
                .contains(&format!("Usage: mfa-desk-admin {command}")),
            "{help:?}"
        );
    }
    assert!(top.stdout.contains("Exit codes"));
    assert_eq!(desk.requests_sent().await, 0);
}

/// The "Done when" of the issue: the README's commands, then a sign-in with the new code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helpdesk_walk() {
    let desk = Desk::start().await;
    let methods = desk.admin(&["methods", ENROLLED]).await.expect(0);
    assert!(methods.stdout.contains(ENROLLED_ID), "{methods:?}");
    assert!(methods.stdout.contains("totp"), "{methods:?}");

    let issued = desk
        .admin(&[
            "recovery-code",
            ENROLLED,
            "--reason",
            "lost phone",
            "--ticket",
            "INC-1",
            "--verified-by",
            "video call",
        ])
        .await
        .expect(0);
    let code: String = issued
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 29 && l.split(' ').count() == 6)
        .unwrap_or_else(|| panic!("a code in groups of four: {issued:?}"))
        .replace(' ', "");
    assert_ne!(code, ENROLLED_RECOVERY_CODE);

    desk.sign_in_with_recovery_code(&code).await.unwrap();
    assert_eq!(
        desk.sign_in_with_recovery_code(ENROLLED_RECOVERY_CODE)
            .await,
        Err(ErrorCode::WrongRecoveryCode)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_in_json() {
    let desk = Desk::start().await;
    let found = desk
        .admin(&["--json", "find", ENROLLED])
        .await
        .expect(0)
        .json();
    assert_eq!(found["users"][0]["user_id"], ENROLLED_ID);
    assert_eq!(found["direct"], true);
    let table = desk.admin(&["find", ENROLLED]).await.expect(0);
    let mut lines = table.stdout.lines();
    assert!(lines.next().unwrap().starts_with("[direct: "), "{table:?}");
    assert!(lines.next().unwrap().starts_with("USER ID"), "{table:?}");

    let listed = desk
        .admin(&["methods", ENROLLED_ID, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(listed["user"]["email"], ENROLLED);
    let methods = listed["methods"].as_array().unwrap();
    let totp = methods.iter().find(|m| m["type"] == "totp").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let change = ["--reason", "lost phone", "--ticket", "INC-7", "--json"];
    let removed = desk
        .admin(&[&["remove", ENROLLED, &totp][..], &change].concat())
        .await
        .expect(0)
        .json();
    assert_eq!(removed["outcome"], "ok");
    assert_eq!(removed["action"], "remove_method");
    assert_eq!(removed["method_id"], totp.as_str());

    let mails = desk.outbox_len().await;
    let ticket = desk
        .admin(&[&["ticket", ENROLLED, "--send-mail"][..], &change].concat())
        .await
        .expect(0)
        .json();
    let ticket_id = ticket["ticket_id"].as_str().unwrap();
    assert!(ticket["ticket_url"].as_str().unwrap().ends_with(ticket_id));
    assert_eq!(desk.outbox_len().await, mails + 1);

    let forgot = desk
        .admin(&[&["forget-browsers", ENROLLED][..], &change].concat())
        .await
        .expect(0)
        .json();
    assert_eq!(forgot["action"], "forget_browsers");

    let reset = desk
        .admin(&[&["reset", ENROLLED][..], &change].concat())
        .await
        .expect(0)
        .json();
    assert_eq!(reset["action"], "reset_methods");
    let after = desk
        .admin(&["methods", ENROLLED, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(after["methods"], json!([]));
    let text = desk.admin(&["methods", ENROLLED]).await.expect(0);
    assert!(text.stdout.contains("no authentication method"), "{text:?}");

    // The audit log: the four changes, oldest first, with the ids Auth0 saw.
    let audit = desk.admin(&["audit", "--json"]).await.expect(0).json();
    let entries = audit["entries"].as_array().unwrap();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "remove_method",
            "create_enrollment_ticket",
            "forget_browsers",
            "reset_methods"
        ]
    );
    let seen = desk.correlation_ids_seen().await;
    for (entry, printed) in entries.iter().zip([&removed, &ticket, &forgot, &reset]) {
        assert_eq!(entry["correlation_id"], printed["correlation_id"]);
        assert!(seen.contains(&entry["correlation_id"].as_str().unwrap().to_owned()));
        assert_eq!(entry["operator"], "agent.smith");
        assert_eq!(entry["user_id"], ENROLLED_ID);
        assert_eq!(entry["user_email"], ENROLLED);
        assert_eq!(entry["reason"], "lost phone");
        assert_eq!(entry["ticket"], "INC-7");
        assert_eq!(entry["outcome"], "ok");
        assert_eq!(
            entry["direct"], true,
            "the local audit marks the break-glass path"
        );
    }
    assert_eq!(entries[0]["method_id"], totp.as_str());
    let filtered = desk
        .admin(&["audit", "--user", "someone.else@example.com", "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(filtered["entries"], json!([]));
    let table = desk.admin(&["audit", "--user", ENROLLED]).await.expect(0);
    assert_eq!(table.stdout.lines().count(), 6, "{table:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_holds_no_secret() {
    let desk = Desk::start().await;
    let change = [
        "--reason",
        "lost phone",
        "--verified-by",
        "callback",
        "--json",
    ];
    let issued = desk
        .admin(&[&["recovery-code", ENROLLED][..], &change].concat())
        .await
        .expect(0)
        .json();
    let code = issued["recovery_code"].as_str().unwrap().to_owned();
    let ticket = desk
        .admin(&[&["ticket", ENROLLED][..], &change].concat())
        .await
        .expect(0)
        .json();
    let log = desk.audit_text();
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(log.contains("callback") && log.contains("agent.smith"));
    let mut secrets = vec![
        code,
        ENROLLED_RECOVERY_CODE.to_owned(),
        HELPDESK_SECRET.to_owned(),
        ticket["ticket_id"].as_str().unwrap().to_owned(),
        ticket["ticket_url"].as_str().unwrap().to_owned(),
    ];
    // Every token the tenant issued, the helpdesk's access tokens among them.
    let tokens = desk.control.tokens().await.unwrap();
    secrets.extend(tokens.all().map(str::to_owned));
    secrets.retain(|s| s.len() >= 16);
    assert!(secrets.len() >= 6, "{secrets:?}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the audit log holds {secret}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(desk.audit_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_usage_and_bad_input_exit_2_and_send_nothing() {
    let desk = Desk::start().await;
    let long_ticket = "T".repeat(101);
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["frobnicate"],
        vec!["reset", ENROLLED],
        vec!["remove", ENROLLED, "totp|dev_x"],
        vec!["recovery-code", ENROLLED, "--reason", "   "],
        vec!["recovery-code", ENROLLED, "--reason", "two\nlines"],
        vec![
            "ticket",
            ENROLLED,
            "--reason",
            "r",
            "--ticket",
            &long_ticket,
        ],
        vec!["reset", "not-a-user", "--reason", "r"],
        vec!["reset", "auth0|", "--reason", "r"],
        vec!["remove", ENROLLED, "not a method", "--reason", "r"],
        vec!["find", "nobody@"],
        vec!["methods", "ana"],
        vec!["audit", "--user", "x"],
        vec!["--timeout", "0", "methods", ENROLLED],
        vec!["--operator", "", "reset", ENROLLED, "--reason", "r"],
    ];
    for args in &cases {
        desk.admin(args).await.expect(2);
    }
    let json = desk
        .admin(&["--json", "reset", ENROLLED])
        .await
        .expect(2)
        .json();
    assert_eq!(json["error"]["exit_code"], 2);

    // No tenant, an insecure tenant, no secret.
    let mut no_tenant = Command::new(BIN);
    no_tenant
        .args(["--direct", "methods", ENROLLED])
        .env_remove("MFA_DESK_ADMIN_TENANT")
        .env("MFA_DESK_ADMIN_CLIENT_ID", HELPDESK);
    let run_no_tenant = run(no_tenant).await.expect(2);
    assert!(
        run_no_tenant.stderr.contains("--tenant"),
        "{run_no_tenant:?}"
    );
    let mut insecure = Command::new(BIN);
    insecure.args([
        "--direct",
        "--tenant",
        "http://auth0.example.com",
        "--client-id",
        HELPDESK,
        "methods",
        ENROLLED,
    ]);
    run(insecure).await.expect(2);
    let mut no_secret = desk.command(HELPDESK, "", &["methods", ENROLLED]);
    // No session bus: the keyring answers "unavailable" at once instead of waiting.
    no_secret.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    let missing = run(no_secret).await.expect(2);
    assert!(
        missing.stderr.contains("MFA_DESK_ADMIN_SECRET"),
        "{missing:?}"
    );

    assert_eq!(desk.requests_sent().await, 0, "nothing was sent");
    assert_eq!(desk.audit_text(), "", "nothing was recorded");
}

/// Auth0 database connections store emails in lower case and `users-by-email` matches
/// exactly: an email typed with capitals still finds its user (the core's `find_callers`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_typed_with_capitals_finds_its_user() {
    let desk = Desk::start().await;
    let (local, domain) = ENROLLED.split_once('@').unwrap();
    let typed = format!("{}@{domain}", local.to_uppercase());
    let found = desk
        .admin(&["find", &typed, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(found["users"][0]["user_id"], ENROLLED_ID);
    let table = desk.admin(&["find", &typed]).await.expect(0);
    assert!(table.stdout.contains("in lower case"), "{table:?}");
    let listed = desk
        .admin(&["methods", &typed, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(listed["user"]["user_id"], ENROLLED_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_users_with_one_email_are_refused_with_their_ids() {
    let desk = Desk::start_with(|tenant| {
        tenant.connections.push("Contractors".into());
        let mut twin = tenant
            .users
            .iter()
            .find(|u| u.email == ENROLLED)
            .unwrap()
            .clone();
        twin.user_id = Some("auth0|64d0c0ffee0000000000b002".into());
        twin.connection = Some("Contractors".into());
        twin.authenticators.clear();
        tenant.users.push(twin);
    })
    .await;
    let refused = desk
        .admin(&["reset", ENROLLED, "--reason", "r", "--json"])
        .await
        .expect(2);
    assert!(refused.stderr.contains(ENROLLED_ID), "{refused:?}");
    assert!(refused.stderr.contains("auth0|64d0c0ffee0000000000b002"));
    assert_eq!(refused.json()["error"]["code"], "ambiguous_email");
    assert_eq!(desk.audit_text(), "");
    let found = desk
        .admin(&["find", ENROLLED, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(found["users"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_exits_3_and_a_failed_change_is_recorded() {
    let desk = Desk::start().await;
    desk.admin(&["find", "nobody@example.com"]).await.expect(3);
    desk.admin(&["methods", "nobody@example.com"])
        .await
        .expect(3);
    desk.admin(&["methods", "auth0|000000000000000000000000"])
        .await
        .expect(3);
    let missing = desk
        .admin(&[
            "remove",
            ENROLLED,
            "totp|dev_NoSuchMethod0000",
            "--reason",
            "r",
            "--json",
        ])
        .await
        .expect(3);
    assert_eq!(missing.json()["error"]["code"], "method_not_found");
    let audit = desk.admin(&["audit", "--json"]).await.expect(0).json();
    let entry = &audit["entries"][0];
    assert_eq!(entry["outcome"], "error");
    assert_eq!(entry["error"], "method_not_found");
    assert_eq!(entry["method_id"], "totp|dev_NoSuchMethod0000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_and_permissions_exit_4() {
    let desk = Desk::start().await;
    let wrong = desk
        .admin_as(HELPDESK, "not-the-secret", &["methods", ENROLLED])
        .await
        .expect(4);
    assert!(wrong.stderr.contains("secret"), "{wrong:?}");
    desk.admin_as(READONLY, READONLY_SECRET, &["methods", ENROLLED])
        .await
        .expect(0);
    let scope = desk
        .admin_as(
            READONLY,
            READONLY_SECRET,
            &["reset", ENROLLED, "--reason", "r", "--json"],
        )
        .await
        .expect(4);
    assert!(
        scope.stderr.contains("delete:authentication_methods"),
        "{scope:?}"
    );
    assert_eq!(scope.json()["error"]["code"], "missing_scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_network_failures_exit_5() {
    let desk = Desk::start().await;
    let user_path = "/api/v2/users-by-email";
    desk.fault(Fault::rate_limit(user_path)).await;
    let limited = desk.admin(&["--json", "find", ENROLLED]).await.expect(5);
    assert!(limited.stderr.contains("seconds"), "{limited:?}");
    assert!(limited.json()["error"]["retry_at"].as_u64().is_some());
    // A minute is too long to wait: reported, not retried.
    let requests = desk.control.requests().await.unwrap();
    assert_eq!(requests.iter().filter(|r| r.path == user_path).count(), 1);

    desk.fault(Fault::delay(user_path, 3000)).await;
    let slow = desk
        .admin(&["--timeout", "1", "find", ENROLLED])
        .await
        .expect(5);
    assert!(slow.stderr.contains("within 1 second."), "{slow:?}");

    let regenerate = format!(
        "/api/v2/users/{}/recovery-code-regeneration",
        encoded(ENROLLED_ID)
    );
    desk.fault(Fault::drop_connection(&regenerate).after_handling())
        .await;
    let lost = desk
        .admin(&[
            "recovery-code",
            ENROLLED,
            "--reason",
            "lost phone",
            "--json",
        ])
        .await
        .expect(5);
    assert_eq!(lost.json()["error"]["code"], "recovery_code_answer_lost");
    let audit = desk.admin(&["audit", "--json"]).await.expect(0).json();
    assert_eq!(audit["entries"][0]["error"], "recovery_code_answer_lost");

    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let closed_tenant = format!("http://127.0.0.1:{port}");
    let its_config = desk.data.path().join("closed.json");
    std::fs::write(
        &its_config,
        json!({"domain": closed_tenant, "client_id": "mfa-desk-demo"}).to_string(),
    )
    .unwrap();
    let mut closed = Command::new(BIN);
    closed
        .args(["--direct", "--tenant", &closed_tenant])
        .args(["--client-id", HELPDESK, "find", ENROLLED])
        .env("MFA_DESK_SYSTEM_CONFIG", &its_config)
        .env("MFA_DESK_ADMIN_SECRET", HELPDESK_SECRET);
    let refused = run(closed).await.expect(5);
    assert!(refused.stderr.contains("nothing was sent"), "{refused:?}");
}

/// `MFA_DESK_ADMIN_SECRET` is the secret of the tenant IT's configuration names: without a
/// configuration naming the tenant given, it is not sent anywhere, and the keyring's entry
/// for that domain is all that counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_s_secret_goes_to_it_s_tenant_only() {
    let desk = Desk::start().await;
    let mut elsewhere = desk.command(HELPDESK, HELPDESK_SECRET, &["methods", ENROLLED]);
    elsewhere
        .env("MFA_DESK_SYSTEM_CONFIG", desk.data.path().join("none.json"))
        // No session bus: the keyring answers "unavailable" at once.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    let refused = run(elsewhere).await.expect(2);
    assert!(
        refused.stderr.contains("nothing was sent") || refused.stderr.contains("keyring"),
        "{refused:?}"
    );
    assert_eq!(
        desk.requests_sent().await,
        0,
        "the secret went to a tenant IT did not name"
    );
}

/// Without `USER` (cron, `env -i`), the audit log names the OS account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_is_the_os_account_when_user_is_unset() {
    let desk = Desk::start().await;
    let change = [
        "forget-browsers",
        ENROLLED,
        "--reason",
        "lost phone",
        "--ticket",
        "INC-8",
    ];
    let mut command = desk.command(HELPDESK, HELPDESK_SECRET, &change);
    command.env_remove("USER").env_remove("USERNAME");
    run(command).await.expect(0);
    let audit = std::fs::read_to_string(desk.audit_path()).unwrap_or_default();
    let account = whoami_name();
    assert!(
        audit.contains(&format!("\"operator\":\"{account}\"")),
        "the audit log does not name {account}: {audit}"
    );
}

/// The account this test runs as, from the OS (not from USER).
fn whoami_name() -> String {
    let uid = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
        .expect("/proc/self");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() > 2 && fields[2].parse::<u32>().ok() == Some(uid))
                .then(|| fields[0].to_owned())
        })
        .expect("this account in /etc/passwd")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anything_else_exits_1() {
    let desk = Desk::start().await;
    desk.fault(Fault::status("/api/v2/users-by-email", 500))
        .await;
    desk.admin(&["find", ENROLLED]).await.expect(1);

    // An audit log that cannot be written stops a change before anything is sent.
    let blocker = desk.data.path().join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    let sent = desk.requests_sent().await;
    let mut command = desk.command(
        HELPDESK,
        HELPDESK_SECRET,
        &["reset", ENROLLED, "--reason", "r"],
    );
    command.env("MFA_DESK_DATA_DIR", &blocker);
    run(command).await.expect(1);
    assert_eq!(desk.requests_sent().await, sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_flags_the_managed_configuration_says_where_to_connect() {
    let helpdesk = Desk::start().await;
    let config = tempfile::tempdir().unwrap();
    let system = config.path().join("config.json");
    let write = |helpdesk_section: Value| {
        let mut managed = json!({
            "domain": helpdesk.emulator.base_url(),
            "client_id": "mfa-desk-demo",
        });
        if !helpdesk_section.is_null() {
            managed["helpdesk"] = helpdesk_section;
        }
        std::fs::write(&system, managed.to_string()).unwrap();
    };
    let command = || {
        let mut command = Command::new(BIN);
        command
            .args(["--direct", "--json", "methods", ENROLLED])
            .env("MFA_DESK_SYSTEM_CONFIG", &system)
            .env("MFA_DESK_USER_CONFIG", config.path().join("absent.json"))
            .env("MFA_DESK_ADMIN_SECRET", HELPDESK_SECRET)
            .env("MFA_DESK_DATA_DIR", helpdesk.data.path())
            .env_remove("MFA_DESK_ADMIN_TENANT")
            .env_remove("MFA_DESK_ADMIN_CLIENT_ID");
        command
    };

    write(json!({ "management_client_id": HELPDESK, "agents": ["@example.com"] }));
    let listed = run(command()).await.expect(0).json();
    assert!(listed.to_string().contains("totp"), "{listed}");

    // A configuration without a helpdesk section names what is missing, and sends nothing.
    write(Value::Null);
    helpdesk.control.reset_stats().await.unwrap();
    let refused = run(command()).await.expect(2);
    assert!(refused.stderr.contains("--client-id"), "{refused:?}");

    // A broken configuration names its file and key.
    std::fs::write(&system, r#"{"domain": 42}"#).unwrap();
    let broken = run(command()).await.expect(2);
    assert!(
        broken.stderr.contains("config.json") && broken.stderr.contains("domain"),
        "{broken:?}"
    );
    assert_eq!(helpdesk.requests_sent().await, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_is_only_for_the_configured_tenant_and_the_old_commands() {
    let desk = Desk::start().await;
    for args in [
        &["login"][..],
        &["whoami"],
        &["events", ENROLLED],
        &["approvals"],
        &["secure", ENROLLED, "--reason", "r", "--dry-run"],
        &["end-sessions", ENROLLED, "--reason", "r"],
        &["ticket", ENROLLED, "--reason", "r", "--locale", "fr"],
        &[
            "forget-browsers",
            ENROLLED,
            "--reason",
            "r",
            "--verification",
            "ver_1",
        ],
    ] {
        let refused = desk.admin(args).await.expect(2);
        assert!(refused.stderr.contains("nothing was sent"), "{refused:?}");
    }
    // The configuration names another tenant: --direct refuses to act on this one.
    let config = tempfile::tempdir().unwrap();
    let system = config.path().join("config.json");
    std::fs::write(
        &system,
        json!({"domain": "acme.eu.auth0.com", "client_id": "mfa-desk-demo"}).to_string(),
    )
    .unwrap();
    let mut elsewhere = desk.command(HELPDESK, HELPDESK_SECRET, &["methods", ENROLLED]);
    elsewhere
        .env("MFA_DESK_SYSTEM_CONFIG", &system)
        .env("MFA_DESK_USER_CONFIG", config.path().join("absent.json"));
    let refused = run(elsewhere).await.expect(2);
    assert!(refused.stderr.contains("acme.eu.auth0.com"), "{refused:?}");
    assert_eq!(desk.requests_sent().await, 0, "nothing was sent");
}
