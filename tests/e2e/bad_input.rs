//! Bad input, typed and pasted into every field of sign-in, enrollment (phone, email, code),
//! verification and recovery, as a person would: with the keyboard, and through the real
//! system clipboard and Ctrl+V. Each refusal must show its own message at the field (tied to
//! it with aria-describedby, the field marked aria-invalid), keep what was typed (except a
//! refused password), and send nothing: the emulator's request counters stay at zero.
//! Every disabled submit must say why, next to the field. Also: "Add another method" from
//! the home screen.

use anyhow::{bail, ensure, Context, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use super::harness::{run, squash, tid, E2e, Lang, DEMO_RECOVERY_CODE, ENROLLED, PASSWORD};
use super::tenant;

/// The X11 clipboard (under Xvfb) held by the test, so the app pastes what a person copied.
/// It must stay alive while the app reads it.
pub(super) struct Clipboard(arboard::Clipboard);

impl Clipboard {
    pub(super) fn new() -> Result<Self> {
        let clipboard =
            arboard::Clipboard::new().context("opening the X11 clipboard (is DISPLAY set?)")?;
        Ok(Self(clipboard))
    }

    /// Copies `text`, then selects everything in the field and presses Ctrl+V.
    pub(super) async fn paste(&mut self, e: &E2e, field: &str, text: &str) -> Result<()> {
        self.0
            .set_text(text.to_owned())
            .context("copying to the clipboard")?;
        let input = e.wait_for(field).await?;
        input.click().await?;
        input.send_keys(&(Key::Control + "a")).await?;
        input.send_keys(&(Key::Control + "v")).await?;
        Ok(())
    }
}

/// The field's current value.
pub(super) async fn value(e: &E2e, field: &str) -> Result<String> {
    Ok(e.wait_for(field)
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// The message under `field` says `code` (its catalogue text), is announced with the field,
/// and the field is marked invalid.
pub(super) async fn expect_refused(e: &E2e, field: &str, error: &str, code: &str) -> Result<()> {
    let css = format!("{}[data-code=\"{code}\"]", tid(error));
    let message = match e.wait_css(&css).await {
        Ok(message) => message,
        Err(waited) => {
            let shown = match e.visible(&tid(error)).await {
                Some(el) => el.attr("data-code").await?.unwrap_or_default(),
                None => "no message".into(),
            };
            let banner = match e.visible(&tid("error-banner")).await {
                Some(el) => el.attr("data-code").await?.unwrap_or_default(),
                None => "none".into(),
            };
            bail!("{waited}; at the field: {shown}; banner: {banner}");
        }
    };
    e.expect_text_css(&css, &format!("error.{code}")).await?;
    ensure!(
        e.is_visible(&format!("{css} > svg.icon")).await,
        "{error}: the message is shown without its warning icon"
    );
    let id = message.attr("id").await?.context("the message has no id")?;
    let input = e.wait_for(field).await?;
    let described = input.attr("aria-describedby").await?.unwrap_or_default();
    ensure!(
        described.split_whitespace().any(|d| d == id),
        "{field}: aria-describedby {described:?} lacks the message {id}"
    );
    ensure!(
        input.attr("aria-invalid").await?.as_deref() == Some("true"),
        "{field} is not marked aria-invalid"
    );
    ensure!(
        !e.is_visible(&tid("error-banner")).await,
        "a refused field is also reported in the banner"
    );
    Ok(())
}

/// Fails if any request reached the emulator's Auth0 endpoints since the counters were reset.
pub(super) async fn expect_nothing_sent(e: &E2e) -> Result<()> {
    let stats = e.control().stats().await?;
    ensure!(
        stats.total_requests() == 0,
        "requests reached the emulator: {:?}",
        stats.requests
    );
    Ok(())
}

/// `submit` is disabled, and the visible hint `hint` says `text`, read with the button.
pub(super) async fn expect_disabled_because(
    e: &E2e,
    submit: &str,
    hint: &str,
    text: &str,
) -> Result<()> {
    ensure!(!e.is_enabled(submit).await?, "{submit} is enabled");
    let shown = e.text(hint).await?;
    ensure!(
        shown == squash(text),
        "{hint}: expected {text:?}, found {shown:?}"
    );
    let id = e.attr(hint, "id").await?.context("the hint has no id")?;
    let described = e
        .attr(submit, "aria-describedby")
        .await?
        .unwrap_or_default();
    ensure!(
        described.split_whitespace().any(|d| d == id),
        "{submit}: aria-describedby {described:?} lacks the hint {id}"
    );
    Ok(())
}

/// Types a code and submits it once Submit is enabled (the field may have submitted it by
/// itself; a second refusal of the same value changes nothing).
async fn type_code(e: &E2e, text: &str) -> Result<()> {
    e.fill("code-input", text).await?;
    e.wait_enabled("code-submit", true).await?;
    e.click("code-submit").await
}

/// Types `text` (after emptying the field) and clicks `submit`.
async fn type_and_submit(e: &E2e, field: &str, text: &str, submit: &str) -> Result<()> {
    e.fill(field, text).await?;
    e.click(submit).await
}

// ------------------------------------------------------------------ sign-in

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_sign_in() {
    run("bad_input_sign_in", Lang::En, tenant(), async |e| {
        let mut clipboard = Clipboard::new()?;
        e.wait_screen("signin").await?;
        e.control().reset_stats().await?;

        // Nothing typed: Sign in is disabled, and both fields say why.
        expect_disabled_because(
            e,
            "signin-submit",
            "signin-username-empty",
            &e.t("signin.emptyEmail"),
        )
        .await?;
        expect_disabled_because(
            e,
            "signin-submit",
            "signin-password-empty",
            &e.t("signin.emptyPassword"),
        )
        .await?;
        e.shot("signin-empty").await?;
        e.fill("signin-password", PASSWORD).await?;
        e.wait_gone(&tid("signin-password-empty")).await?;
        expect_disabled_because(
            e,
            "signin-submit",
            "signin-username-empty",
            &e.t("signin.emptyEmail"),
        )
        .await?;

        // Typed: each defect of an email address has its own message; the text stays.
        for (typed, code) in [
            ("ana", "email_missing_at"),
            ("ana@", "email_missing_domain"),
            ("@example.com", "email_missing_local_part"),
            ("ana lopez@example.com", "email_has_spaces"),
            ("ana@example", "email_invalid_domain"),
        ] {
            type_and_submit(e, "signin-username", typed, "signin-submit").await?;
            expect_refused(e, "signin-username", "signin-username-error", code).await?;
            ensure!(
                value(e, "signin-username").await? == typed,
                "the field no longer holds {typed:?}"
            );
        }
        e.shot("signin-bad-email").await?;

        // Pasted: a second line is refused as a whole; the field keeps what it had.
        e.fill("signin-username", "ana").await?;
        clipboard
            .paste(e, "signin-username", "enrolled@example.com\nsecond line")
            .await?;
        expect_refused(
            e,
            "signin-username",
            "signin-username-error",
            "input_multiple_lines",
        )
        .await?;
        ensure!(
            value(e, "signin-username").await? == "ana",
            "a refused paste changed the field"
        );
        e.shot("signin-pasted-two-lines").await?;
        clipboard
            .paste(e, "signin-username", "enrolled@example")
            .await?;
        ensure!(value(e, "signin-username").await? == "enrolled@example");
        e.click("signin-submit").await?;
        expect_refused(
            e,
            "signin-username",
            "signin-username-error",
            "email_invalid_domain",
        )
        .await?;

        // A password longer than any can be is refused, never cut, and not kept.
        e.fill("signin-username", ENROLLED).await?;
        clipboard
            .paste(e, "signin-password", &"p".repeat(1100))
            .await?;
        ensure!(
            value(e, "signin-password").await?.len() == 1100,
            "the pasted password was cut"
        );
        e.click("signin-submit").await?;
        expect_refused(
            e,
            "signin-password",
            "signin-password-error",
            "password_too_long",
        )
        .await?;
        ensure!(
            value(e, "signin-password").await?.is_empty(),
            "a refused password stays in the field"
        );
        expect_disabled_because(
            e,
            "signin-submit",
            "signin-password-empty",
            &e.t("signin.emptyPassword"),
        )
        .await?;
        e.shot("signin-password-too-long").await?;
        type_and_submit(e, "signin-password", &"q".repeat(1025), "signin-submit").await?;
        expect_refused(
            e,
            "signin-password",
            "signin-password-error",
            "password_too_long",
        )
        .await?;
        clipboard
            .paste(e, "signin-password", "correct horse\nbattery staple")
            .await?;
        expect_refused(
            e,
            "signin-password",
            "signin-password-error",
            "input_multiple_lines",
        )
        .await?;
        expect_nothing_sent(e).await?;

        // Corrected, it goes through, and the counters that stayed at zero count it.
        e.fill("signin-password", PASSWORD).await?;
        e.click("signin-submit").await?;
        e.wait_for("verify-step-pick").await?;
        let sent = e.control().stats().await?;
        ensure!(
            sent.requests.get("/oauth/token") == Some(&1),
            "the sign-in was not counted: {:?}",
            sent.requests
        );
        Ok(())
    })
    .await;
}

// ------------------------------------------------------------------ enrollment

/// A fresh user signed in, on the enrollment screen, with the request counters reset.
async fn at_enroll(e: &mut E2e, local: &str) -> Result<String> {
    let email = e.create_user(local).await?;
    e.sign_in(&email).await?;
    e.wait_for("enroll-step-kind").await?;
    e.control().reset_stats().await?;
    Ok(email)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_enroll_phone_in_french() {
    run(
        "bad_input_enroll_phone_in_french",
        Lang::Fr,
        tenant(),
        async |e| {
            let mut clipboard = Clipboard::new()?;
            at_enroll(e, "phone").await?;
            e.click("enroll-kind-sms").await?;
            e.wait_for("enroll-step-phone").await?;
            e.select_value("phone-country", "FR").await?;
            e.expect_text_css(
                &format!("{} .hint", tid("enroll-step-phone")),
                "phone.numberHint",
            )
            .await?;
            expect_disabled_because(e, "phone-continue", "phone-empty", &e.t("phone.empty"))
                .await?;
            e.shot("enroll-phone-empty").await?;

            for (typed, code) in [
                ("06 12 34 56 78 après 18 h", "phone_extra_text"),
                ("06 12 34 56 78 poste 12", "phone_extra_text"),
                ("+1 800 555 0199", "unsupported_phone"),
                ("12", "invalid_phone"),
            ] {
                type_and_submit(e, "phone-number", typed, "phone-continue").await?;
                expect_refused(e, "phone-number", "phone-error", code).await?;
                ensure!(
                    value(e, "phone-number").await? == typed,
                    "the field no longer holds {typed:?}"
                );
            }
            e.shot("enroll-phone-extra-text").await?;

            // Pasted: a premium-rate number, and two numbers on two lines.
            clipboard
                .paste(e, "phone-number", "+33 8 99 12 34 56")
                .await?;
            e.click("phone-continue").await?;
            expect_refused(e, "phone-number", "phone-error", "unsupported_phone").await?;
            ensure!(value(e, "phone-number").await? == "+33 8 99 12 34 56");
            e.shot("enroll-phone-premium-rate").await?;
            clipboard
                .paste(e, "phone-number", "06 12 34 56 78\n06 98 76 54 32")
                .await?;
            expect_refused(e, "phone-number", "phone-error", "input_multiple_lines").await?;
            clipboard
                .paste(e, "phone-number", "06 12 34 56 78 (mobile)")
                .await?;
            e.click("phone-continue").await?;
            expect_refused(e, "phone-number", "phone-error", "phone_extra_text").await?;
            expect_nothing_sent(e).await?;

            // A number with its country code, whatever the country picked, is fine.
            e.fill("phone-number", "+33 6 12 34 56 78").await?;
            e.click("phone-continue").await?;
            e.wait_for("enroll-step-phone-confirm").await?;
            ensure!(e.text("phone-display").await? == "+33 6 12 34 56 78");
            expect_nothing_sent(e).await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_enroll_email_in_japanese() {
    run(
        "bad_input_enroll_email_in_japanese",
        Lang::Ja,
        tenant(),
        async |e| {
            let mut clipboard = Clipboard::new()?;
            let email = at_enroll(e, "email").await?;
            e.click("enroll-kind-email").await?;
            e.wait_for("enroll-step-email").await?;
            ensure!(value(e, "email-input").await? == email, "not prefilled");
            e.fill("email-input", " ").await?;
            expect_disabled_because(e, "email-continue", "email-empty", &e.t("email.empty"))
                .await?;

            for (typed, code) in [
                ("ana", "email_missing_at"),
                ("ana@example", "email_invalid_domain"),
                ("ａｎａ@example.com", "email_full_width"),
                ("ana@example.com bob@example.com", "email_has_spaces"),
            ] {
                type_and_submit(e, "email-input", typed, "email-continue").await?;
                expect_refused(e, "email-input", "email-error", code).await?;
                ensure!(
                    value(e, "email-input").await? == typed,
                    "the field no longer holds {typed:?}"
                );
                if code == "email_full_width" {
                    e.shot("enroll-email-full-width").await?;
                }
            }

            clipboard
                .paste(e, "email-input", "ana@example.com\nbob@example.com")
                .await?;
            expect_refused(e, "email-input", "email-error", "input_multiple_lines").await?;
            e.shot("enroll-email-two-lines").await?;
            clipboard.paste(e, "email-input", "@example.com").await?;
            e.click("email-continue").await?;
            expect_refused(e, "email-input", "email-error", "email_missing_local_part").await?;
            expect_nothing_sent(e).await?;

            // Surrounding spaces and a trailing line break are not mistakes.
            clipboard
                .paste(e, "email-input", &format!(" {email}\n"))
                .await?;
            e.click("email-continue").await?;
            e.wait_for("enroll-step-code").await?;
            e.outbox_code("email").await?;
            Ok(())
        },
    )
    .await;
}

/// The code field, on the screen at hand: typed and pasted bad codes are refused at the
/// field; an incomplete one keeps Submit disabled with a hint. Nothing is sent.
async fn bad_codes(e: &mut E2e, clipboard: &mut Clipboard, step: &str) -> Result<()> {
    e.control().reset_stats().await?;
    e.expect_text_css(&format!("{} .code-form .hint", tid(step)), "code.hint")
        .await?;
    expect_disabled_because(e, "code-submit", "code-incomplete", &e.t("code.incomplete")).await?;
    e.fill("code-input", "123").await?;
    expect_disabled_because(e, "code-submit", "code-incomplete", &e.t("code.incomplete")).await?;
    e.shot(&format!("{step}-incomplete")).await?;

    // Pasted with other text: refused whole, not filtered down to its digits and sent.
    clipboard
        .paste(e, "code-input", "123456 is your verification code")
        .await?;
    expect_refused(e, "code-input", "code-error", "code_not_digits").await?;
    ensure!(
        value(e, "code-input").await? == "123456 is your verification code",
        "the pasted text was changed"
    );
    e.shot(&format!("{step}-pasted-text")).await?;
    clipboard.paste(e, "code-input", "1234567").await?;
    expect_refused(e, "code-input", "code-error", "invalid_code_format").await?;

    // Typed.
    type_code(e, "12a45b").await?;
    expect_refused(e, "code-input", "code-error", "code_not_digits").await?;
    ensure!(value(e, "code-input").await? == "12a45b");
    type_code(e, "G-123456").await?;
    expect_refused(e, "code-input", "code-error", "code_not_digits").await?;
    expect_nothing_sent(e).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_enroll_code() {
    run("bad_input_enroll_code", Lang::En, tenant(), async |e| {
        let mut clipboard = Clipboard::new()?;
        let email = at_enroll(e, "code").await?;
        e.click("enroll-kind-otp").await?;
        e.wait_for("enroll-step-otp").await?;
        bad_codes(e, &mut clipboard, "enroll-step-otp").await?;
        // A real code pasted with spaces goes through at once.
        let code = e.totp_now(&email).await?;
        clipboard
            .paste(e, "code-input", &format!("{} {}", &code[..3], &code[3..]))
            .await?;
        e.wait_for("export-dialog").await?;
        Ok(())
    })
    .await;
}

// ------------------------------------------------------------------ verification and recovery

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_verify_and_recovery() {
    run(
        "bad_input_verify_and_recovery",
        Lang::En,
        tenant(),
        async |e| {
            let mut clipboard = Clipboard::new()?;
            e.sign_in(ENROLLED).await?;
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            bad_codes(e, &mut clipboard, "verify-step-code").await?;

            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            e.control().reset_stats().await?;
            let incomplete = |n: usize| {
                e.t("recover.incomplete")
                    .replace("{total}", "24")
                    .replace("{n}", &n.to_string())
            };
            expect_disabled_because(e, "recovery-submit", "recovery-count", &incomplete(0)).await?;
            e.fill("recovery-input", "7KQ9 XW2M").await?;
            expect_disabled_because(e, "recovery-submit", "recovery-count", &incomplete(8)).await?;
            e.shot("recover-incomplete").await?;

            let typed = "7KQ9-XW2M-FDEM-Q4RE-CV8Y-CDE!";
            type_and_submit(e, "recovery-input", typed, "recovery-submit").await?;
            expect_refused(
                e,
                "recovery-input",
                "recovery-error",
                "invalid_recovery_code_format",
            )
            .await?;
            ensure!(value(e, "recovery-input").await? == typed);
            e.shot("recover-bad-character").await?;
            let pasted = format!("My recovery code: {DEMO_RECOVERY_CODE}");
            clipboard.paste(e, "recovery-input", &pasted).await?;
            e.click("recovery-submit").await?;
            expect_refused(
                e,
                "recovery-input",
                "recovery-error",
                "invalid_recovery_code_format",
            )
            .await?;
            ensure!(value(e, "recovery-input").await? == pasted);
            expect_nothing_sent(e).await?;
            ensure!(
                e.recovery_code(ENROLLED).await? == DEMO_RECOVERY_CODE,
                "the recovery code was used"
            );
            Ok(())
        },
    )
    .await;
}

// ------------------------------------------------------------------ adding a method

/// Presses and releases `key` wherever the focus is.
async fn press(e: &E2e, key: Key) -> Result<()> {
    let key = char::from(key);
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    let client = e.wait_css("main").await?.client();
    client.perform_actions(keys).await?;
    Ok(())
}

/// The focused element's `data-testid` ("" when it has none).
async fn focused_testid(e: &E2e) -> Result<String> {
    let client = e.wait_css("main").await?.client();
    let answer = client
        .execute(
            "return document.activeElement.dataset.testid ?? '';",
            vec![],
        )
        .await?;
    Ok(answer.as_str().unwrap_or_default().to_owned())
}

/// The focused element's tag and its outline style as drawn.
async fn focused_ring(e: &E2e) -> Result<(String, String)> {
    let client = e.wait_css("main").await?.client();
    let answer = client
        .execute(
            "const el = document.activeElement; \
             return [el.tagName, getComputedStyle(el).outlineStyle];",
            vec![],
        )
        .await?;
    let pair = |i: usize| answer[i].as_str().unwrap_or_default().to_owned();
    Ok((pair(0), pair(1)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_another_method_from_home() {
    run(
        "add_another_method_from_home",
        Lang::En,
        tenant(),
        async |e| {
            e.sign_in(ENROLLED).await?;
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            e.submit_code(&e.totp_now(ENROLLED).await?).await?;
            e.wait_home_row("otp").await?;
            let email_row = format!("{}[data-kind=\"email\"]", tid("authenticator-row"));
            ensure!(
                !e.is_visible(&email_row).await,
                "already has an email method"
            );
            e.shot("home").await?;

            // With the keyboard, as a keyboard user would: Tab to the button, Enter. The new
            // screen's heading takes focus without a ring (the browser would draw one, as
            // the last focus came from the keyboard); a control reached with Tab shows one.
            e.expect_text("add-method", "home.addMethod").await?;
            let mut presses = 0;
            while focused_testid(e).await? != "add-method" {
                ensure!(presses < 40, "Tab never reached Add another method");
                press(e, Key::Tab).await?;
                presses += 1;
            }
            let (tag, ring) = focused_ring(e).await?;
            ensure!(
                tag == "BUTTON" && ring != "none",
                "keyboard focus on {tag} shows outline {ring}"
            );
            press(e, Key::Enter).await?;
            e.wait_screen("enroll").await?;
            e.expect_heading("enroll.title").await?;
            e.wait_for("enroll-step-kind").await?;
            let (tag, ring) = focused_ring(e).await?;
            ensure!(
                tag.starts_with('H') && ring == "none",
                "focus after the screen change: {tag} with outline {ring}"
            );
            e.shot("enroll-another").await?;
            e.click("enroll-kind-email").await?;
            ensure!(
                value(e, "email-input").await? == ENROLLED,
                "the address is not prefilled with the account"
            );
            e.click("email-continue").await?;
            e.wait_for("enroll-step-code").await?;
            e.shot("enroll-another-code").await?;
            e.submit_code(&e.outbox_code("email").await?).await?;

            // A second method brings no new recovery code: straight back home, with it listed.
            e.wait_css(&email_row).await?;
            e.expect_text_css(&format!("{} span", tid("home-notice")), "home.enrolled")
                .await?;
            ensure!(
                !e.is_visible(&tid("export-dialog")).await,
                "a recovery code dialog after a second method"
            );
            for kind in ["otp", "sms", "voice"] {
                e.wait_home_row(kind).await?;
            }
            ensure!(
                e.recovery_code(ENROLLED).await? == DEMO_RECOVERY_CODE,
                "the recovery code changed"
            );
            e.shot("home-with-email").await
        },
    )
    .await;
}
