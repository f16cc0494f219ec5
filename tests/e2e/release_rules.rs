//! The rules of an installed (release) app, in the real app of a test build with its hooks
//! turned off (`MFA_DESK_TEST_RELEASE_RULES`, see `src-tauri/src/test_hooks.rs`): the
//! environment cannot name IT's configuration, and nothing is saved without the save dialog.
//!
//! `scripts/check-package` runs the `installed_app_*` tests on the release build the .deb
//! installed, as root, with IT's file at its real place (`/etc/mfa-desk/config.json`, which
//! these tests write and remove again): the two checks above, IT's file winning over one the
//! environment names, and helpdesk mode through the test's helpdesk service: a caller's code
//! after ending helpdesk mode, signing out and a kill; a locked screen; and, in one five-minute
//! wait, a copy read back by another program, the session's maximum length and a browser
//! sign-in's loopback port closing at its deadline. A release build has no hooks: the limits
//! are IT's (`helpdesk.max_session_minutes`) or the app's own.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{ensure, Context, Result};
use auth0_emulator::demo::{HELPDESK_AGENT, PUSH_USER};
use serde_json::json;

use super::harness::{grouped, run_with, tid, E2e, Lang, Options, DEMO_RECOVERY_CODE, ENROLLED};
use super::helpdesk::{
    agent_signs_in, callers_code_dies_with_the_session, code_is_gone, issue_code_for,
    managed_helpdesk, screen_lock_ends_the_session,
};
use super::tenant;
use super::x11_clipboard::{clipboard_text, clipboard_types};

fn release_rules(mut options: Options) -> Options {
    options
        .env
        .push(("MFA_DESK_TEST_RELEASE_RULES".into(), "1".into()));
    options
}

/// The release binary the .deb installed (run by scripts/check-package).
fn installed(mut options: Options) -> Options {
    let app = std::env::var("MFA_DESK_INSTALLED_APP").expect("MFA_DESK_INSTALLED_APP");
    options.app = Some(PathBuf::from(app));
    options
}

/// A configuration that turns helpdesk mode on through the test's helpdesk service, for the
/// test's tenant, in the file `MFA_DESK_SYSTEM_CONFIG` names (the harness sets it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_environment_named_configuration_is_not_it_s() {
    environment_named_configuration_ignored(release_rules(env_config())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package after installing the .deb, with no /etc/mfa-desk/config.json"]
async fn installed_app_ignores_an_environment_named_configuration() {
    environment_named_configuration_ignored(installed(env_config())).await;
}

fn env_config() -> Options {
    Options {
        args: Some(vec![]),
        managed_config: Some(json!({
            "organization": "Not IT",
            "domain": "$EMULATOR",
            "client_id": "mfa-desk-demo",
            "helpdesk": {
                "service_url": "$HELPDESK_SERVICE",
                "api_identifier": auth0_emulator::demo::HELPDESK_API
            }
        })),
        ..Options::default()
    }
}

async fn environment_named_configuration_ignored(options: Options) {
    run_with(
        "release_env_config",
        Lang::En,
        tenant(),
        options,
        async |e| {
            // Nothing of it is read: no tenant, no helpdesk mode; the screen says IT's file is
            // missing from its own place.
            e.wait_screen("config-error").await?;
            let state = e.invoke("app_state", json!({})).await?;
            let state = state.map_err(|err| anyhow::anyhow!("app_state: {err}"))?;
            ensure!(
                state["tenant"].is_null(),
                "a tenant was configured: {state}"
            );
            ensure!(
                state["helpdeskMode"] == false,
                "helpdesk mode is on: {state}"
            );
            ensure!(
                !state.to_string().contains("Not IT"),
                "the environment's file was read: {state}"
            );
            ensure!(
                e.refused_with("helpdesk_status", json!({})).await? == "helpdesk_not_configured",
                "helpdesk commands answer"
            );
            e.shot("config-error-env-ignored").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_a_recovery_code_always_asks_where() {
    no_silent_save(release_rules(Options::default())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package after installing the .deb"]
async fn installed_app_saves_a_recovery_code_only_through_the_dialog() {
    no_silent_save(installed(Options::default())).await;
}

async fn no_silent_save(options: Options) {
    run_with(
        "release_no_silent_save",
        Lang::En,
        tenant(),
        options,
        async |e| {
            e.sign_in(ENROLLED).await?;
            e.wait_for("verify-step-pick").await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            e.fill("recovery-input", &grouped(DEMO_RECOVERY_CODE))
                .await?;
            e.click("recovery-submit").await?;
            e.wait_for("export-dialog").await?;
            e.click("export-save").await?;
            // The native save dialog is open (the test cannot answer it): nothing was written
            // in the folder the test hook would have used, and the button is not marked done.
            tokio::time::sleep(Duration::from_secs(3)).await;
            let written: Vec<_> = std::fs::read_dir(&e.save_dir)?.flatten().collect();
            ensure!(written.is_empty(), "saved without asking: {written:?}");
            ensure!(
                e.attr("export-save", "data-done").await?.is_none(),
                "the save is marked done"
            );
            ensure!(
                !e.is_visible(&format!("{}[data-done=\"true\"]", tid("export-save")))
                    .await,
                "the save is marked done"
            );
            Ok(())
        },
    )
    .await;
}

/// `MFA_DESK_ADMIN_SECRET` in the app's environment (a script of IT's left it there) never
/// reaches WebKit's processes: the app takes it out before starting anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_secret_is_not_passed_on() {
    let mut options = Options::default();
    options.env.push((
        "MFA_DESK_ADMIN_SECRET".into(),
        "planted-admin-secret".into(),
    ));
    run_with("admin_secret_env", Lang::En, tenant(), options, async |e| {
        e.wait_screen("signin").await?;
        let children = e.app_children_environ();
        ensure!(!children.is_empty(), "no WebKit process found");
        for (program, vars) in children {
            ensure!(
                !vars.iter().any(|v| v.starts_with("MFA_DESK_ADMIN_SECRET=")),
                "{} inherited MFA_DESK_ADMIN_SECRET",
                program.display()
            );
        }
        Ok(())
    })
    .await;
}

// ------------------------------------------------------------------ IT's file, installed

/// Where the installed app reads IT's file (Linux).
const SYSTEM_FILE: &str = "/etc/mfa-desk/config.json";

/// Removes IT's file a test wrote when the test ends, passed or not: the next installed tests
/// expect none.
struct RemoveSystemFile;

impl Drop for RemoveSystemFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(SYSTEM_FILE);
    }
}

/// The installed app with `settings` as IT's file at its real place.
fn installed_with_its_file(settings: serde_json::Value) -> (Options, RemoveSystemFile) {
    let options = Options {
        args: Some(vec![]),
        real_system_config: true,
        managed_config: Some(settings),
        ..Options::default()
    };
    (installed(options), RemoveSystemFile)
}

/// IT's file names the tenant and no helpdesk; a file the environment names (and a drop-in
/// beside it) names another organisation and helpdesk mode through the test's service. The
/// installed app shows IT's organisation and offers no helpdesk mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package as root after installing the .deb"]
async fn installed_app_prefers_it_s_file_to_one_the_environment_names() {
    let mut its = managed_helpdesk();
    its.as_object_mut().expect("an object").remove("helpdesk");
    let (mut options, _remove) = installed_with_its_file(its);
    let elsewhere = tempfile::tempdir().expect("a folder");
    // Another tenant and another service, both real-looking: read, they would show.
    let mut not_its = managed_helpdesk();
    not_its["organization"] = json!("Not IT");
    not_its["domain"] = json!("not-it.eu.auth0.com");
    not_its["helpdesk"]["service_url"] = json!("https://helpdesk.not-it.example");
    let named = elsewhere.path().join("config.json");
    std::fs::write(&named, not_its.to_string()).expect("written");
    std::fs::create_dir(elsewhere.path().join("config.d")).expect("a folder");
    std::fs::write(
        elsewhere.path().join("config.d/90-not-it.json"),
        json!({"organization": "Not IT either", "helpdesk": not_its["helpdesk"]}).to_string(),
    )
    .expect("written");
    options
        .env
        .push(("MFA_DESK_SYSTEM_CONFIG".into(), named.display().to_string()));
    run_with(
        "installed_its_file",
        Lang::En,
        tenant(),
        options,
        async |e| {
            e.wait_screen("signin").await?;
            let organisation = e.text("signin-tenant").await?;
            ensure!(
                organisation.contains("Acme Corporation") && !organisation.contains("Not IT"),
                "the sign-in screen shows {organisation:?}"
            );
            ensure!(
                !e.is_visible(&tid("helpdesk-entry")).await,
                "helpdesk mode is offered"
            );
            let state = e.invoke("app_state", json!({})).await?;
            let state = state.map_err(|err| anyhow::anyhow!("app_state: {err}"))?;
            ensure!(
                state["helpdeskMode"] == false && !state.to_string().contains("Not IT"),
                "the environment's file was read: {state}"
            );
            ensure!(
                e.refused_with("helpdesk_status", json!({})).await? == "helpdesk_not_configured",
                "helpdesk commands answer"
            );
            e.shot("installed-its-file-wins").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ helpdesk mode, installed

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package as root after installing the .deb"]
async fn installed_app_drops_a_callers_code_with_the_helpdesk_session() {
    let (options, _remove) = installed_with_its_file(managed_helpdesk());
    run_with(
        "installed_code_lifetime",
        Lang::En,
        tenant(),
        options,
        callers_code_dies_with_the_session,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package as root after installing the .deb"]
async fn installed_app_ends_helpdesk_mode_when_the_screen_locks() {
    let (options, _remove) = installed_with_its_file(managed_helpdesk());
    run_with(
        "installed_screen_lock",
        Lang::En,
        tenant(),
        options,
        screen_lock_ends_the_session,
    )
    .await;
}

/// The shortest session IT may set (`helpdesk.max_session_minutes`, 5 to 480): a release
/// build has no hook for a shorter limit. Its 15-minute idle limit is left to the debug
/// build's test (`MFA_DESK_TEST_HELPDESK_IDLE_SECS`): waiting it out here would cost CI a
/// quarter of an hour, and the idle limit and the maximum length end a session the same way.
const SHORTEST_SESSION: Duration = Duration::from_secs(5 * 60);

/// How late a deadline may be seen: limits are checked every second, and the screen follows.
const LATE: Duration = Duration::from_secs(20);

/// Nothing outlives its deadline, with nobody at the computer. The agent copies a caller's
/// code: another program reads it back, marked for clipboard managers to leave out, and it
/// is gone from the clipboard 30 seconds later. A script starts a browser sign-in nobody
/// finishes. Then nothing is touched: the helpdesk session ends at IT's five minutes (the
/// screen cleared, the code gone), and the sign-in's loopback port closes at its own
/// five-minute deadline, not before. One wait covers both deadlines, to keep CI short.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package as root after installing the .deb (takes 6 minutes)"]
async fn installed_app_lets_nothing_outlive_its_deadline() {
    let mut settings = managed_helpdesk();
    settings["sign_in"] = json!("browser");
    settings["helpdesk"]["max_session_minutes"] = json!(SHORTEST_SESSION.as_secs() / 60);
    let (options, _remove) = installed_with_its_file(settings);
    run_with(
        "installed_deadlines",
        Lang::En,
        tenant(),
        options,
        nothing_outlives_its_deadline,
    )
    .await;
}

async fn nothing_outlives_its_deadline(e: &mut E2e) -> Result<()> {
    // The session begins after this instant, so it cannot have lasted longer than this has.
    let before_session = Instant::now();
    agent_signs_in(e, HELPDESK_AGENT).await?;
    let code = issue_code_for(e, PUSH_USER).await?;

    e.click("export-copy").await?;
    e.wait_css(&format!("{}[data-done=\"true\"]", tid("export-copy")))
        .await?;
    let copied = Instant::now();
    ensure!(
        clipboard_text().replace(' ', "") == code,
        "another program does not read the caller's code from the clipboard"
    );
    let types = clipboard_types();
    ensure!(
        types.iter().any(|t| t == "x-kde-passwordManagerHint"),
        "the copy is not marked as a secret for clipboard managers: {types:?}"
    );

    let texts = json!({"texts": {"lang": "en", "title": "t", "doneHeading": "d",
        "doneBody": "d", "failedHeading": "f", "failedBody": "f",
        "foreignHeading": "o", "foreignBody": "o"}});
    let seen = e.opened_urls().len();
    let started = e
        .invoke("browser_sign_in_start", texts)
        .await?
        .map_err(|err| anyhow::anyhow!("browser_sign_in_start: {err}"))?;
    let expires_at = started["expiresAt"].as_u64().context("expiresAt")?;
    let port = loopback_port(&e.wait_opened_url(seen).await?)?;
    let open = || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
    ensure!(open(), "the sign-in's loopback port is not open");

    // 30 seconds after the copy, the clipboard no longer holds the code.
    while clipboard_text().replace(' ', "") == code {
        ensure!(
            copied.elapsed() < Duration::from_secs(30) + LATE,
            "the caller's code is still on the clipboard"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // IT's maximum length: the screen is cleared by itself, saying why.
    let left = SHORTEST_SESSION.saturating_sub(before_session.elapsed());
    e.wait_css_for(&tid("screen-helpdesk-entry"), left + LATE)
        .await?;
    ensure!(
        before_session.elapsed() >= SHORTEST_SESSION,
        "the session ended after {:?}, before IT's maximum",
        before_session.elapsed()
    );
    e.wait_error("helpdesk_session_too_long").await?;
    e.shot("installed-session-too-long").await?;
    code_is_gone(e, &code, "caller_code_gone").await?;

    // The loopback port: open until its deadline, closed soon after.
    loop {
        let now = unix_now();
        if !open() {
            ensure!(
                now + 2 >= expires_at,
                "the loopback port closed {} s before its deadline",
                expires_at - now
            );
            return Ok(());
        }
        ensure!(
            now <= expires_at + LATE.as_secs(),
            "the loopback port is still open {} s after its deadline",
            now - expires_at
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The port of the loopback `redirect_uri` a browser sign-in's address names.
fn loopback_port(authorize: &url::Url) -> Result<u16> {
    let redirect = authorize
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .context("no redirect_uri")?;
    url::Url::parse(&redirect)?
        .port()
        .context("no port in the redirect_uri")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
