//! A browser-signed-in employee's methods through Auth0's My Account API (§S5), in the real
//! WebView: the demo tenant offers it, so the app's sign-in asks for `https://{domain}/me/`
//! and every list, addition, rename, channel switch, new recovery code and removal goes to
//! `/me/v1` (the emulator's request counts show no `/mfa/` call). Bad names are refused at
//! the field with nothing sent. A tenant without the API: the first tab says the sign-in
//! goes on in a new one, the MFA API takes over with nothing lost, and the next sign-in of
//! the run goes straight there; a grant too small for managing methods: the same, after the
//! first sign-in. English, Japanese and French.

use anyhow::{ensure, Result};
use auth0_emulator::Tenant;
use serde_json::json;

use super::bad_input::{expect_refused, value, Clipboard};
use super::harness::{run_with, tid, E2e, Keep, Lang, Options, ENROLLED};
use super::tenant;

fn browser_options() -> Options {
    Options {
        args: Some(vec![]),
        managed_config: Some(json!({
            "organization": "Acme Corporation",
            "domain": "$EMULATOR",
            "client_id": "mfa-desk-demo",
            "sign_in": "browser",
            "helpdesk_text": "IT Helpdesk, extension 4357"
        })),
        ..Options::default()
    }
}

/// Signs the enrolled demo person in through the browser (the `seen`-th address the app
/// opens) and waits for the home screen.
async fn browser_sign_in(e: &mut E2e, seen: usize) -> Result<()> {
    e.wait_for("browser-continue").await?;
    e.click("browser-continue").await?;
    e.wait_screen("browser-wait").await?;
    let (browser, callback) = e.hosted_sign_in_with_otp(seen, ENROLLED).await?;
    e.deliver_callback(&browser, &callback, "done").await?;
    e.wait_home_row("otp").await?;
    Ok(())
}

/// The paths the tenant was asked since the counters were reset.
async fn asked(e: &E2e) -> Result<Vec<String>> {
    Ok(e.control().stats().await?.requests.into_keys().collect())
}

fn row(kind: &str) -> String {
    format!("{}[data-kind=\"{kind}\"]", tid("authenticator-row"))
}

/// Opens the rename dialog of the first row of `kind`.
async fn open_rename(e: &E2e, kind: &str) -> Result<()> {
    e.click_css(&format!("{} button[data-testid^=\"rename-\"]", row(kind)))
        .await?;
    e.wait_for("rename-dialog").await?;
    Ok(())
}

/// Bad names typed and pasted into the rename field: each refused at the field, the field
/// keeping what was there, nothing sent to the tenant.
async fn bad_names(e: &mut E2e) -> Result<()> {
    let mut clipboard = Clipboard::new()?;
    e.control().reset_stats().await?;
    let long = "k".repeat(101);
    e.fill("rename-input", &long).await?;
    e.click("confirm-rename").await?;
    expect_refused(e, "rename-input", "rename-error", "input_too_long").await?;
    ensure!(
        value(e, "rename-input").await? == long,
        "the long name was cut"
    );
    e.shot("rename-too-long").await?;
    clipboard.paste(e, "rename-input", &"p".repeat(150)).await?;
    e.click("confirm-rename").await?;
    expect_refused(e, "rename-input", "rename-error", "input_too_long").await?;
    ensure!(
        value(e, "rename-input").await?.chars().count() == 150,
        "the pasted name was cut"
    );
    clipboard.paste(e, "rename-input", "Work\u{7}key").await?;
    e.click("confirm-rename").await?;
    expect_refused(
        e,
        "rename-input",
        "rename-error",
        "input_control_characters",
    )
    .await?;
    e.fill("rename-input", "Work\u{202E}key").await?;
    e.click("confirm-rename").await?;
    expect_refused(
        e,
        "rename-input",
        "rename-error",
        "input_control_characters",
    )
    .await?;
    clipboard
        .paste(e, "rename-input", "Work key\nHome key")
        .await?;
    expect_refused(e, "rename-input", "rename-error", "input_multiple_lines").await?;
    e.fill("rename-input", " Work key").await?;
    e.click("confirm-rename").await?;
    expect_refused(
        e,
        "rename-input",
        "rename-error",
        "input_surrounding_spaces",
    )
    .await?;
    e.wait_for("rename-input").await?.clear().await?;
    e.click("confirm-rename").await?;
    expect_refused(e, "rename-input", "rename-error", "input_empty").await?;
    let stats = e.control().stats().await?;
    ensure!(
        stats.total_requests() == 0,
        "a refused name reached the tenant: {:?}",
        stats.requests
    );
    Ok(())
}

/// The whole story in `lang`: sign in, rename, add an email address, switch the phone to
/// calls, get a new recovery code through the export dialog, remove the email address; all
/// through `/me/v1`.
async fn manage_through_my_account(e: &mut E2e, name: &str) -> Result<()> {
    e.wait_screen("signin").await?;
    browser_sign_in(e, 0).await?;
    e.control().reset_stats().await?;
    e.wait_home_row("sms").await?;
    e.wait_for("new-recovery-code-button").await?;
    e.shot("home-my-account").await?;

    open_rename(e, "otp").await?;
    bad_names(e).await?;
    e.fill("rename-input", name).await?;
    e.shot("rename-dialog").await?;
    e.click("confirm-rename").await?;
    e.wait_gone(&tid("rename-dialog")).await?;
    let shown = e.text_css(&format!("{} .method-name", row("otp"))).await?;
    ensure!(shown == name, "the otp row shows {shown:?}, not {name:?}");

    // An email address, verified with the emailed code.
    e.click("add-method").await?;
    e.click("enroll-kind-email").await?;
    e.fill("email-input", "ana.second@example.com").await?;
    e.click("email-continue").await?;
    e.wait_for("enroll-step-code").await?;
    e.submit_code(&e.outbox_code("email").await?).await?;
    e.wait_home_row("email").await?;

    // The phone's codes by call from now on.
    e.click_css(&format!("{} button[data-testid^=\"channel-\"]", row("sms")))
        .await?;
    e.wait_home_row("voice").await?;
    e.shot("home-phone-by-call").await?;

    // A new recovery code through the export dialog; the old one is gone.
    let old = e.recovery_code(ENROLLED).await?;
    e.click("new-recovery-code-button").await?;
    let shown = e.export_recovery_code(ENROLLED, Keep::Save).await?;
    e.wait_screen("home").await?;
    let now = e.recovery_code(ENROLLED).await?;
    ensure!(
        now == shown && now != old,
        "the tenant holds {now}, the dialog showed {shown}"
    );

    // Remove the email address again.
    e.click_css(&format!(
        "{} button[data-testid^=\"remove-\"]",
        row("email")
    ))
    .await?;
    e.wait_for("remove-dialog").await?;
    e.click("confirm-remove").await?;
    e.wait_gone(&row("email")).await?;

    let paths = asked(e).await?;
    ensure!(
        paths
            .iter()
            .any(|p| p.starts_with("/me/v1/authentication-methods")),
        "no My Account call: {paths:?}"
    );
    ensure!(
        !paths.iter().any(|p| p.starts_with("/mfa/")),
        "an MFA API call after a My Account sign-in: {paths:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_manage_methods_in_english() {
    run_with(
        "my_account_en",
        Lang::En,
        tenant(),
        browser_options(),
        async |e| manage_through_my_account(e, "Phone app — work").await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_manage_methods_in_japanese() {
    run_with(
        "my_account_ja",
        Lang::Ja,
        tenant(),
        browser_options(),
        async |e| manage_through_my_account(e, "仕事用の認証アプリ").await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_manage_methods_in_french() {
    run_with(
        "my_account_fr",
        Lang::Fr,
        tenant(),
        browser_options(),
        async |e| manage_through_my_account(e, "Application du téléphone pro").await,
    )
    .await;
}

/// The demo tenant without the My Account API; the MFA-API access token may confirm a new
/// authenticator (an emulator setting, as in `browser.rs`).
fn tenant_without_my_account() -> Tenant {
    let mut tenant = tenant();
    tenant.settings.my_account_api = false;
    tenant.settings.confirm_with_access_token = true;
    tenant
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_missing_falls_back_to_the_mfa_api() {
    run_with(
        "my_account_fallback",
        Lang::Fr,
        tenant_without_my_account(),
        browser_options(),
        async |e| {
            e.wait_screen("signin").await?;
            e.click("browser-continue").await?;
            e.wait_screen("browser-wait").await?;
            // The first address asks for the My Account API: the tenant answers at once.
            let (mut browser, first) = e.browser_opened(0).await?;
            ensure!(first.as_str().contains("%2Fme%2F"), "{first}");
            let callback = browser.open(first.as_str()).await?.callback()?.clone();
            e.deliver_callback(&browser, &callback, "switching").await?;
            e.wait_css(&format!(
                "{}[data-code=\"browser_sign_in_denied\"]",
                tid("browser-notice")
            ))
            .await?;
            e.expect_text_css(
                &format!("{} span", tid("browser-notice")),
                "browser.restarted",
            )
            .await?;
            e.shot("browser-restarted").await?;
            // The second, for the MFA API, in a new tab.
            let (browser, callback) = e.hosted_sign_in_with_otp(1, ENROLLED).await?;
            ensure!(
                e.opened_urls()[1].contains("%2Fmfa%2F"),
                "{:?}",
                e.opened_urls()
            );
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_home_row("sms").await?;
            e.wait_home_row("voice").await?;
            ensure!(
                !e.is_visible(&tid("new-recovery-code")).await
                    && !e.is_visible("[data-testid^=\"rename-\"]").await,
                "My Account actions offered on the MFA API path"
            );
            // Nothing lost: adding an email address works as before.
            e.click("add-method").await?;
            e.click("enroll-kind-email").await?;
            e.fill("email-input", "ana.second@example.com").await?;
            e.click("email-continue").await?;
            e.wait_for("enroll-step-code").await?;
            e.submit_code(&e.outbox_code("email").await?).await?;
            e.wait_home_row("email").await?;
            // The next sign-in of this run goes straight to the MFA API.
            e.sign_out().await?;
            e.wait_screen("signin").await?;
            e.advance_clock(30).await?; // a new authenticator-app code
            browser_sign_in(e, 2).await?;
            let third = &e.opened_urls()[2];
            ensure!(third.contains("%2Fmfa%2F"), "{third}");
            ensure!(e.opened_urls().len() == 3, "{:?}", e.opened_urls());
            Ok(())
        },
    )
    .await;
}

/// The demo tenant whose client grant for the My Account API gives only `read:` (§S5.1: the
/// token's scopes are the requested ones cut to the grant).
fn tenant_granting_too_little() -> Tenant {
    let mut tenant = tenant();
    tenant.settings.confirm_with_access_token = true;
    let app = tenant
        .clients
        .iter_mut()
        .find(|c| c.client_id == "mfa-desk-demo")
        .expect("the app's client");
    for grant in app
        .client_grants
        .iter_mut()
        .filter(|g| g.audience == "/me/")
    {
        grant.scope = vec!["read:me:authentication_methods".into()];
    }
    tenant
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_scopes_missing_falls_back_to_the_mfa_api() {
    run_with(
        "my_account_scopes_missing",
        Lang::Ja,
        tenant_granting_too_little(),
        browser_options(),
        async |e| {
            e.wait_screen("signin").await?;
            e.click("browser-continue").await?;
            e.wait_screen("browser-wait").await?;
            // The person signs in; the token lacks the scopes to manage methods.
            let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_css(&format!(
                "{}[data-code=\"my_account_scopes_missing\"]",
                tid("browser-notice")
            ))
            .await?;
            e.expect_text_css(
                &format!("{} span", tid("browser-notice")),
                "browser.restarted",
            )
            .await?;
            // Once more, for the MFA API, in a new tab.
            e.advance_clock(30).await?; // a new authenticator-app code
            let (browser, callback) = e.hosted_sign_in_with_otp(1, ENROLLED).await?;
            let second = &e.opened_urls()[1];
            ensure!(second.contains("%2Fmfa%2F"), "{second}");
            e.deliver_callback(&browser, &callback, "done").await?;
            e.wait_home_row("voice").await?;
            ensure!(
                !e.is_visible(&tid("new-recovery-code")).await,
                "My Account actions offered on the MFA API path"
            );
            Ok(())
        },
    )
    .await;
}
