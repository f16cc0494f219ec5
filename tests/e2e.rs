//! End-to-end tests: the real built app, driven through WebDriver (tauri-driver +
//! WebKitWebDriver), against a local Auth0 emulator started by each test.
//!
//! Run them one at a time under a virtual display and a D-Bus session with a keyring:
//!
//! ```sh
//! cargo build --bin mfa-desk
//! xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- sh -c \
//!   'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
//!    cargo test --test e2e -- --test-threads=1'
//! ```
//! (with nextest, `.config/nextest.toml` puts `binary(e2e)` in a one-thread group).
//! Screenshots of every screen: `target/e2e-screenshots/<test-name>/<nn>-<screen>.png`.

#[path = "e2e/harness.rs"]
mod harness;

use anyhow::{ensure, Result};
use auth0_emulator::Tenant;
use harness::{grouped, run, tid, E2e, Lang, DEMO_RECOVERY_CODE, ENROLLED};
use serde_json::json;

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
    run("authenticator_app_enroll_then_verify", Lang::En, tenant(), async |e| {
        let email = new_user_at_enroll(e, "otp").await?;
        e.click("enroll-kind-otp").await?;
        e.wait_for("enroll-step-otp").await?;
        e.wait_for("otp-qr").await?;
        e.click_css(&format!("{} summary", tid("otp-cant-scan"))).await?;
        let secret = e.text("otp-secret").await?;
        ensure!(secret.replace(' ', "").len() >= 16, "odd manual key {secret:?}");
        e.shot("enroll-otp").await?;

        e.submit_code(&e.totp_now(&email).await?).await?;
        let code = e.save_recovery_code(&email).await?;
        ensure!(code == e.recovery_code(&email).await?, "the dialog showed another code than the tenant's");

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
    })
    .await;
}

// ------------------------------------------------------------------ recovery

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_code_sign_in_with_export_dialog() {
    run("recovery_code_sign_in_with_export_dialog", Lang::En, tenant(), async |e| {
        e.shot("signin").await?;
        sign_in_to_verify(e, ENROLLED).await?;
        e.click("use-recovery").await?;
        e.wait_screen("recover").await?;
        e.fill("recovery-input", &grouped(DEMO_RECOVERY_CODE).to_lowercase()).await?;
        e.shot("recover").await?;
        e.click("recovery-submit").await?;

        e.wait_css(&format!("{}[data-context=\"recovery\"]", tid("export-dialog"))).await?;
        e.wait_for("export-notice").await?;
        let new_code = e.save_recovery_code(ENROLLED).await?;
        ensure!(new_code != DEMO_RECOVERY_CODE, "the old recovery code was shown again");
        ensure!(new_code == e.recovery_code(ENROLLED).await?, "the dialog showed another code than the tenant's new one");

        e.wait_screen("home").await?;
        e.wait_for("recovered-callout").await?;
        e.wait_home_row("otp").await?;
        e.shot("home-recovered").await
    })
    .await;
}

#[allow(dead_code)]
fn unused() -> serde_json::Value {
    json!({})
}
