//! The configuration IT ships: the app reads the managed file, shows that organisation,
//! offers only the factors IT allows, locks the language IT chose and shows its helpdesk;
//! a broken file stops the app on a screen that names the file and the setting. The last
//! test drives the app installed from the .deb (run by scripts/check-package).

use std::path::PathBuf;

use anyhow::{ensure, Result};
use serde_json::json;

use super::harness::{run_with, tid, E2e, Lang, Options, ENROLLED};
use super::tenant;

/// A managed configuration for the test's emulator, as IT would write it.
fn managed_config() -> serde_json::Value {
    json!({
        "organization": "Acme Corporation",
        "domain": "$EMULATOR",
        "client_id": "mfa-desk-demo",
        "realm": "Username-Password-Authentication",
        "factors": ["otp", "email"],
        "language": "ja",
        "helpdesk_text": "IT Helpdesk, extension 4357",
        "helpdesk_url": "https://helpdesk.acme.example/mfa"
    })
}

/// The sign-in screen shows IT's organisation, in IT's language, which cannot be changed.
async fn shows_the_managed_tenant(e: &mut E2e) -> Result<()> {
    e.wait_screen("signin").await?;
    let tenant = e.text("signin-tenant").await?;
    ensure!(
        tenant.contains("Acme Corporation"),
        "organisation not shown: {tenant:?}"
    );
    ensure!(
        e.html_lang().await? == "ja",
        "the managed language is not applied"
    );
    ensure!(
        e.is_visible(&tid("lang-managed")).await,
        "the language lock is not explained"
    );
    ensure!(
        !e.is_enabled("lang-select").await?,
        "the managed language can be changed"
    );
    ensure!(
        !e.is_visible(&tid("demo-inbox")).await,
        "a managed tenant is not a demo"
    );
    e.shot("signin-managed").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_configuration_sets_tenant_factors_language_and_helpdesk() {
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(managed_config()),
        ..Options::default()
    };
    // The system says English; the managed file says Japanese, and wins.
    run_with(
        "managed_configuration",
        Lang::En,
        tenant(),
        options,
        async |e| {
            shows_the_managed_tenant(e).await?;

            let email = e.create_user("managed").await?;
            e.sign_in(&email).await?;
            e.wait_for("enroll-step-kind").await?;
            for (kind, offered) in [
                ("otp", true),
                ("email", true),
                ("sms", false),
                ("voice", false),
                ("push", false),
            ] {
                let shown = e.is_visible(&tid(&format!("enroll-kind-{kind}"))).await;
                ensure!(
                    shown == offered,
                    "enroll kind {kind}: shown {shown}, IT allows it: {offered}"
                );
            }
            e.shot("enroll-managed-kinds").await?;
            e.sign_out().await?;

            e.sign_in(ENROLLED).await?;
            e.wait_for("verify-step-pick").await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            let help = e.text("helpdesk").await?;
            ensure!(
                help.contains("IT Helpdesk, extension 4357"),
                "helpdesk not shown: {help:?}"
            );
            e.shot("recover-helpdesk").await
        },
    )
    .await;
}

/// Where IT signs people in with a username, the first screen asks for one from its first
/// frame (first-paint.js draws it from index.html's template, for IT's settings) and refuses
/// at the field what a username cannot be.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_username_tenant_asks_for_a_username() {
    let mut config = managed_config();
    config["username"] = json!("username");
    config.as_object_mut().unwrap().remove("language");
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(config),
        ..Options::default()
    };
    run_with("managed_username", Lang::En, tenant(), options, async |e| {
        e.wait_screen("signin").await?;
        e.expect_text_css("label[for=\"signin-user\"]", "signin.usernameLabel")
            .await?;
        e.expect_text("signin-username-empty", "signin.emptyUsername")
            .await?;
        ensure!(
            e.attr("signin-username", "inputmode").await?.is_none(),
            "a username field asks for an email keyboard"
        );
        e.fill("signin-username", "jane doe").await?;
        e.fill("signin-password", "not sent").await?;
        e.click("signin-submit").await?;
        super::bad_input::expect_refused(
            e,
            "signin-username",
            "signin-username-error",
            "username_has_spaces",
        )
        .await?;
        e.shot("signin-managed-username").await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_managed_configuration_names_the_file_and_the_setting() {
    let mut config = managed_config();
    config["factors"] = json!(["otp", "fax"]);
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(config),
        ..Options::default()
    };
    run_with(
        "broken_managed_configuration",
        Lang::En,
        tenant(),
        options,
        async |e| {
            e.wait_screen("config-error").await?;
            let (file, key) = (
                e.text("config-error-file").await?,
                e.text("config-error-key").await?,
            );
            ensure!(
                file.ends_with("managed/config.json"),
                "file not named: {file:?}"
            );
            ensure!(key == "factors", "setting not named: {key:?}");
            let problem = e.text("config-error-problem").await?;
            ensure!(
                problem.contains("fax"),
                "the problem does not say what is wrong: {problem:?}"
            );
            e.shot("config-error-managed").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_leaves_the_first_window_in_charge() {
    run_with(
        "single_instance",
        Lang::En,
        tenant(),
        Options::default(),
        async |e| {
            e.sign_in(ENROLLED).await?;
            e.wait_for("verify-step-pick").await?;
            let status = e.launch_again()?;
            ensure!(status.success(), "the second launch failed: {status}");
            ensure!(e.app_pids().len() == 1, "two apps run: {:?}", e.app_pids());
            // The first window kept its state: still on the verify step.
            e.wait_for("verify-step-pick").await?;
            Ok(())
        },
    )
    .await;
}

/// The app installed from the .deb, with the managed file at /etc/mfa-desk/config.json.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package after installing the .deb"]
async fn installed_app_starts_with_the_managed_configuration() {
    let app =
        PathBuf::from(std::env::var("MFA_DESK_INSTALLED_APP").expect("MFA_DESK_INSTALLED_APP"));
    let options = Options {
        args: Some(vec![]),
        app: Some(app),
        real_system_config: true,
        managed_config: Some(managed_config()),
        ..Options::default()
    };
    run_with(
        "installed_app",
        Lang::En,
        tenant(),
        options,
        shows_the_managed_tenant,
    )
    .await;
}
