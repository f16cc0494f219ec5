//! "Add a security key or passkey" in the real WebView: a browser-signed-in employee (My
//! Account mode) adds a security key (the software key of `soft-security-key`, the only key
//! present through `MFA_DESK_TEST_SECURITY_KEY`), with a wrong PIN first, names it, renames
//! it and removes it; a key without a PIN gets one; bad input typed and pasted into the PIN
//! and name fields is refused at the field. English, Japanese and French.

use anyhow::{ensure, Result};
use auth0_emulator::Tenant;
use serde_json::json;

use super::bad_input::{expect_refused, value, Clipboard};
use super::harness::{run_with, tid, E2e, Lang, Options, ENROLLED};
use super::tenant;

/// The demo tenant (its My Account API activated for the app) with passkeys on.
fn my_account_tenant() -> Tenant {
    let mut tenant = tenant();
    tenant.settings.passkeys = true;
    tenant
}

/// Browser sign-in, with the software security key in the state `key` names.
fn options(key: &str) -> Options {
    Options {
        args: Some(vec![]),
        managed_config: Some(json!({
            "organization": "Acme Corporation",
            "domain": "$EMULATOR",
            "client_id": "mfa-desk-demo",
            "sign_in": "browser",
            "helpdesk_text": "IT Helpdesk, extension 4357"
        })),
        env: vec![("MFA_DESK_TEST_SECURITY_KEY".into(), key.into())],
        ..Options::default()
    }
}

/// The step shown, by its heading in the test's language.
async fn step_title(e: &E2e, step: &str, key: &str) -> Result<()> {
    e.wait_for(step).await?;
    e.expect_text_css(&format!("{} h2", tid(step)), key).await
}

/// Signed in through the browser, at home, then "Add a method" → "Security key or passkey"
/// → what it is → Continue.
async fn start_adding_a_key(e: &mut E2e) -> Result<()> {
    e.wait_for("browser-continue").await?;
    e.click("browser-continue").await?;
    e.wait_screen("browser-wait").await?;
    let (browser, callback) = e.hosted_sign_in_with_otp(0, ENROLLED).await?;
    e.deliver_callback(&browser, &callback, "done").await?;
    e.wait_home_row("otp").await?;
    add_a_key(e).await
}

/// From home: "Add a method" → "Security key or passkey" → what it is → Continue.
async fn add_a_key(e: &mut E2e) -> Result<()> {
    e.click("add-method").await?;
    e.wait_for("enroll-kind-passkey").await?;
    e.shot("enroll-with-passkey").await?;
    e.click("enroll-kind-passkey").await?;
    step_title(e, "security-key-step-intro", "securityKey.title").await?;
    e.shot("security-key-intro").await?;
    e.click("security-key-start").await
}

/// Types `pin` at the PIN step.
async fn enter_pin(e: &mut E2e, pin: &str) -> Result<()> {
    e.wait_for("security-key-step-pin").await?;
    e.fill("security-key-pin", pin).await?;
    e.click("security-key-pin-submit").await
}

/// The name step: bad names refused at the field, then `name` saved; home lists the key.
async fn name_the_key(e: &mut E2e, clipboard: &mut Clipboard, name: &str) -> Result<()> {
    e.wait_for("security-key-step-name").await?;
    e.shot("security-key-name").await?;
    ensure!(
        !e.is_enabled("security-key-name-save").await?,
        "an empty name can be saved"
    );
    e.expect_text("security-key-name-empty", "securityKey.nameEmpty")
        .await?;
    clipboard
        .paste(e, "security-key-name", "Blue key\nsecond line")
        .await?;
    expect_refused(
        e,
        "security-key-name",
        "security-key-name-error",
        "input_multiple_lines",
    )
    .await?;
    let long = "k".repeat(101);
    e.fill("security-key-name", &long).await?;
    e.click("security-key-name-save").await?;
    expect_refused(
        e,
        "security-key-name",
        "security-key-name-error",
        "input_too_long",
    )
    .await?;
    ensure!(
        value(e, "security-key-name").await? == long,
        "a refused name is kept as typed"
    );
    e.fill("security-key-name", name).await?;
    e.click("security-key-name-save").await?;
    let row = e.wait_home_row("passkey").await?;
    let text = row.text().await?;
    ensure!(text.contains(name), "the new key's row: {text:?}");
    e.shot("home-with-key").await
}

/// Renames the key in the list, then removes it.
async fn rename_then_remove(e: &mut E2e, renamed: &str) -> Result<()> {
    let row = format!("{}[data-kind=\"passkey\"]", tid("authenticator-row"));
    let id = e
        .wait_css(&row)
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default();
    e.click(&format!("rename-{id}")).await?;
    e.wait_for("rename-dialog").await?;
    e.fill("rename-input", renamed).await?;
    e.click("confirm-rename").await?;
    e.wait_gone(&tid("rename-dialog")).await?;
    let text = e.wait_css(&row).await?.text().await?;
    ensure!(text.contains(renamed), "the renamed key's row: {text:?}");
    e.click(&format!("remove-{id}")).await?;
    e.wait_for("remove-dialog").await?;
    e.click("confirm-remove").await?;
    e.wait_gone(&row).await?;
    e.shot("home-key-removed").await
}

async fn add_key_with_a_wrong_pin_first(e: &mut E2e, name: &str, renamed: &str) -> Result<()> {
    let mut clipboard = Clipboard::new()?;
    start_adding_a_key(e).await?;
    step_title(e, "security-key-step-pin", "securityKey.pinTitle").await?;
    ensure!(
        !e.is_enabled("security-key-pin-submit").await?,
        "an empty PIN can be sent"
    );
    e.expect_text("security-key-pin-empty", "securityKey.pinEmpty")
        .await?;
    let tries = e.text("security-key-retries").await?;
    ensure!(tries.contains('8'), "the key's eight tries: {tries:?}");
    clipboard.paste(e, "security-key-pin", "1234\n").await?;
    expect_refused(
        e,
        "security-key-pin",
        "security-key-pin-error",
        "input_multiple_lines",
    )
    .await?;
    e.shot("security-key-pin").await?;

    e.fill("security-key-pin", "9999").await?;
    e.click("security-key-pin-submit").await?;
    expect_refused(
        e,
        "security-key-pin",
        "security-key-pin-error",
        "security_key_pin_wrong",
    )
    .await?;
    let tries = e.text("security-key-retries").await?;
    ensure!(
        tries.contains('7'),
        "seven tries left after a wrong PIN: {tries:?}"
    );
    e.shot("security-key-pin-wrong").await?;
    e.fill("security-key-pin", "1234").await?;
    e.click("security-key-pin-submit").await?;
    name_the_key(e, &mut clipboard, name).await?;
    rename_then_remove(e, renamed).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_security_key_is_added_after_a_wrong_pin_named_renamed_and_removed() {
    run_with(
        "security_key_add_en",
        Lang::En,
        my_account_tenant(),
        options("pin=1234"),
        async |e| add_key_with_a_wrong_pin_first(e, "Blue key", "Desk key").await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_security_key_is_added_in_japanese() {
    run_with(
        "security_key_add_ja",
        Lang::Ja,
        my_account_tenant(),
        options("pin=1234"),
        async |e| add_key_with_a_wrong_pin_first(e, "青いキー", "机のキー").await,
    )
    .await;
}

/// A key with no PIN: the new PIN's rules at the field (too short typed, too long pasted,
/// the two entries different), then a good one; French.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_without_a_pin_gets_one_in_french() {
    run_with(
        "security_key_set_pin_fr",
        Lang::Fr,
        my_account_tenant(),
        options("min=6"),
        async |e| {
            let mut clipboard = Clipboard::new()?;
            start_adding_a_key(e).await?;
            step_title(e, "security-key-step-set-pin", "securityKey.setPinTitle").await?;
            ensure!(
                !e.is_enabled("security-key-set-pin-submit").await?,
                "an empty new PIN can be sent"
            );
            e.expect_text("security-key-set-pin-empty", "securityKey.setPinEmpty")
                .await?;
            e.fill("security-key-new-pin", "12345").await?;
            e.fill("security-key-repeat-pin", "12345").await?;
            e.click("security-key-set-pin-submit").await?;
            expect_refused(
                e,
                "security-key-new-pin",
                "security-key-new-pin-error",
                "security_key_pin_too_short",
            )
            .await?;
            let long = "9".repeat(64);
            clipboard.paste(e, "security-key-new-pin", &long).await?;
            clipboard.paste(e, "security-key-repeat-pin", &long).await?;
            e.click("security-key-set-pin-submit").await?;
            expect_refused(
                e,
                "security-key-new-pin",
                "security-key-new-pin-error",
                "security_key_pin_too_long",
            )
            .await?;
            e.fill("security-key-new-pin", "246810").await?;
            e.fill("security-key-repeat-pin", "246811").await?;
            e.click("security-key-set-pin-submit").await?;
            expect_refused(
                e,
                "security-key-repeat-pin",
                "security-key-repeat-pin-error",
                "security_key_pin_mismatch",
            )
            .await?;
            e.shot("security-key-set-pin-refused").await?;
            e.fill("security-key-new-pin", "246810").await?;
            e.fill("security-key-repeat-pin", "246810").await?;
            e.click("security-key-set-pin-submit").await?;
            name_the_key(e, &mut clipboard, "Clé bleue").await
        },
    )
    .await;
}

/// No key plugged in: "insert your key", then cancel goes back to the kinds with its own
/// words; a second try with the wait over says no key was found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_the_app_asks_for_one_and_cancel_goes_back() {
    run_with(
        "security_key_absent",
        Lang::En,
        my_account_tenant(),
        options("absent"),
        async |e| {
            start_adding_a_key(e).await?;
            step_title(e, "security-key-step-insert", "securityKey.insertTitle").await?;
            e.shot("security-key-insert").await?;
            e.click("security-key-cancel").await?;
            e.wait_for("enroll-step-kind").await?;
            e.wait_for("enroll-kind-passkey").await?;
            Ok(())
        },
    )
    .await;
}

/// The same key twice: after the touch, "already registered" and back at the kinds. Then
/// three wrong PINs in a row: the key wants to be removed and inserted again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_key_twice_and_three_wrong_pins_each_say_so() {
    run_with(
        "security_key_refusals",
        Lang::En,
        my_account_tenant(),
        options("pin=1234"),
        async |e| {
            start_adding_a_key(e).await?;
            enter_pin(e, "1234").await?;
            e.wait_for("security-key-step-name").await?;
            e.click("security-key-name-skip").await?;
            e.wait_home_row("passkey").await?;

            add_a_key(e).await?;
            enter_pin(e, "1234").await?;
            e.wait_error("security_key_already_registered").await?;
            e.wait_for("enroll-kind-passkey").await?;
            e.shot("security-key-already-registered").await?;

            e.click("enroll-kind-passkey").await?;
            e.click("security-key-start").await?;
            for wrong in ["0000", "1111"] {
                enter_pin(e, wrong).await?;
                e.wait_css(&format!(
                    "{}[data-code=\"security_key_pin_wrong\"]",
                    tid("security-key-pin-error")
                ))
                .await?;
            }
            enter_pin(e, "2222").await?;
            e.wait_error("security_key_reinsert").await?;
            e.shot("security-key-reinsert").await
        },
    )
    .await;
}

/// A stray script starts a second ceremony while the first waits for its PIN, as a page
/// calling the commands out of order could: the first ends as cancelled (the screen goes
/// back to the kinds), and the second, driven by the script alone, takes the PIN and adds
/// the key; the new ceremony's PIN is not lost to the first one's end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_from_the_page_replaces_the_waiting_ceremony() {
    run_with(
        "security_key_restart",
        Lang::En,
        my_account_tenant(),
        options("pin=1234"),
        async |e| {
            start_adding_a_key(e).await?;
            e.wait_for("security-key-step-pin").await?;
            let steps = e
                .evaluate(
                    "(async () => {
                       const invoke = window.__TAURI_INTERNALS__.invoke;
                       await invoke('security_key_start');
                       const steps = [];
                       for (let i = 0; i < 6; i += 1) {
                         let step;
                         try { step = await invoke('security_key_next'); }
                         catch (error) { steps.push(`error:${error.code ?? error}`); break; }
                         steps.push(step.step);
                         if (step.step === 'done') break;
                         if (step.step === 'enter_pin') {
                           try { await invoke('security_key_pin', { pin: '1234' }); }
                           catch (error) { steps.push(`pin:${error.code ?? error}`); break; }
                         }
                       }
                       return steps.join(',');
                     })()",
                )
                .await?;
            ensure!(
                steps.ends_with("done") && steps.contains("enter_pin"),
                "the second ceremony: {steps}"
            );
            e.wait_for("enroll-kind-passkey").await?;
            let kinds = e
                .evaluate(
                    "window.__TAURI_INTERNALS__.invoke('list_authenticators')\
                     .then((view) => view.authenticators.map((a) => a.kind).join(','))",
                )
                .await?;
            ensure!(
                kinds.contains("passkey"),
                "methods after the script: {kinds}"
            );
            Ok(())
        },
    )
    .await;
}
