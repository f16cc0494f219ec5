//! End-to-end tests: the real built app, driven through WebDriver (tauri-driver +
//! WebKitWebDriver), against a local Auth0 emulator started by each test.
//!
//! Run them under a virtual display (cargo builds the app binary for this test target):
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
//!   cargo test --test e2e -- --test-threads=1
//! ```
//! Each test gets its own D-Bus session and keyring (see `e2e/harness/`, `e2e/README.md`);
//! tests run one at a time (with nextest, `.config/nextest.toml` puts `binary(e2e)` in a
//! one-thread group). Screenshots of every screen:
//! `target/e2e-screenshots/<test-name>/<nn>-<screen>.png`.

#[path = "e2e/bad_input.rs"]
mod bad_input;
#[path = "e2e/bad_input_helpdesk.rs"]
mod bad_input_helpdesk;
#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/demo_inbox.rs"]
mod demo_inbox;
#[path = "e2e/factor_rules.rs"]
mod factor_rules;
#[path = "e2e/harness/mod.rs"]
mod harness;
#[path = "e2e/helpdesk.rs"]
mod helpdesk;
#[path = "e2e/language.rs"]
mod language;
#[path = "e2e/managed.rs"]
mod managed;
#[path = "e2e/my_account.rs"]
mod my_account;
#[path = "e2e/release_rules.rs"]
mod release_rules;
#[path = "e2e/secrets.rs"]
mod secrets;
#[path = "e2e/security_key.rs"]
mod security_key;
#[path = "e2e/site_package.rs"]
mod site_package;
#[path = "support/x11_clipboard.rs"]
mod x11_clipboard;

use anyhow::{ensure, Result};
use auth0_emulator::{Fault, Tenant};
use harness::{
    grouped, run, run_with_args, tid, E2e, Keep, Lang, DEMO_RECOVERY_CODE, ENROLLED, PASSWORD,
    PUSH_WAIT,
};

/// The demo tenant, with push polling allowed as often as the app polls.
fn tenant() -> Tenant {
    let mut tenant = Tenant::demo();
    tenant.settings.push_min_poll_interval_secs = 0;
    tenant
}

/// Signs a fresh user in and waits for the first-enrollment screen.
async fn new_user_at_enroll(e: &mut E2e, local: &str) -> Result<String> {
    let email = e.create_user(local).await?;
    e.shot("signin").await?;
    e.sign_in(&email).await?;
    e.wait_screen("enroll").await?;
    e.wait_for("enroll-step-kind").await?;
    e.shot("enroll-choose").await?;
    Ok(email)
}

/// Signs in an enrolled user and waits for the method picker.
async fn sign_in_to_verify(e: &mut E2e, email: &str) -> Result<()> {
    e.sign_in(email).await?;
    e.wait_for("verify-step-pick").await?;
    e.shot("verify-pick").await
}

// ------------------------------------------------------------------ enroll + verify, each kind

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticator_app_enroll_then_verify() {
    run(
        "authenticator_app_enroll_then_verify",
        Lang::En,
        tenant(),
        async |e| {
            let email = new_user_at_enroll(e, "otp").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            e.wait_for("otp-qr").await?;
            e.click_css(&format!("{} summary", tid("otp-cant-scan")))
                .await?;
            let secret = e.text("otp-secret").await?.replace(' ', "");
            ensure!(
                secret == e.totp_secret(&email).await?,
                "the manual key is not the enrolled secret: {secret:?}"
            );
            e.shot("enroll-otp").await?;

            e.submit_code(&e.totp_now(&email).await?).await?;
            let code = e.save_recovery_code(&email).await?;
            ensure!(
                code == e.recovery_code(&email).await?,
                "the dialog showed another code than the tenant's"
            );

            e.wait_home_row("otp").await?;
            e.wait_for("home-notice").await?;
            e.shot("home").await?;

            e.sign_out().await?;
            sign_in_to_verify(e, &email).await?;
            e.advance_clock(30).await?; // the code used to enroll cannot be used again
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            e.shot("verify-otp").await?;
            e.submit_code(&e.totp_now(&email).await?).await?;
            e.wait_home_row("otp").await?;
            e.shot("home-verified").await
        },
    )
    .await;
}

/// SMS or voice: number, "is this number right?", code from the outbox; the recovery code
/// is then kept as `keep` says.
async fn enroll_phone(e: &mut E2e, kind: &str, email: &str, keep: Keep) -> Result<()> {
    e.click(&format!("enroll-kind-{kind}")).await?;
    e.wait_for("enroll-step-phone").await?;
    e.select_value("phone-country", "US").await?;
    e.fill("phone-number", "(201) 555-0123").await?;
    e.shot(&format!("enroll-{kind}-number")).await?;
    e.click("phone-continue").await?;
    e.wait_for("enroll-step-phone-confirm").await?;
    let display = e.text("phone-display").await?;
    ensure!(
        display.starts_with("+1") && display.contains("555"),
        "odd number shown: {display:?}"
    );
    e.shot(&format!("enroll-{kind}-confirm")).await?;
    e.click("phone-confirm").await?;
    e.wait_for("enroll-step-code").await?;
    e.wait_css(&format!("{}[data-purpose=\"resend\"]", tid("countdown")))
        .await?;
    e.shot(&format!("enroll-{kind}-code")).await?;
    e.submit_code(&e.outbox_code(kind).await?).await?;
    e.export_recovery_code(email, keep).await?;
    e.wait_home_row(kind).await?;
    e.shot("home").await
}

/// Signs out and in again, and verifies with the code sent on `kind`.
async fn verify_with_sent_code(e: &mut E2e, kind: &str, email: &str) -> Result<()> {
    e.sign_out().await?;
    sign_in_to_verify(e, email).await?;
    let seen = e.outbox_count(kind).await?;
    e.pick_method(kind).await?;
    e.wait_for("verify-step-code").await?;
    let code = e.outbox_code_after(kind, seen).await?;
    e.shot(&format!("verify-{kind}")).await?;
    e.submit_code(&code).await?;
    e.wait_home_row(kind).await?;
    e.shot("home-verified").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_enroll_then_verify() {
    run("sms_enroll_then_verify", Lang::En, tenant(), async |e| {
        let email = new_user_at_enroll(e, "sms").await?;
        enroll_phone(e, "sms", &email, Keep::Save).await?;
        verify_with_sent_code(e, "sms", &email).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_enroll_then_verify() {
    run("voice_enroll_then_verify", Lang::En, tenant(), async |e| {
        let email = new_user_at_enroll(e, "voice").await?;
        enroll_phone(e, "voice", &email, Keep::Copy).await?;
        verify_with_sent_code(e, "voice", &email).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_enroll_then_verify() {
    run("email_enroll_then_verify", Lang::En, tenant(), async |e| {
        let email = new_user_at_enroll(e, "email").await?;
        e.click("enroll-kind-email").await?;
        e.wait_for("enroll-step-email").await?;
        let prefilled = e
            .wait_for("email-input")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        ensure!(
            prefilled == email,
            "the address is not prefilled with the account: {prefilled:?}"
        );
        e.shot("enroll-email").await?;
        e.click("email-continue").await?;
        e.wait_for("enroll-step-code").await?;
        e.shot("enroll-email-code").await?;
        e.submit_code(&e.outbox_code("email").await?).await?;
        e.save_recovery_code(&email).await?;
        e.wait_home_row("email").await?;
        e.shot("home").await?;
        verify_with_sent_code(e, "email", &email).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_enroll_then_verify_with_a_denial() {
    run(
        "push_enroll_then_verify_with_a_denial",
        Lang::En,
        tenant(),
        async |e| {
            let email = new_user_at_enroll(e, "push").await?;
            e.click("enroll-kind-push").await?;
            e.wait_for("enroll-step-push").await?;
            e.wait_for("push-qr").await?;
            e.wait_css(&format!("{}[data-purpose=\"expiry\"]", tid("countdown")))
                .await?;
            e.wait_for("push-waiting").await?;
            e.shot("enroll-push").await?;
            e.approve_push().await?;
            e.wait_css_for(&tid("export-dialog"), PUSH_WAIT).await?;
            e.save_recovery_code(&email).await?;
            e.wait_home_row("push").await?;
            e.shot("home").await?;

            e.sign_out().await?;
            sign_in_to_verify(e, &email).await?;
            e.pick_method("push").await?;
            e.wait_for("verify-step-push").await?;
            e.wait_for("push-waiting").await?;
            e.shot("verify-push").await?;
            e.deny_push().await?;
            e.wait_css_for(
                &format!("{}[data-outcome=\"push_rejected\"]", tid("push-outcome")),
                PUSH_WAIT,
            )
            .await?;
            e.shot("verify-push-denied").await?;
            e.click("push-retry").await?;
            e.wait_for("push-waiting").await?;
            e.approve_push().await?;
            e.wait_css_for(&tid("screen-home"), PUSH_WAIT).await?;
            e.wait_home_row("push").await?;
            e.shot("home-verified").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ manage

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remove_an_authenticator() {
    run("remove_an_authenticator", Lang::En, tenant(), async |e| {
        sign_in_to_verify(e, ENROLLED).await?;
        e.pick_method("otp").await?;
        e.submit_code(&e.totp_now(ENROLLED).await?).await?;
        e.wait_home_row("sms").await?;
        e.shot("home").await?;

        let remove_sms = format!(
            "{}[data-kind=\"sms\"] button[data-testid^=\"remove-\"]",
            tid("authenticator-row")
        );
        e.click_css(&remove_sms).await?;
        e.wait_for("remove-dialog").await?;
        e.click("cancel-remove").await?;
        e.wait_gone(&tid("remove-dialog")).await?;
        e.wait_home_row("sms").await?;

        e.click_css(&remove_sms).await?;
        e.wait_for("remove-dialog").await?;
        e.wait_for("remove-cascade").await?; // the voice twin goes too
        e.shot("remove-dialog").await?;
        e.click("confirm-remove").await?;
        e.wait_gone(&tid("remove-dialog")).await?;
        e.wait_gone(&format!("{}[data-kind=\"sms\"]", tid("authenticator-row")))
            .await?;
        e.wait_gone(&format!(
            "{}[data-kind=\"voice\"]",
            tid("authenticator-row")
        ))
        .await?;
        e.wait_home_row("otp").await?;
        e.shot("home-after-remove").await?;
        let phone = e.user_secrets(ENROLLED).await?.phone;
        ensure!(
            phone.is_none(),
            "the tenant still has a phone for {ENROLLED}: {phone:?}"
        );
        Ok(())
    })
    .await;
}

// ------------------------------------------------------------------ failures, per wizard

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_server_fault_and_wrong_password() {
    run(
        "sign_in_server_fault_and_wrong_password",
        Lang::En,
        tenant(),
        async |e| {
            e.fault(Fault::status("/oauth/token", 503).times(1)).await?;
            e.sign_in(ENROLLED).await?;
            e.wait_error("server_error").await?;
            e.wait_screen("signin").await?;
            e.shot("signin-server-error").await?;

            e.fill("signin-password", "not the password").await?;
            e.click("signin-submit").await?;
            e.wait_error("wrong_credentials").await?;
            let invalid = e.attr("signin-password", "aria-invalid").await?;
            ensure!(
                invalid.as_deref() == Some("true"),
                "the password field is not marked invalid"
            );
            e.shot("signin-wrong-password").await?;

            e.fill("signin-password", PASSWORD).await?;
            e.click("signin-submit").await?;
            e.wait_for("verify-step-pick").await?;
            e.shot("verify-pick").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_failures_rate_limit_wrong_code_and_expired_session() {
    run(
        "enroll_failures_rate_limit_wrong_code_and_expired_session",
        Lang::En,
        tenant(),
        async |e| {
            let email = new_user_at_enroll(e, "failures").await?;

            // Auth0 answers 429 to the SMS enrollment: a countdown, and Send stays disabled.
            e.click("enroll-kind-sms").await?;
            e.fill("phone-number", "(201) 555-0123").await?;
            e.click("phone-continue").await?;
            e.wait_for("enroll-step-phone-confirm").await?;
            e.fault(Fault::rate_limit("/mfa/associate").times(1))
                .await?;
            e.click("phone-confirm").await?;
            e.wait_error("rate_limited").await?;
            let countdown = e
                .wait_css(&format!("{}[data-purpose=\"retry\"]", tid("countdown")))
                .await?;
            let seconds: u32 = countdown
                .attr("data-seconds")
                .await?
                .unwrap_or_default()
                .parse()?;
            ensure!(
                (1..=61).contains(&seconds),
                "odd retry countdown: {seconds} s"
            );
            ensure!(
                !e.is_enabled("phone-confirm").await?,
                "Send is enabled during the rate-limit countdown"
            );
            e.shot("enroll-sms-rate-limited").await?;

            // A wrong authenticator-app code.
            e.click("phone-edit").await?;
            e.click("enroll-back").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            let refused = e.submit_wrong_code(&e.wrong_totp(&email).await?).await?;
            ensure!(refused == "wrong_otp", "a wrong code gave {refused}");
            let invalid = e.attr("code-input", "aria-invalid").await?;
            ensure!(
                invalid.as_deref() == Some("true"),
                "the code field is not marked invalid"
            );
            e.shot("enroll-otp-wrong-code").await?;

            // The mfa_token expires (10 minutes): back to sign-in, saying why.
            e.advance_clock(601).await?;
            e.submit_code(&e.totp_now(&email).await?).await?;
            e.wait_screen("signin").await?;
            e.wait_error("session_expired").await?;
            e.shot("signin-session-expired").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_too_many_wrong_codes_locks_with_a_countdown() {
    run(
        "verify_too_many_wrong_codes_locks_with_a_countdown",
        Lang::En,
        tenant(),
        async |e| {
            sign_in_to_verify(e, ENROLLED).await?;
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            let mut refusals = Vec::new();
            for _ in 0..12 {
                let code = e.submit_wrong_code(&e.wrong_totp(ENROLLED).await?).await?;
                refusals.push(code.clone());
                if code != "wrong_otp" {
                    break;
                }
            }
            ensure!(
                refusals.last().map(String::as_str) == Some("too_many_attempts"),
                "refusals: {refusals:?}"
            );
            ensure!(
                refusals.len() >= 10,
                "locked after only {} wrong codes",
                refusals.len()
            );
            e.wait_css(&format!("{}[data-purpose=\"retry\"]", tid("countdown")))
                .await?;
            // Even with a complete code typed, Submit stays locked until the countdown ends.
            e.fill("code-input", "123456").await?;
            ensure!(
                !e.is_enabled("code-submit").await?,
                "Submit is enabled while locked out"
            );
            e.shot("verify-locked").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_expired_session_returns_to_sign_in() {
    run(
        "verify_expired_session_returns_to_sign_in",
        Lang::En,
        tenant(),
        async |e| {
            sign_in_to_verify(e, ENROLLED).await?;
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            e.shot("verify-otp").await?;
            e.advance_clock(601).await?;
            e.submit_code(&e.totp_now(ENROLLED).await?).await?;
            e.wait_screen("signin").await?;
            e.wait_error("session_expired").await?;
            ensure!(
                !e.is_visible(&tid("sign-out")).await,
                "still shown as signed in"
            );
            e.shot("signin-session-expired").await?;
            // Signing in again works.
            sign_in_to_verify(e, ENROLLED).await
        },
    )
    .await;
}

// ------------------------------------------------------------------ start-up

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_tenant_configured_shows_the_configuration_screen() {
    let name = "no_tenant_configured_shows_the_configuration_screen";
    run_with_args(name, Lang::En, tenant(), Some(&[]), async |e| {
        e.wait_screen("config-error").await?;
        e.expect_text_css(
            &format!("{} h1", tid("screen-config-error")),
            "config.title",
        )
        .await?;
        let problem = e.text("config-error-problem").await?;
        ensure!(
            problem.contains("--demo"),
            "the problem does not say how to try the app: {problem:?}"
        );
        ensure!(
            !e.is_visible(&tid("demo-inbox")).await,
            "the demo inbox is shown without a demo tenant"
        );
        // Only demo mode tells the page it is one (lib.rs, page_facts).
        let demo_flag = e.evaluate("typeof window.__MFA_DESK_DEMO__").await?;
        ensure!(
            demo_flag == "undefined",
            "demo flag outside demo mode: {demo_flag}"
        );
        e.shot("config-error").await
    })
    .await;
}

// ------------------------------------------------------------------ recovery

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_code_sign_in_with_export_dialog() {
    run(
        "recovery_code_sign_in_with_export_dialog",
        Lang::En,
        tenant(),
        async |e| {
            e.shot("signin").await?;
            sign_in_to_verify(e, ENROLLED).await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            e.fill(
                "recovery-input",
                &grouped(DEMO_RECOVERY_CODE).to_lowercase(),
            )
            .await?;
            e.shot("recover").await?;
            e.click("recovery-submit").await?;

            e.wait_css(&format!(
                "{}[data-context=\"recovery\"]",
                tid("export-dialog")
            ))
            .await?;
            e.wait_for("export-notice").await?;
            let new_code = e.save_recovery_code(ENROLLED).await?;
            ensure!(
                new_code != DEMO_RECOVERY_CODE,
                "the old recovery code was shown again"
            );
            ensure!(
                new_code == e.recovery_code(ENROLLED).await?,
                "the dialog showed another code than the tenant's new one"
            );

            e.wait_screen("home").await?;
            e.wait_for("recovered-callout").await?;
            e.wait_home_row("otp").await?;
            e.shot("home-recovered").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_wrong_code_and_server_fault() {
    run(
        "recovery_wrong_code_and_server_fault",
        Lang::En,
        tenant(),
        async |e| {
            sign_in_to_verify(e, ENROLLED).await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            ensure!(
                !e.is_enabled("recovery-submit").await?,
                "Submit is enabled with no code"
            );
            e.fill("recovery-input", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
                .await?;
            e.click("recovery-submit").await?;
            e.wait_error("wrong_recovery_code").await?;
            e.shot("recover-wrong-code").await?;

            e.fault(Fault::status("/oauth/token", 503).times(1)).await?;
            e.fill("recovery-input", DEMO_RECOVERY_CODE).await?;
            e.click("recovery-submit").await?;
            e.wait_error("server_error").await?;
            e.shot("recover-server-error").await?;
            ensure!(
                e.recovery_code(ENROLLED).await? == DEMO_RECOVERY_CODE,
                "the failed request used the code"
            );

            e.fill("recovery-input", DEMO_RECOVERY_CODE).await?;
            e.click("recovery-submit").await?;
            let new_code = e.save_recovery_code(ENROLLED).await?;
            ensure!(
                new_code == e.recovery_code(ENROLLED).await?,
                "the dialog showed another code than the tenant's"
            );
            e.wait_for("recovered-callout").await?;
            e.shot("home-recovered").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ languages

/// `<html lang>` and the language picker follow the system locale the app was started with.
async fn expect_language(e: &E2e) -> Result<()> {
    let lang = e.lang.code();
    let picked = e
        .wait_for("lang-select")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(
        picked == lang,
        "the language picker shows {picked:?}, not {lang:?}"
    );
    let declared = e.html_lang().await?;
    ensure!(
        declared == lang,
        "<html lang> is {declared:?}, not {lang:?}"
    );
    e.expect_text_css(&format!("{} h2", tid("demo-inbox")), "demo.title")
        .await
}

/// Labels of the saved recovery file come from the app's language too.
fn expect_saved_file_language(e: &E2e, account: &str) -> Result<()> {
    let text = std::fs::read_to_string(e.recovery_file())?;
    let line = format!("{}: {account}", e.t("print.account"));
    ensure!(
        text.contains(&line),
        "the saved file has no line {line:?}:\n{text}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn japanese_full_pass() {
    run("japanese_full_pass", Lang::Ja, tenant(), async |e| {
        let email = e.create_user("ja").await?;
        expect_language(e).await?;
        e.expect_heading("signin.title").await?;
        e.expect_text("signin-submit", "signin.submit").await?;
        e.shot("signin").await?;

        e.sign_in(&email).await?;
        e.wait_screen("enroll").await?;
        e.expect_heading("enroll.titleFirst").await?;
        e.shot("enroll-choose").await?;
        e.click("enroll-kind-otp").await?;
        e.expect_text_css(&format!("{} h2", tid("enroll-step-otp")), "otp.title")
            .await?;
        e.shot("enroll-otp").await?;

        let refused = e.submit_wrong_code(&e.wrong_totp(&email).await?).await?;
        ensure!(refused == "wrong_otp", "a wrong code gave {refused}");
        e.expect_text_css(
            &format!("{} .banner-message", tid("error-banner")),
            "error.wrong_otp",
        )
        .await?;
        e.shot("enroll-otp-wrong-code").await?;

        e.submit_code(&e.totp_now(&email).await?).await?;
        e.wait_for("export-dialog").await?;
        e.expect_heading("export.title").await?;
        e.save_recovery_code(&email).await?;
        expect_saved_file_language(e, &email)?;

        e.wait_home_row("otp").await?;
        e.expect_heading("home.title").await?;
        e.expect_text_css(&format!("{} span", tid("home-notice")), "home.enrolled")
            .await?;
        e.shot("home").await?;

        e.sign_out().await?;
        e.expect_text("signin-notice", "signin.signedOut").await?;
        sign_in_to_verify(e, &email).await?;
        e.expect_heading("verify.title").await?;
        e.advance_clock(30).await?;
        e.pick_method("otp").await?;
        e.expect_text_css(
            &format!("{} h2", tid("verify-step-code")),
            "verify.otpTitle",
        )
        .await?;
        e.shot("verify-otp").await?;
        e.submit_code(&e.totp_now(&email).await?).await?;
        e.wait_home_row("otp").await?;
        e.expect_heading("home.title").await?;
        e.shot("home-verified").await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn french_full_pass() {
    run("french_full_pass", Lang::Fr, tenant(), async |e| {
        let email = e.create_user("fr").await?;
        expect_language(e).await?;
        e.expect_heading("signin.title").await?;
        e.shot("signin").await?;

        e.fault(Fault::status("/oauth/token", 503).times(1)).await?;
        e.sign_in(&email).await?;
        e.wait_error("server_error").await?;
        e.expect_text_css(
            &format!("{} .banner-message", tid("error-banner")),
            "error.server_error",
        )
        .await?;
        e.shot("signin-server-error").await?;
        e.click("signin-submit").await?;

        e.wait_screen("enroll").await?;
        e.expect_heading("enroll.titleFirst").await?;
        e.shot("enroll-choose").await?;
        e.click("enroll-kind-email").await?;
        e.expect_text_css(&format!("{} h2", tid("enroll-step-email")), "email.title")
            .await?;
        e.expect_text("email-continue", "email.send").await?;
        e.shot("enroll-email").await?;
        e.click("email-continue").await?;
        e.expect_text_css(&format!("{} h2", tid("enroll-step-code")), "code.title")
            .await?;
        e.shot("enroll-email-code").await?;
        e.submit_code(&e.outbox_code("email").await?).await?;

        e.wait_for("export-dialog").await?;
        e.expect_heading("export.title").await?;
        e.save_recovery_code(&email).await?;
        expect_saved_file_language(e, &email)?;

        e.wait_home_row("email").await?;
        e.expect_heading("home.title").await?;
        e.expect_text_css(&format!("{} span", tid("home-notice")), "home.enrolled")
            .await?;
        e.shot("home").await?;

        e.sign_out().await?;
        e.expect_text("signin-notice", "signin.signedOut").await?;
        sign_in_to_verify(e, &email).await?;
        e.expect_heading("verify.title").await?;
        let seen = e.outbox_count("email").await?;
        e.pick_method("email").await?;
        e.expect_text_css(&format!("{} h2", tid("verify-step-code")), "code.title")
            .await?;
        e.shot("verify-email").await?;
        e.submit_code(&e.outbox_code_after("email", seen).await?)
            .await?;
        e.wait_home_row("email").await?;
        e.expect_heading("home.title").await?;
        e.shot("home-verified").await
    })
    .await;
}
