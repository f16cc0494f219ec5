//! `mfa-desk-admin` through the helpdesk service, run as a process against the local Auth0
//! and the real service over real HTTP: the device-flow login completed through the
//! `/activate` page, every command, `--json` shapes, exit codes, bad input sending nothing,
//! four eyes, and the stolen-phone playbook interrupted and resumed.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use auth0_emulator::demo::{self, ENROLLED, ENROLLED_USER_ID, PUSH_USER, PUSH_USER_USER_ID};
use auth0_emulator::Fault;
use serde_json::Value;
use support::{enc, run, Agent, Desk, BIN};

const CHECKED: [&str; 4] = [
    "--verified-by",
    "callback_directory_number",
    "--reason",
    "lost phone",
];

fn with<'a>(args: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    [args, more].concat()
}

/// Drives the hosted pages as the agent's browser would, without following redirects.
async fn activate(desk: &Desk, user_code: &str) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |path: &str, form: Vec<(&str, String)>| {
        let request = http.post(format!("{}{path}", desk.tenant())).form(&form);
        async move {
            let r = request.send().await.unwrap();
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            (r.status().as_u16(), location.unwrap_or_default())
        }
    };
    let (_, location) = post(
        "/activate",
        vec![("code", user_code.into()), ("action", "continue".into())],
    )
    .await;
    let state = location
        .strip_prefix("/u/login?state=")
        .expect(&location)
        .to_owned();
    let login = vec![
        ("state", state.clone()),
        ("email", demo::HELPDESK_AGENT.into()),
        ("password", demo::PASSWORD.into()),
        ("action", "continue".into()),
    ];
    post("/u/login", login).await;
    let now = desk.control.advance_clock(30).await.unwrap();
    let code = auth0_emulator::totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
    let mfa = vec![
        ("state", state.clone()),
        ("code", code),
        ("action", "continue".into()),
    ];
    let (_, location) = post("/u/mfa", mfa).await;
    assert_eq!(location, format!("/activate/confirm?state={state}"));
    let (status, _) = post(
        "/activate/confirm",
        vec![("state", state), ("action", "continue".into())],
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_through_the_activate_page_then_whoami_and_logout() {
    let desk = Desk::start().await;
    desk.admin(&["whoami"]).await.expect(6);
    desk.admin(&["methods", ENROLLED]).await.expect(6);

    let mut login = desk.command(Agent::Agent, &["login", "--json"]);
    login.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = login.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (code_line, rest) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().unwrap().unwrap();
        (first, lines)
    })
    .await
    .unwrap();
    // "! First check your one-time code: QTZL-MCBW", as `gh auth login` shows it.
    let user_code = code_line.rsplit(' ').next().unwrap().to_owned();
    assert!(
        code_line.starts_with("! First check your one-time code: "),
        "{code_line}"
    );
    assert_eq!(user_code.len(), 9, "{code_line}");
    activate(&desk, &user_code).await;
    let output = tokio::task::spawn_blocking(move || {
        let rest: Vec<String> = rest.map(Result::unwrap).collect();
        (child.wait_with_output().unwrap(), rest)
    })
    .await
    .unwrap();
    let (output, stderr) = output;
    assert!(output.status.success(), "{stderr:?}");
    assert!(
        stderr
            .iter()
            .any(|l| l.contains(&format!("{}/activate?user_code={user_code}", desk.tenant()))),
        "{stderr:?}"
    );
    let signed_in: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(signed_in["sub"], demo::HELPDESK_AGENT_USER_ID);
    assert_eq!(signed_in["email"], demo::HELPDESK_AGENT);
    assert_eq!(signed_in["service"], desk.service_url.as_str());
    let permissions = signed_in["permissions"].as_array().unwrap();
    assert!(permissions.contains(&"helpdesk:act".into()), "{signed_in}");
    assert!(
        !permissions.contains(&"helpdesk:approve".into()),
        "the role decides, not the scope asked for"
    );

    let who = desk.admin(&["whoami"]).await.expect(0);
    assert!(
        who.stdout.contains(demo::HELPDESK_AGENT) && who.stdout.contains("Until: "),
        "{who:?}"
    );
    assert_eq!(
        desk.admin(&["whoami", "--json"]).await.expect(0).json()["expires_at"],
        signed_in["expires_at"]
    );
    // The token works: the service answers as this agent.
    desk.admin(&["methods", ENROLLED]).await.expect(0);

    assert_eq!(
        desk.admin(&["logout", "--json"]).await.expect(0).json()["signed_out"],
        true
    );
    desk.admin(&["whoami"]).await.expect(6);
    assert_eq!(
        desk.admin(&["logout", "--json"]).await.expect(0).json()["signed_out"],
        false
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_in_json_and_text() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    let (local, domain) = ENROLLED.split_once('@').unwrap();
    let typed = format!("{}@{domain}", local.to_uppercase());
    let found = desk
        .admin(&["find", &typed, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(found["users"][0]["user_id"], ENROLLED_USER_ID);
    assert_eq!(
        found["matched_lower_case"], true,
        "the core's case handling, as in the app"
    );
    let text = desk.admin(&["find", &typed]).await.expect(0);
    assert!(
        text.stdout.starts_with("USER ID") && text.stdout.contains("in lower case"),
        "{text:?}"
    );

    let methods = desk
        .admin(&["methods", &typed, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(methods["user"]["user_id"], ENROLLED_USER_ID);
    assert_eq!(methods["standing"], "holds_factors");
    assert_eq!(methods["blocked"], false);
    assert!(methods["methods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["type"] == "totp"));

    let events = desk
        .admin(&["events", ENROLLED_USER_ID, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(events["user_id"], ENROLLED_USER_ID);
    assert!(events["events"].is_array());

    desk.admin(&["find", "nobody@example.com"]).await.expect(3);
    desk.admin(&["methods", "auth0|000000000000000000000000"])
        .await
        .expect(3);

    // The service's audit names the agent the token proves, never $USER.
    let audit = desk.admin(&["audit", "--json"]).await.expect(0).json();
    let rows = audit["entries"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["action"] == "open_caller"), "{audit}");
    assert!(rows
        .iter()
        .all(|r| r["agent_sub"] == demo::HELPDESK_AGENT_USER_ID));
    assert!(!audit.to_string().contains("agent.smith"));
    let about = desk
        .admin(&["audit", "--user", ENROLLED, "--json"])
        .await
        .expect(0)
        .json();
    assert!(about["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["caller_id"] == ENROLLED_USER_ID));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_verification_then_changes_under_it() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    let verify = desk.command(
        Agent::Agent,
        &[
            "verify",
            PUSH_USER,
            "--push",
            "--reason",
            "lost phone",
            "--json",
        ],
    );
    let waiting = tokio::spawn(run(verify));
    let push = desk
        .control
        .wait_for_push(Duration::from_secs(10))
        .await
        .unwrap()
        .expect("a push");
    desk.control
        .approve_push(Some(&push.oob_code))
        .await
        .unwrap();
    let verified = waiting.await.unwrap().expect(0);
    assert!(
        verified
            .stderr
            .contains(push.binding_message.as_deref().unwrap()),
        "the words to read out: {verified:?}"
    );
    let verified = verified.json();
    assert_eq!(verified["status"], "verified");
    assert_eq!(verified["user_id"], PUSH_USER_USER_ID);
    let id = verified["id"].as_str().unwrap().to_owned();

    let under = ["--reason", "lost phone", "--verification", &id, "--json"];
    let ended = desk
        .admin(&with(&["end-sessions", PUSH_USER], &under))
        .await
        .expect(0)
        .json();
    assert_eq!(
        (ended["status"].as_str(), ended["action"].as_str()),
        (Some("done"), Some("end_sessions"))
    );
    assert_eq!(ended["verification_id"], id.as_str());
    assert_eq!(
        desk.auth0_requests("DELETE", &format!("{}/sessions", enc(PUSH_USER_USER_ID)))
            .await,
        1
    );
    assert_eq!(
        desk.auth0_requests(
            "DELETE",
            &format!("{}/refresh-tokens", enc(PUSH_USER_USER_ID))
        )
        .await,
        1
    );

    let unblocked = desk
        .admin(&with(&["unblock", PUSH_USER], &under))
        .await
        .expect(0)
        .json();
    assert_eq!(unblocked["action"], "unblock");
    let mails = desk.control.outbox().await.unwrap().len();
    let ticket = desk
        .admin(&with(&["ticket", PUSH_USER, "--locale", "fr"], &under))
        .await
        .expect(0)
        .json();
    assert_eq!(ticket["next_step"], "follow_enrollment_email");
    assert_eq!(desk.control.outbox().await.unwrap().len(), mails + 1);
    let forgot = desk
        .admin(&[
            "forget-browsers",
            PUSH_USER,
            "--reason",
            "lost phone",
            "--verification",
            &id,
        ])
        .await
        .expect(0);
    assert!(forgot.stdout.contains("Correlation id: "), "{forgot:?}");
    assert!(forgot.stdout.contains("Next, tell them: "), "{forgot:?}");

    // A verification is one caller's: another caller's changes are refused.
    desk.admin(&with(&["end-sessions", ENROLLED], &under))
        .await
        .expect(7);
    // A denied push verifies nothing.
    let verify = desk.command(
        Agent::Agent,
        &["verify", PUSH_USER, "--push", "--reason", "lost phone"],
    );
    let waiting = tokio::spawn(run(verify));
    let push = desk
        .control
        .wait_for_push(Duration::from_secs(10))
        .await
        .unwrap()
        .expect("a push");
    desk.control.deny_push(Some(&push.oob_code)).await.unwrap();
    waiting.await.unwrap().expect(7);
    // No push method: said plainly.
    desk.admin(&["verify", ENROLLED, "--push", "--reason", "lost phone"])
        .await
        .expect(4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_code_once_then_only_with_replace() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    let issued = desk
        .admin(&with(&["recovery-code", ENROLLED, "--json"], &CHECKED))
        .await
        .expect(0)
        .json();
    let code = issued["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 24);
    assert_eq!(issued["next_step"], "sign_in_with_issued_recovery_code");
    assert_eq!(
        desk.control
            .recovery_code(ENROLLED)
            .await
            .unwrap()
            .as_deref(),
        Some(code.as_str())
    );
    let again = desk
        .admin(&with(&["recovery-code", ENROLLED, "--json"], &CHECKED))
        .await
        .expect(4);
    assert_eq!(
        again.json()["error"]["code"],
        "recovery_code_recently_issued"
    );
    assert!(again.stderr.contains("--replace"), "{again:?}");
    desk.admin(&with(&["recovery-code", ENROLLED, "--replace"], &CHECKED))
        .await
        .expect(0);

    let methods = desk
        .admin(&["methods", ENROLLED, "--json"])
        .await
        .expect(0)
        .json();
    let totp = methods["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["type"] == "totp")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = desk
        .admin(&with(&["remove", ENROLLED, &totp, "--json"], &CHECKED))
        .await
        .expect(0)
        .json();
    assert_eq!(
        (removed["action"].as_str(), removed["method_id"].as_str()),
        (Some("remove_method"), Some(totp.as_str()))
    );
    desk.admin(&with(&["remove", ENROLLED, &totp], &CHECKED))
        .await
        .expect(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_a_reset_waits_for_another_agent() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    desk.sign_in(Agent::Lead).await;
    // helpdesk:reset is the lead's: the agent may only ask for one, which a lead approves.
    let asked = desk
        .admin(&with(&["reset", ENROLLED, "--json"], &CHECKED))
        .await
        .expect(8)
        .json();
    assert_eq!(asked["status"], "pending_approval");
    let asked = asked["approval_id"].as_str().unwrap().to_owned();
    let waiting = desk
        .lead(&with(&["reset", ENROLLED, "--json"], &CHECKED))
        .await
        .expect(8);
    let pending = waiting.json();
    assert_eq!(pending["status"], "pending_approval");
    assert!(
        pending.get("error").is_none(),
        "waiting is not an error: {pending}"
    );
    let approval = pending["approval_id"].as_str().unwrap().to_owned();
    assert_eq!(
        desk.auth0_requests("DELETE", "/authentication-methods")
            .await,
        0,
        "nothing changed yet"
    );

    let listed = desk.lead(&["approvals", "--json"]).await.expect(0).json();
    assert!(
        listed["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == approval.as_str()),
        "{listed}"
    );
    desk.admin(&["approvals"]).await.expect(4);
    let own = desk.lead(&["approve", &approval, "--json"]).await.expect(4);
    assert_eq!(own.json()["error"]["code"], "self_approval");
    desk.admin(&["approve", &approval]).await.expect(4);
    desk.lead(&["refuse", "apr_0000000000000000", "--reason", "no"])
        .await
        .expect(3);
    // The lead's own request can be refused by nobody but another approver; the agent asks
    // for nothing with four eyes here, so the refusal path is the lead's on its own: refused.
    desk.lead(&["refuse", &approval, "--reason", "wrong caller"])
        .await
        .expect(4);

    let listed = desk.lead(&["approvals", "--json"]).await.expect(0).json();
    let theirs = listed["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == asked.as_str())
        .expect("the agent's request is listed")
        .clone();
    assert_eq!(
        theirs["verified_by"], "callback_directory_number",
        "{theirs}"
    );
    assert_eq!(theirs["caller_email"], ENROLLED, "{theirs}");
    desk.lead(&["approve", &asked]).await.expect(0);
    assert!(
        desk.auth0_requests("DELETE", "/authentication-methods")
            .await
            > 0,
        "carried out once approved"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stolen_phone_playbook_plans_resumes_and_repeats_nothing() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    let plan = desk
        .admin(&[
            "secure",
            PUSH_USER,
            "--reason",
            "stolen phone",
            "--dry-run",
            "--json",
        ])
        .await
        .expect(0)
        .json();
    let actions: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"end_sessions"));
    assert_eq!(
        &actions[actions.len() - 2..],
        ["forget_browsers", "issue_recovery_code"]
    );
    assert!(
        actions.iter().filter(|a| **a == "remove_method").count() >= 2,
        "the phone's push and app: {plan}"
    );
    assert_eq!(
        desk.auth0_requests("DELETE", "").await,
        0,
        "a dry run changes nothing"
    );
    let text = desk
        .admin(&["secure", PUSH_USER, "--reason", "stolen phone", "--dry-run"])
        .await
        .expect(0);
    assert!(
        text.stdout
            .contains("1. end every session and refresh token"),
        "{text:?}"
    );

    // The connection drops after Auth0 forgot the browsers: interrupted there.
    let browsers = format!(
        "/api/v2/users/{}/multifactor/actions/invalidate-remember-browser",
        enc(PUSH_USER_USER_ID)
    );
    desk.control
        .add_fault(&Fault::drop_connection(&browsers).after_handling())
        .await
        .unwrap();
    let run_args = [
        "secure",
        PUSH_USER,
        "--reason",
        "stolen phone",
        "--verified-by",
        "in_person",
        "--json",
    ];
    let stopped = desk.admin(&run_args).await.expect(5);
    assert!(
        stopped.stderr.contains("Run the same command again"),
        "{stopped:?}"
    );
    assert!(
        desk.playbook_dir().read_dir().unwrap().count() == 1,
        "the progress is kept"
    );
    let removals = desk
        .auth0_requests("DELETE", "/authentication-methods/")
        .await;

    let finished = desk.admin(&run_args).await.expect(0).json();
    assert_eq!(finished["resumed"], true);
    assert!(
        finished["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "done"),
        "{finished}"
    );
    assert_eq!(
        desk.auth0_requests("DELETE", "/sessions").await,
        1,
        "sessions ended once"
    );
    assert_eq!(
        desk.auth0_requests("DELETE", "/authentication-methods/")
            .await,
        removals,
        "no removal repeated"
    );
    let code = finished["recovery_code"].as_str().unwrap();
    assert_eq!(
        desk.control
            .recovery_code(PUSH_USER)
            .await
            .unwrap()
            .as_deref(),
        Some(code)
    );
    assert_eq!(
        desk.playbook_dir().read_dir().unwrap().count(),
        0,
        "nothing left to resume"
    );
    let methods = desk
        .admin(&["methods", PUSH_USER, "--json"])
        .await
        .expect(0)
        .json();
    assert!(
        methods["methods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["type"] != "push" && m["type"] != "totp"),
        "{methods}"
    );
}

/// A listener that counts the connections it gets: "nothing was sent" is no connection.
fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_new_argument_refuses_bad_input_and_sends_nothing() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    let (url, connections) = counting_listener();
    let long = "x".repeat(2000);
    let cases: Vec<Vec<&str>> = vec![
        vec!["end-sessions", ENROLLED, "--reason", "r"],
        vec![
            "end-sessions",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "vibes",
        ],
        vec![
            "end-sessions",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "other",
        ],
        vec![
            "end-sessions",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "other",
            "--note",
            "two\nlines",
        ],
        vec![
            "end-sessions",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "other",
            "--note",
            &long,
        ],
        vec![
            "end-sessions",
            ENROLLED,
            "--reason",
            "two\nlines",
            "--verified-by",
            "in_person",
        ],
        vec![
            "unblock",
            ENROLLED,
            "--reason",
            "r",
            "--verification",
            "ver_x; DROP",
        ],
        vec![
            "unblock",
            ENROLLED,
            "--reason",
            "r",
            "--verification",
            "apr_123",
        ],
        vec![
            "unblock",
            ENROLLED,
            "--reason",
            "r",
            "--verification",
            "ver_1",
            "--verified-by",
            "push",
        ],
        vec![
            "unblock",
            "not-a-user",
            "--reason",
            "r",
            "--verified-by",
            "push",
        ],
        vec![
            "ticket",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "in_person",
            "--locale",
            "français",
        ],
        vec![
            "ticket",
            ENROLLED,
            "--reason",
            "r",
            "--verified-by",
            "in_person",
            "--locale",
            "EN",
        ],
        vec!["verify", ENROLLED, "--reason", "r"],
        vec![
            "verify",
            ENROLLED,
            "--push",
            "--verified-by",
            "in_person",
            "--reason",
            "r",
        ],
        vec![
            "verify",
            ENROLLED,
            "--push",
            "--reason",
            "\u{202e}evil\u{0007}",
        ],
        vec!["events", "ana"],
        vec!["approve", "12345"],
        vec!["approve", &long],
        vec!["refuse", "apr_1", "--reason", "  "],
        vec![
            "secure",
            ENROLLED,
            "--reason",
            "r",
            "--lost-method",
            "not a method",
            "--dry-run",
        ],
        vec![
            "secure",
            ENROLLED,
            "--reason",
            "r",
            "--then",
            "pigeon",
            "--dry-run",
        ],
        vec!["secure", ENROLLED, "--reason", "r"],
        vec!["--operator", "someone", "methods", ENROLLED],
    ];
    for args in &cases {
        let mut command = desk.command(Agent::Agent, args);
        command.args(["--service", &url]);
        let refused = run(command).await;
        assert_eq!(refused.code, 2, "{args:?}: {refused:?}");
        assert!(
            refused.stderr.contains("nothing was sent"),
            "{args:?}: {refused:?}"
        );
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_has_help_with_the_exit_codes() {
    let desk = Desk::start().await;
    let top = desk.admin(&["--help"]).await.expect(0);
    for code in ["6 not", "7 the caller", "8 waiting"] {
        assert!(top.stdout.contains(code), "{code}: {}", top.stdout);
    }
    for command in [
        "login",
        "logout",
        "whoami",
        "events",
        "verify",
        "end-sessions",
        "unblock",
        "secure",
        "approvals",
        "approve",
        "refuse",
    ] {
        assert!(top.stdout.contains(command), "{command}");
        let help = desk.admin(&[command, "--help"]).await.expect(0);
        assert!(
            help.stdout
                .contains(&format!("Usage: mfa-desk-admin {command}")),
            "{help:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_is_down_exits_5_and_points_administrators_to_direct() {
    let desk = Desk::start().await;
    desk.sign_in(Agent::Agent).await;
    desk.stop();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let down = desk.admin(&["methods", ENROLLED, "--json"]).await.expect(5);
    assert!(down.stderr.contains("--direct"), "{down:?}");
    assert_eq!(down.json()["error"]["code"], "network");
    // Without the flags and without IT's configuration there is no service to find.
    let mut unconfigured = std::process::Command::new(BIN);
    unconfigured
        .args(["methods", ENROLLED])
        .env(
            "MFA_DESK_SYSTEM_CONFIG",
            desk.data.path().join("absent.json"),
        )
        .env(
            "MFA_DESK_USER_CONFIG",
            desk.data.path().join("absent-user.json"),
        )
        .env_remove("MFA_DESK_ADMIN_SERVICE")
        .env_remove("MFA_DESK_ADMIN_API");
    let refused = run(unconfigured).await.expect(2);
    assert!(
        refused.stderr.contains("helpdesk.service_url"),
        "{refused:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_agent_approves_or_refuses_and_the_playbook_hands_a_step_over() {
    use helpdesk_service::actions::Action;
    let desk = Desk::start_with(|config| {
        config.rules.four_eyes = vec![Action::RemoveMethod, Action::IssueRecoveryCode];
    })
    .await;
    desk.sign_in(Agent::Agent).await;
    desk.sign_in(Agent::Lead).await;
    let asked = desk
        .admin(&with(&["recovery-code", ENROLLED, "--json"], &CHECKED))
        .await
        .expect(8);
    assert!(asked.stderr.contains("approvals"), "{asked:?}");
    let id = asked.json()["approval_id"].as_str().unwrap().to_owned();
    let before = desk.control.recovery_code(ENROLLED).await.unwrap();

    let listed = desk.lead(&["approvals"]).await.expect(0);
    assert!(
        listed.stdout.contains(&id) && listed.stdout.contains("issue_recovery_code"),
        "{listed:?}"
    );
    desk.admin(&["approve", &id]).await.expect(4);
    let approved = desk
        .lead(&["approve", &id, "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(
        (
            approved["approval_id"].as_str(),
            approved["status"].as_str()
        ),
        (Some(id.as_str()), Some("done"))
    );
    let code = approved["recovery_code"].as_str().unwrap();
    assert_ne!(Some(code.to_owned()), before);
    assert_eq!(
        desk.control
            .recovery_code(ENROLLED)
            .await
            .unwrap()
            .as_deref(),
        Some(code)
    );
    desk.lead(&["approve", &id]).await.expect(4);

    let second = desk
        .admin(&with(
            &["recovery-code", ENROLLED, "--replace", "--json"],
            &CHECKED,
        ))
        .await
        .expect(8)
        .json();
    let second = second["approval_id"].as_str().unwrap();
    let refused = desk
        .lead(&["refuse", second, "--reason", "not the caller", "--json"])
        .await
        .expect(0)
        .json();
    assert_eq!(
        (
            refused["status"].as_str(),
            refused["decision_reason"].as_str()
        ),
        (Some("refused"), Some("not the caller"))
    );

    // The playbook hands its four-eyes steps over and carries on with the rest (exit 8).
    let secured = desk
        .admin(&[
            "secure",
            PUSH_USER,
            "--reason",
            "stolen phone",
            "--verified-by",
            "in_person",
            "--json",
        ])
        .await
        .expect(8)
        .json();
    let statuses: Vec<&str> = secured["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"done"), "{secured}");
    assert!(statuses.contains(&"pending_approval"), "{secured}");
    assert_eq!(
        statuses[statuses.len() - 2],
        "done",
        "browsers forgotten: {secured}"
    );
    assert_eq!(
        desk.playbook_dir().read_dir().unwrap().count(),
        0,
        "nothing left to resume"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_older_than_it_allows_means_signing_in_again() {
    let desk = Desk::start_with(|config| config.agents.max_sign_in_age_secs = 60).await;
    // The tenant's clock two minutes behind: the sign-in it stamps is already too old.
    desk.control.advance_clock(-120).await.unwrap();
    desk.sign_in(Agent::Agent).await;
    let stale = desk.admin(&["methods", ENROLLED, "--json"]).await.expect(6);
    assert_eq!(stale.json()["error"]["code"], "agent_sign_in_too_old");
    assert!(stale.stderr.contains("mfa-desk-admin login"), "{stale:?}");
}
