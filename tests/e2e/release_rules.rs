//! The rules of an installed (release) app, in the real app of a test build with its hooks
//! turned off (`MFA_DESK_TEST_RELEASE_RULES`, see `src-tauri/src/test_hooks.rs`): the
//! environment cannot name IT's configuration, and nothing is saved without the save dialog.
//! `scripts/check-package` runs the same two checks on the release build the .deb installed.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::ensure;
use serde_json::json;

use super::harness::{grouped, run_with, tid, Lang, Options, DEMO_RECOVERY_CODE, ENROLLED};
use super::tenant;

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
