//! Browser sign-in and the lost-device path, in the real WebView. With `sign_in: "browser"`
//! in the managed configuration the app opens the tenant's `/authorize` in "the system
//! browser" (the harness's test `xdg-open`, see `harness/browser.rs`); the test plays the
//! person's browser on the local Auth0's hosted pages and decides when the callback arrives.

use anyhow::{ensure, Context, Result};
use auth0_emulator::Tenant;
use mfa_core::secret_store::refresh_token_key;
use serde_json::{json, Value};

use super::harness::{
    run_with, tid, E2e, Keep, Lang, Options, DEMO_RECOVERY_CODE, ENROLLED, PASSWORD,
};
use super::tenant;

/// IT's configuration for the test's emulator, signing people in through the browser.
fn browser_config() -> Value {
    json!({
        "organization": "Acme Corporation",
        "domain": "$EMULATOR",
        "client_id": "mfa-desk-demo",
        "sign_in": "browser",
        "helpdesk_text": "IT Helpdesk, extension 4357"
    })
}

fn browser_options() -> Options {
    Options {
        args: Some(vec![]),
        managed_config: Some(browser_config()),
        ..Options::default()
    }
}

/// The demo tenant, letting the MFA-API access token confirm a new authenticator (spec §2.4,
/// an emulator setting; the core tests cover the tenant that refuses it).
fn tenant_confirming_with_access_tokens() -> Tenant {
    let mut tenant = tenant();
    tenant.settings.confirm_with_access_token = true;
    tenant
}

/// From the sign-in screen: "Continue in your browser", then the waiting screen.
async fn continue_in_browser(e: &mut E2e) -> Result<()> {
    e.wait_for("browser-continue").await?;
    e.click("browser-continue").await?;
    e.wait_screen("browser-wait").await?;
    e.wait_css(&format!(
        "{}[data-purpose=\"browser-expiry\"]",
        tid("countdown")
    ))
    .await?;
    Ok(())
}

/// The code in a callback address.
fn code_of(callback: &url::Url) -> Result<String> {
    callback
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .context("the callback carries no code")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_then_remove_a_method_and_add_one() {
    run_with(
        "browser_sign_in_manage",
        Lang::En,
        tenant_confirming_with_access_tokens(),
        browser_options(),
        async |e| {
            e.wait_screen("signin").await?;
            ensure!(
                !e.is_visible(&tid("signin-form")).await,
                "the password form is offered although IT chose browser sign-in"
            );
            e.shot("signin-browser").await?;
            continue_in_browser(e).await?;
            e.expect_heading("browser.waitTitle").await?;
            e.shot("browser-wait").await?;

            let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_home_row("otp").await?;
            e.wait_home_row("sms").await?;
            let account = e.text("header-account").await?;
            ensure!(account.contains(ENROLLED), "who is signed in: {account:?}");
            e.shot("home-browser").await?;

            // Remove the phone: the dialog says its calls go with its text messages.
            let sms_row = format!("{}[data-kind=\"sms\"]", tid("authenticator-row"));
            e.click_css(&format!("{sms_row} button[data-testid^=\"remove-\"]"))
                .await?;
            e.wait_for("remove-dialog").await?;
            e.expect_text("remove-cascade", "remove.cascadePhone")
                .await?;
            e.click("confirm-remove").await?;
            e.wait_gone(&sms_row).await?;
            e.wait_gone(&format!(
                "{}[data-kind=\"voice\"]",
                tid("authenticator-row")
            ))
            .await?;

            // Add an email address with the access token.
            e.click("add-method").await?;
            e.wait_for("enroll-kind-email").await?;
            e.click("enroll-kind-email").await?;
            e.fill("email-input", "ana.second@example.com").await?;
            e.click("email-continue").await?;
            e.wait_for("enroll-step-code").await?;
            e.submit_code(&e.outbox_code("email").await?).await?;
            e.wait_home_row("email").await?;
            e.expect_text_css(&format!("{} span", tid("home-notice")), "home.enrolled")
                .await?;
            e.shot("home-browser-added").await?;

            ensure!(
                e.keyring_get(&refresh_token_key(&e.domain(), ENROLLED))?
                    .is_none(),
                "a refresh token was kept after a browser sign-in"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_denied_then_a_foreign_callback_is_ignored() {
    run_with(
        "browser_denied_foreign",
        Lang::En,
        tenant(),
        browser_options(),
        async |e| {
            // Denied: the person cancels on the hosted page.
            e.wait_screen("signin").await?;
            continue_in_browser(e).await?;
            let (mut browser, url) = e.browser_opened(0).await?;
            browser.open(url.as_str()).await?;
            let callback = browser.cancel().await?.callback()?.clone();
            e.deliver_callback(&browser, &callback, "failed").await?;
            e.wait_error("browser_sign_in_denied").await?;
            e.wait_for("browser-retry").await?;
            e.shot("browser-denied").await?;

            // A callback for another sign-in is refused; the real one still signs in.
            e.click("browser-retry").await?;
            let (browser, callback) = e.hosted_sign_in_with_otp(1, ENROLLED).await?;
            let mut forged = callback.clone();
            forged
                .query_pairs_mut()
                .clear()
                .append_pair("code", &code_of(&callback)?)
                .append_pair("state", "an-older-sign-in");
            e.deliver_callback(&browser, &forged, "foreign").await?;
            e.wait_css(&format!(
                "{}[data-code=\"browser_state_mismatch\"]",
                tid("browser-notice")
            ))
            .await?;
            e.expect_text_css(
                &format!("{} span", tid("browser-notice")),
                "error.browser_state_mismatch",
            )
            .await?;
            ensure!(
                e.is_visible(&tid("browser-waiting")).await,
                "the app stopped waiting after a foreign callback"
            );
            e.shot("browser-foreign").await?;
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_home_row("otp").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_with_a_spent_code_then_cancel() {
    run_with(
        "browser_spent_cancel",
        Lang::En,
        tenant(),
        browser_options(),
        async |e| {
            // Someone redeems the code before the app (without the PKCE verifier).
            e.wait_screen("signin").await?;
            continue_in_browser(e).await?;
            let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
            let redirect_uri = format!(
                "http://127.0.0.1:{}/callback",
                callback.port().context("a port")?
            );
            let spent = reqwest::Client::new()
                .post(format!("{}/oauth/token", e.base_url()))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", "mfa-desk-demo"),
                    ("code", code_of(&callback)?.as_str()),
                    (
                        "code_verifier",
                        "not-the-verifier-of-this-sign-in-000000000000",
                    ),
                    ("redirect_uri", redirect_uri.as_str()),
                ])
                .send()
                .await?;
            ensure!(
                spent.status() == 403,
                "the stolen redemption was not refused"
            );
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_error("browser_code_rejected").await?;
            ensure!(
                e.screen().await == "browser-wait",
                "the app left the waiting screen"
            );
            e.shot("browser-code-rejected").await?;

            // Cancel: back to sign-in, and the listener is closed.
            e.click("browser-retry").await?;
            let url = e.wait_opened_url(1).await?;
            let redirect = url
                .query_pairs()
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| v.into_owned())
                .context("no redirect_uri")?;
            e.wait_for("browser-cancel").await?;
            e.click("browser-cancel").await?;
            e.wait_screen("signin").await?;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while reqwest::get(&redirect).await.is_ok() {
                ensure!(
                    std::time::Instant::now() < deadline,
                    "the loopback listener still answers after Cancel"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            e.shot("browser-cancelled").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_in_japanese() {
    run_with(
        "browser_sign_in_ja",
        Lang::Ja,
        tenant(),
        browser_options(),
        async |e| {
            e.wait_screen("signin").await?;
            e.expect_text("browser-continue", "browser.continue")
                .await?;
            e.shot("signin-browser-ja").await?;
            continue_in_browser(e).await?;
            e.expect_heading("browser.waitTitle").await?;
            e.shot("browser-wait-ja").await?;
            let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
            // The page the browser shows is in Japanese too (checked by deliver_callback).
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_home_row("otp").await?;
            e.expect_heading("home.title").await?;
            e.shot("home-browser-ja").await
        },
    )
    .await;
}

/// IT's configuration with password sign-in and a helpdesk contact.
fn password_options() -> Options {
    let mut config = browser_config();
    config["sign_in"] = json!("password");
    config["helpdesk_url"] = json!("https://helpdesk.acme.example/mfa");
    Options {
        args: Some(vec![]),
        managed_config: Some(config),
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_device_recovery_code_remove_the_phone_enroll_a_new_one() {
    run_with(
        "lost_device_path",
        Lang::En,
        tenant(),
        password_options(),
        async |e| {
            e.wait_screen("signin").await?;
            e.click("lost-device").await?;
            e.wait_screen("lost").await?;
            e.shot("lost-intro").await?;

            // Without a recovery code: the helpdesk, and what to tell them.
            e.click("lost-no-code").await?;
            e.wait_for("lost-what-to-say").await?;
            let help = e.text("helpdesk").await?;
            ensure!(
                help.contains("IT Helpdesk, extension 4357"),
                "helpdesk: {help:?}"
            );
            e.shot("lost-no-code").await?;
            // Rust opens IT's helpdesk address in the system browser.
            e.click("helpdesk-link").await?;
            let opened = e.wait_opened_url(0).await?;
            ensure!(
                opened.as_str() == "https://helpdesk.acme.example/mfa",
                "the helpdesk link opened {opened}"
            );
            e.click("lost-back").await?;

            // With it: sign in, the recovery code, save the new one.
            e.click("lost-have-code").await?;
            e.fill("lost-username", ENROLLED).await?;
            e.fill("lost-password", PASSWORD).await?;
            e.click("lost-signin-submit").await?;
            e.wait_screen("recover").await?;
            e.fill("recovery-input", DEMO_RECOVERY_CODE).await?;
            e.click("recovery-submit").await?;
            let new_code = e.export_recovery_code(ENROLLED, Keep::Save).await?;
            ensure!(
                new_code == e.recovery_code(ENROLLED).await?,
                "the dialog showed another code than the tenant's new one"
            );

            // Which did you lose? The phone: its authenticator app and its number.
            e.wait_css(&format!(
                "{}[data-step=\"which\"] {}",
                tid("screen-lost"),
                tid("lost-method")
            ))
            .await?;
            e.expect_text_css(
                &format!("li[data-kind=\"sms\"] {}", tid("lost-cascade")),
                "remove.cascadePhone",
            )
            .await?;
            e.shot("lost-which").await?;
            for kind in ["otp", "sms"] {
                e.click_css(&format!("{}[data-kind=\"{kind}\"]", tid("lost-method")))
                    .await?;
            }
            e.click("lost-remove").await?;
            e.wait_for("lost-replace").await?;
            e.wait_for("lost-nothing-left").await?;
            let listed = e.control().user_secrets(ENROLLED).await?.context("user")?;
            ensure!(
                listed.newest_otp().is_none(),
                "the lost authenticator app is still enrolled"
            );
            e.shot("lost-replace").await?;

            // A new authenticator app; then the summary.
            e.click("lost-replace").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            e.submit_code(&e.totp_now(ENROLLED).await?).await?;
            e.wait_css(&format!("{}[data-step=\"summary\"]", tid("screen-lost")))
                .await?;
            let removed = e.text("lost-summary").await?;
            for kind in ["kind.otp", "kind.sms", "kind.voice"] {
                ensure!(
                    removed.contains(&e.t(kind)),
                    "the summary does not list {kind}: {removed:?}"
                );
            }
            e.wait_for("lost-summary-added").await?;
            e.wait_for("lost-summary-code").await?;
            e.shot("lost-summary").await?;
            e.click("lost-done").await?;
            e.wait_home_row("otp").await?;
            ensure!(
                !e.is_visible(&format!("{}[data-kind=\"sms\"]", tid("authenticator-row")))
                    .await,
                "the lost phone number is still listed"
            );

            // The new authenticator app signs in.
            e.sign_out().await?;
            e.advance_clock(30).await?;
            e.sign_in(ENROLLED).await?;
            e.pick_method("otp").await?;
            e.submit_code(&e.totp_now(ENROLLED).await?).await?;
            e.wait_home_row("otp").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_device_prevention_a_first_enrollment_offers_a_second_method() {
    run_with(
        "lost_second_method",
        Lang::En,
        tenant(),
        password_options(),
        async |e| {
            let email = e.create_user("first").await?;
            e.sign_in(&email).await?;
            e.wait_for("enroll-kind-otp").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            e.submit_code(&e.totp_now(&email).await?).await?;
            e.save_recovery_code(&email).await?;
            e.wait_for("second-method-offer").await?;
            e.expect_text_css(&format!("{} p", tid("second-method-offer")), "second.why")
                .await?;
            ensure!(
                !e.is_visible(&tid("backup-callout")).await,
                "the backup callout repeats the offer"
            );
            e.shot("home-second-method").await?;
            e.click("second-method-add").await?;
            e.wait_screen("enroll").await?;
            e.wait_for("enroll-kind-email").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_device_with_browser_sign_in_uses_the_recovery_code_on_the_hosted_page() {
    run_with(
        "lost_device_browser",
        Lang::Fr,
        tenant_confirming_with_access_tokens(),
        browser_options(),
        async |e| {
            e.wait_screen("signin").await?;
            e.click("lost-device").await?;
            e.click("lost-have-code").await?;
            e.wait_screen("browser-wait").await?;
            e.expect_text_css(&format!("{} span", tid("browser-hint")), "lost.browserHint")
                .await?;
            e.shot("lost-browser-wait").await?;

            // The hosted page takes the recovery code and shows the new one itself.
            let (mut browser, url) = e.browser_opened(0).await?;
            browser.open(url.as_str()).await?;
            browser.sign_in(ENROLLED, PASSWORD).await?;
            let (new_code, after) = browser.use_recovery_code(DEMO_RECOVERY_CODE).await?;
            ensure!(
                new_code == e.recovery_code(ENROLLED).await?,
                "the hosted page showed another code than the tenant's"
            );
            e.deliver_callback(&browser, after.callback()?, "done")
                .await?;

            e.wait_css(&format!(
                "{}[data-step=\"which\"] {}[data-kind=\"otp\"]",
                tid("screen-lost"),
                tid("lost-method")
            ))
            .await?;
            e.click_css(&format!("{}[data-kind=\"otp\"]", tid("lost-method")))
                .await?;
            e.click("lost-remove").await?;
            e.click("lost-replace").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            e.submit_code(&e.totp_now(ENROLLED).await?).await?;
            e.wait_css(&format!("{}[data-step=\"summary\"]", tid("screen-lost")))
                .await?;
            e.expect_text("lost-summary-code", "lost.summaryCodeBrowser")
                .await?;
            e.shot("lost-browser-summary").await?;
            e.click("lost-done").await?;
            e.wait_home_row("otp").await?;
            e.wait_home_row("sms").await?;
            Ok(())
        },
    )
    .await;
}

/// IT's own configuration (browser sign-in, the helpdesk service named by IT): an employee
/// who is not an agent is refused at helpdesk mode's door, the agent is let in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_agent_signs_in_through_the_browser() {
    use super::helpdesk::{managed_helpdesk, open_caller, sign_in_refused};
    use auth0_emulator::demo::HELPDESK_AGENT;
    let mut config = managed_helpdesk();
    config["sign_in"] = json!("browser");
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(config),
        ..Options::default()
    };
    run_with(
        "helpdesk_browser_sign_in",
        Lang::En,
        tenant(),
        options,
        async |e| {
            // An employee whose sign-in carries no helpdesk permission.
            e.click("helpdesk-entry").await?;
            e.click("helpdesk-start").await?;
            let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
            e.deliver_callback(&browser, &callback, "done").await?;
            sign_in_refused(e, "not_a_helpdesk_agent").await?;

            // The agent.
            e.click("helpdesk-start").await?;
            let (browser, callback) = e.hosted_sign_in_with_otp(1, HELPDESK_AGENT).await?;
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_screen("helpdesk-find").await?;
            let agent = e.text("header-account").await?;
            ensure!(agent.contains(HELPDESK_AGENT), "the header shows {agent:?}");
            e.shot("helpdesk-find-after-browser").await?;
            open_caller(e, ENROLLED).await?;
            e.wait_css(&format!("{}[data-kind=\"totp\"]", tid("helpdesk-method")))
                .await?;
            e.shot("helpdesk-caller-after-browser").await
        },
    )
    .await;
}

/// Started by a script, with nothing waiting on it: the loopback port is open until the
/// deadline (four seconds here, through a test build's hook), then closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_port_closes_at_its_deadline_with_nothing_waiting() {
    let mut options = browser_options();
    options
        .env
        .push(("MFA_DESK_TEST_BROWSER_TIMEOUT_SECS".into(), "4".into()));
    run_with(
        "browser_port_deadline",
        Lang::En,
        tenant(),
        options,
        async |e| {
            e.wait_screen("signin").await?;
            let texts = json!({"texts": {"lang": "en", "title": "t", "doneHeading": "d",
                "doneBody": "d", "failedHeading": "f", "failedBody": "f",
                "foreignHeading": "o", "foreignBody": "o"}});
            let started = e.invoke("browser_sign_in_start", texts).await?;
            ensure!(started.is_ok(), "not started: {started:?}");
            let url = e.wait_opened_url(0).await?;
            let redirect = url
                .query_pairs()
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| v.into_owned())
                .context("no redirect_uri")?;
            let port = url::Url::parse(&redirect)?.port().context("a port")?;
            let open = || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            ensure!(open(), "the listener is not open before its deadline");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
            while open() {
                ensure!(
                    std::time::Instant::now() < deadline,
                    "the loopback port is still open after its deadline"
                );
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Ok(())
        },
    )
    .await;
}
