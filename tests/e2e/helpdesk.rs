//! Helpdesk mode in the real WebView, against the local Auth0:
//!
//! - an agent signs in with their own MFA, finds a caller, is blocked until the caller is
//!   verified, issues a recovery code (in the helpdesk session only: never in the keyring,
//!   and gone after a SIGKILL), and the employee, in a fresh app, signs in with it and sets
//!   up a new method; the History screen and its CSV show the action;
//! - a caller's code dies with the helpdesk session: ended, signed out, or the app restarted,
//!   the screens and every command that could show, copy, save or confirm it refuse it;
//! - a reset (after a rate limit that changes nothing), then the employee enrolls afresh;
//! - someone not on the agents list is refused;
//! - a read-only helpdesk application (its secret pasted once by IT) is told which
//!   permissions it lacks;
//! - full passes in Japanese and in French.

use std::fs;

use anyhow::{ensure, Context, Result};
use auth0_emulator::demo::{
    HELPDESK_AGENT, HELPDESK_READONLY_CLIENT_ID, HELPDESK_READONLY_CLIENT_SECRET, ONLY_RECOVERY,
    PHONE_ONLY, PHONE_ONLY_USER_ID, PUSH_USER,
};
use auth0_emulator::Fault;
use serde_json::{json, Value};

use super::harness::{grouped, run, run_with, squash, tid, E2e, Keep, Lang, Options, ENROLLED};
use super::tenant;

/// The keyring entry of codes the demo tenant's agents issued and not yet handed over.
pub const HELPDESK_PENDING_KEY: &str = "demo/helpdesk-pending-recovery-codes";

/// The codes (by caller) the helpdesk vault entry holds, or `None` without an entry.
pub fn helpdesk_pending(e: &E2e) -> Result<Option<Vec<(String, String)>>> {
    e.vault_codes(HELPDESK_PENDING_KEY)
}

/// From the sign-in screen: helpdesk mode's entry, the agent's own sign-in and MFA (the
/// ordinary wizards), then the Find screen.
pub async fn agent_signs_in(e: &mut E2e) -> Result<()> {
    e.wait_screen("signin").await?;
    e.click("helpdesk-entry").await?;
    agent_signs_in_from_entry(e).await
}

/// From helpdesk mode's entry (where an ended session leaves the agent): as above.
pub async fn agent_signs_in_from_entry(e: &mut E2e) -> Result<()> {
    e.wait_screen("helpdesk-entry").await?;
    e.wait_for("helpdesk-start").await?;
    e.shot("helpdesk-entry").await?;
    e.click("helpdesk-start").await?;
    e.wait_css(&format!(
        "{}[data-purpose=\"helpdesk\"]",
        tid("screen-signin")
    ))
    .await?;
    e.shot("helpdesk-signin").await?;
    e.sign_in(HELPDESK_AGENT).await?;
    e.wait_for("verify-step-pick").await?;
    e.pick_method("otp").await?;
    e.wait_for("verify-step-code").await?;
    e.submit_code(&e.totp_now(HELPDESK_AGENT).await?).await?;
    e.wait_screen("helpdesk-find").await?;
    let agent = e.text("header-account").await?;
    ensure!(agent.contains(HELPDESK_AGENT), "the header shows {agent:?}");
    ensure!(
        e.is_visible(&tid("helpdesk-badge")).await,
        "no helpdesk badge in the header"
    );
    Ok(())
}

/// Looks the caller up by email and waits for their screen.
pub async fn open_caller(e: &mut E2e, email: &str) -> Result<()> {
    e.click("helpdesk-nav-find").await?;
    e.wait_screen("helpdesk-find").await?;
    e.fill("helpdesk-search-input", email).await?;
    e.click("helpdesk-search-submit").await?;
    e.wait_screen("helpdesk-caller").await?;
    e.wait_for("helpdesk-identity").await?;
    let shown = e.text("helpdesk-email").await?;
    ensure!(
        shown.to_lowercase().contains(&email.to_lowercase()),
        "the caller screen shows {shown:?} for {email}"
    );
    Ok(())
}

/// Records how the caller was verified.
pub async fn verify_caller(e: &mut E2e, method: &str, reason: &str, ticket: &str) -> Result<()> {
    e.click(&format!("verify-method-{method}")).await?;
    e.fill("helpdesk-verify-reason", reason).await?;
    if !ticket.is_empty() {
        e.fill("helpdesk-verify-ticket", ticket).await?;
    }
    e.click("helpdesk-verify-submit").await?;
    e.wait_css(&format!(
        "{}[data-method=\"{method}\"]",
        tid("helpdesk-verified")
    ))
    .await?;
    ensure!(
        !e.is_visible(&tid("helpdesk-actions-blocked")).await,
        "the actions are still said to be blocked"
    );
    Ok(())
}

/// Opens an action's confirmation and confirms it.
async fn confirm_action(e: &mut E2e, action: &str, shot: &str) -> Result<()> {
    e.click(&format!("helpdesk-action-{action}")).await?;
    e.wait_for("helpdesk-confirm-dialog").await?;
    e.shot(shot).await?;
    e.click("helpdesk-confirm-ok").await?;
    e.wait_gone(&tid("helpdesk-confirm-dialog")).await
}

/// Waits for the outcome panel of an action and its next step for the caller.
async fn expect_outcome(e: &E2e, action: &str, next_step: &str) -> Result<()> {
    e.wait_css(&format!(
        "{}[data-action=\"{action}\"][data-next-step=\"{next_step}\"]",
        tid("helpdesk-outcome")
    ))
    .await?;
    e.expect_text("helpdesk-next-step", &format!("helpdesk.next.{next_step}"))
        .await
}

/// The export dialog as an agent uses it for a caller: no "save", the read-aloud layout,
/// "I read it to the caller", the box, Continue. Returns the code shown.
pub async fn hand_code_over(e: &mut E2e, context: &str, caller: &str) -> Result<String> {
    e.wait_css(&format!(
        "{}[data-context=\"{context}\"]",
        tid("export-dialog")
    ))
    .await?;
    let shown = e.text("export-code").await?;
    let code = shown.replace(' ', "");
    ensure!(shown == grouped(&code), "not grouped in fours: {shown:?}");
    ensure!(
        e.text("export-account").await? == caller,
        "the dialog is not about {caller}"
    );
    ensure!(
        !e.is_visible(&tid("export-save")).await,
        "a caller's code can be saved on the agent's computer"
    );
    let aloud = e.text("export-read-aloud").await?;
    ensure!(
        aloud.contains(
            &code[..4]
                .chars()
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "the read-aloud layout lacks the first group: {aloud:?}"
    );
    ensure!(
        !e.is_enabled("export-continue").await?,
        "Continue is enabled before the code was handed over"
    );
    e.click("export-read").await?;
    e.wait_css(&format!("{}[data-done=\"true\"]", tid("export-read")))
        .await?;
    e.click("export-confirm-checkbox").await?;
    e.wait_enabled("export-continue", true).await?;
    e.click("export-continue").await?;
    e.wait_gone(&tid("export-dialog")).await?;
    Ok(code)
}

/// The History screen, waiting for a row of `action` about `caller`.
async fn history_shows(e: &mut E2e, action: &str, caller: &str) -> Result<()> {
    e.click("helpdesk-nav-history").await?;
    e.wait_screen("helpdesk-history").await?;
    let row = e
        .wait_css(&format!(
            "{}[data-action=\"{action}\"][data-ok=\"true\"]",
            tid("helpdesk-history-row")
        ))
        .await?;
    let text = squash(&row.prop("textContent").await?.unwrap_or_default());
    ensure!(
        text.contains(caller),
        "the {action} row is not about {caller}: {text}"
    );
    ensure!(
        text.contains(HELPDESK_AGENT),
        "the row lacks the agent: {text}"
    );
    Ok(())
}

// ------------------------------------------------------------------ the whole story

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_agent_issues_a_recovery_code_and_the_employee_sets_up_a_new_method() {
    run(
        "helpdesk_issue_recovery_code",
        Lang::En,
        tenant(),
        async |e| {
            e.wait_screen("signin").await?;
            e.shot("signin").await?;
            agent_signs_in(e).await?;
            e.shot("helpdesk-find").await?;

            open_caller(e, "Push.User@example.com").await?;
            e.wait_css(&format!(
                "{}[data-standing=\"holds_factors\"]",
                tid("helpdesk-standing")
            ))
            .await?;
            // Blocked until the caller is verified, with the reason on screen.
            e.wait_for("helpdesk-actions-blocked").await?;
            for action in ["issue_recovery_code", "send_enrollment_ticket", "reset_all"] {
                ensure!(
                    !e.is_enabled(&format!("helpdesk-action-{action}")).await?,
                    "{action} is enabled before the caller was verified"
                );
            }
            ensure!(
                !e.is_enabled("helpdesk-remove").await?,
                "removing a method is possible before verification"
            );
            e.shot("helpdesk-caller-unverified").await?;
            e.scroll_to("helpdesk-methods").await?;
            e.shot("helpdesk-caller-methods").await?;
            e.scroll_to("helpdesk-verify").await?;
            e.shot("helpdesk-verify-form").await?;

            verify_caller(e, "callback_directory_number", "Lost phone", "INC-1001").await?;
            e.scroll_to("helpdesk-verify").await?;
            e.shot("helpdesk-caller-verified").await?;
            confirm_action(e, "issue_recovery_code", "helpdesk-confirm-issue").await?;

            // Shown once, for the caller, and kept in the helpdesk session only.
            e.wait_css(&format!(
                "{}[data-context=\"helpdesk\"]",
                tid("export-dialog")
            ))
            .await?;
            let code = e.text("export-code").await?.replace(' ', "");
            ensure!(
                Some(code.clone()) == e.control().recovery_code(PUSH_USER).await?,
                "the dialog shows another code than the tenant's"
            );
            e.shot("helpdesk-read-aloud").await?;
            ensure!(
                helpdesk_pending(e)?.is_none(),
                "a caller's code was written to the keyring"
            );
            let again = hand_code_over(e, "helpdesk", PUSH_USER).await?;
            ensure!(again == code, "the dialog changed its code");
            e.wait_screen("helpdesk-caller").await?;

            // The action is in the history, and in its CSV, without the code.
            history_shows(e, "regenerate_recovery_code", PUSH_USER).await?;
            e.shot("helpdesk-history").await?;
            e.click("helpdesk-history-export").await?;
            e.wait_for("helpdesk-history-exported").await?;
            let csv = fs::read_dir(&e.save_dir)?
                .flatten()
                .find(|f| f.file_name().to_string_lossy().ends_with(".csv"))
                .context("no CSV file was saved")?;
            let csv = fs::read_to_string(csv.path())?;
            ensure!(csv.starts_with("time,operator,action,user_id"), "{csv}");
            ensure!(csv.contains(",regenerate_recovery_code,") && csv.contains(PUSH_USER));
            ensure!(!csv.contains(&code), "the CSV holds the recovery code");

            e.click("helpdesk-end").await?;
            e.wait_screen("helpdesk-entry").await?;

            // The employee, in a fresh app: signs in with the code, sets up a new method.
            e.close_app().await?;
            e.new_session().await?;
            e.sign_in(PUSH_USER).await?;
            e.wait_for("verify-step-pick").await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            e.fill("recovery-input", &grouped(&code)).await?;
            e.click("recovery-submit").await?;
            e.export_recovery_code(PUSH_USER, Keep::Copy).await?;
            e.wait_screen("home").await?;
            e.wait_for("recovered-callout").await?;
            e.click("add-method").await?;
            e.wait_screen("enroll").await?;
            e.click("enroll-kind-email").await?;
            e.wait_for("enroll-step-email").await?;
            e.click("email-continue").await?;
            e.wait_for("enroll-step-code").await?;
            e.submit_code(&e.outbox_code("email").await?).await?;
            e.wait_home_row("email").await?;
            e.shot("employee-home-new-method").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ a code's lifetime

/// With a caller open and verified, the agent issues a code: the dialog shows it.
async fn issue_code_for(e: &mut E2e, caller: &str) -> Result<String> {
    open_caller(e, caller).await?;
    verify_caller(e, "callback_directory_number", "Lost phone", "INC-2002").await?;
    confirm_action(e, "issue_recovery_code", "helpdesk-confirm-issue").await?;
    e.wait_css(&format!(
        "{}[data-context=\"helpdesk\"]",
        tid("export-dialog")
    ))
    .await?;
    Ok(e.text("export-code").await?.replace(' ', ""))
}

/// Neither the screens nor any command gives the code out any more.
async fn code_is_gone(e: &E2e, code: &str, gone: &str) -> Result<()> {
    let state = e.invoke("app_state", json!({})).await?;
    let state = state.map_err(|err| anyhow::anyhow!("app_state: {err}"))?;
    ensure!(
        state["pendingRecoveryCode"].is_null() && !state.to_string().contains(code),
        "app_state still gives the caller's code: {state}"
    );
    let labels = json!({"labels": {"title": "t", "account": "a", "organization": "o",
        "issued": "i", "purpose": "p", "worksOnce": "w"}});
    for (command, args) in [
        ("recovery_code_copy", json!({})),
        ("recovery_code_save", labels),
        ("recovery_code_confirm", json!({})),
    ] {
        let refused = e.refused_with(command, args).await?;
        ensure!(refused == gone, "{command} answered {refused}, not {gone}");
    }
    ensure!(
        !e.is_visible(&tid("export-code")).await,
        "the code is still on the screen"
    );
    ensure!(
        helpdesk_pending(e)?.is_none(),
        "the keyring holds a caller's code"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_code_dies_with_the_helpdesk_session() {
    run("helpdesk_code_lifetime", Lang::En, tenant(), async |e| {
        agent_signs_in(e).await?;
        let code = issue_code_for(e, PUSH_USER).await?;
        // While it shows: never saved, not even by a script past the screen.
        let refused = e
            .refused_with(
                "recovery_code_save",
                json!({"labels": {"title": "t",
            "account": "a", "organization": "o", "issued": "i", "purpose": "p", "worksOnce": "w"}}),
            )
            .await?;
        ensure!(
            refused == "caller_code_not_saved",
            "save answered {refused}"
        );

        // Helpdesk mode ended (by a script: the dialog hides the button): the dialog's
        // Copy finds the code gone and leaves for helpdesk mode's entry, saying why.
        e.invoke("helpdesk_end", json!({})).await?.ok();
        e.click("export-copy").await?;
        e.wait_screen("helpdesk-entry").await?;
        e.wait_error("caller_code_gone").await?;
        e.shot("helpdesk-code-gone-after-end").await?;
        code_is_gone(e, &code, "caller_code_gone").await?;

        // Signed out while the dialog shows: its Continue finds the code gone.
        e.advance_clock(30).await?;
        agent_signs_in_from_entry(e).await?;
        let code = issue_code_for(e, PUSH_USER).await?;
        e.invoke("sign_out", json!({})).await?.ok();
        e.click("export-read").await?;
        e.click("export-confirm-checkbox").await?;
        e.click("export-continue").await?;
        e.wait_screen("helpdesk-entry").await?;
        code_is_gone(e, &code, "caller_code_gone").await?;

        // The app killed while it shows: the next run never had it.
        e.advance_clock(30).await?;
        agent_signs_in_from_entry(e).await?;
        let code = issue_code_for(e, PUSH_USER).await?;
        e.kill_app().await?;
        e.new_session().await?;
        e.wait_screen("signin").await?;
        code_is_gone(e, &code, "no_pending_code").await?;
        e.advance_clock(30).await?;
        agent_signs_in(e).await?;
        code_is_gone(e, &code, "no_pending_code").await
    })
    .await;
}

/// The screen locks while a caller's code shows: the desktop's screen saver says so on the
/// app's D-Bus session, and the app clears the screen and ends helpdesk mode by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locking_the_screen_ends_helpdesk_mode() {
    run("helpdesk_screen_lock", Lang::En, tenant(), async |e| {
        agent_signs_in(e).await?;
        let code = issue_code_for(e, PUSH_USER).await?;
        let bus = zbus::connection::Builder::address(e.bus_address()?.as_str())?
            .build()
            .await?;
        bus.emit_signal(
            None::<&str>,
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            &(true,),
        )
        .await?;
        e.wait_screen("helpdesk-entry").await?;
        e.wait_error("helpdesk_screen_locked").await?;
        e.shot("helpdesk-screen-locked").await?;
        code_is_gone(e, &code, "caller_code_gone").await
    })
    .await;
}

// ------------------------------------------------------------------ reset

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_reset_after_a_rate_limit_then_the_employee_enrolls_afresh() {
    run("helpdesk_reset_all", Lang::En, tenant(), async |e| {
        agent_signs_in(e).await?;
        open_caller(e, PHONE_ONLY).await?;
        let before = e.text("helpdesk-methods").await?;
        verify_caller(e, "in_person", "New phone, old one broken", "").await?;

        // Removing the phone would leave nothing: the confirmation says so.
        e.click("helpdesk-remove").await?;
        e.wait_for("helpdesk-confirm-none").await?;
        e.shot("helpdesk-confirm-remove-last").await?;
        e.click("helpdesk-confirm-cancel").await?;
        e.wait_gone(&tid("helpdesk-confirm-dialog")).await?;

        // Auth0 says "too many requests": a countdown, and nothing changed.
        let path = format!(
            "/api/v2/users/{}/authentication-methods",
            PHONE_ONLY_USER_ID.replace('|', "%7C")
        );
        e.fault(Fault::rate_limit(&path).times(1)).await?;
        e.click("helpdesk-action-reset_all").await?;
        e.wait_for("helpdesk-confirm-dialog").await?;
        ensure!(
            !e.is_enabled("helpdesk-confirm-ok").await?,
            "reset is possible before the email was typed"
        );
        e.fill("helpdesk-confirm-typed", "phone.only@example.org")
            .await?;
        ensure!(
            !e.is_enabled("helpdesk-confirm-ok").await?,
            "a wrong email enables the reset"
        );
        e.fill("helpdesk-confirm-typed", &PHONE_ONLY.to_uppercase())
            .await?;
        e.shot("helpdesk-confirm-reset").await?;
        e.click("helpdesk-confirm-ok").await?;
        e.wait_css(&format!(
            "{}[data-code=\"rate_limited\"]",
            tid("helpdesk-confirm-error")
        ))
        .await?;
        e.wait_css(&format!("{}[data-purpose=\"retry\"]", tid("countdown")))
            .await?;
        e.expect_text("error-note", "helpdesk.nothingChanged")
            .await?;
        ensure!(
            !e.is_enabled("helpdesk-confirm-ok").await?,
            "the reset can be sent again during the countdown"
        );
        e.shot("helpdesk-reset-rate-limited").await?;
        e.click("helpdesk-confirm-cancel").await?;
        ensure!(
            e.text("helpdesk-methods").await? == before,
            "the methods changed after a refused reset"
        );

        e.click("helpdesk-action-reset_all").await?;
        e.fill("helpdesk-confirm-typed", PHONE_ONLY).await?;
        e.click("helpdesk-confirm-ok").await?;
        e.wait_gone(&tid("helpdesk-confirm-dialog")).await?;
        expect_outcome(e, "reset_all", "set_up_at_next_sign_in").await?;
        e.wait_css(&format!(
            "{}[data-standing=\"no_methods\"]",
            tid("helpdesk-standing")
        ))
        .await?;
        ensure!(
            e.user_secrets(PHONE_ONLY).await?.phone.is_none(),
            "the tenant still has the phone"
        );
        e.scroll_to("helpdesk-outcome").await?;
        e.shot("helpdesk-after-reset").await?;
        history_shows(e, "reset_methods", PHONE_ONLY).await?;

        // The employee signs in and is asked to set up MFA, as a new user would.
        e.sign_out().await?;
        e.sign_in(PHONE_ONLY).await?;
        e.wait_screen("enroll").await?;
        e.expect_heading("enroll.titleFirst").await?;
        e.click("enroll-kind-otp").await?;
        e.wait_for("enroll-step-otp").await?;
        e.submit_code(&e.totp_now(PHONE_ONLY).await?).await?;
        e.save_recovery_code(PHONE_ONLY).await?;
        e.wait_home_row("otp").await?;
        e.shot("employee-enrolled-afresh").await
    })
    .await;
}

// ------------------------------------------------------------------ refusals

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_refuses_someone_not_on_the_agents_list() {
    run("helpdesk_non_agent", Lang::En, tenant(), async |e| {
        e.click("helpdesk-entry").await?;
        e.click("helpdesk-start").await?;
        e.sign_in(ENROLLED).await?;
        e.pick_method("otp").await?;
        e.wait_for("verify-step-code").await?;
        e.submit_code(&e.totp_now(ENROLLED).await?).await?;
        e.wait_screen("helpdesk-entry").await?;
        e.wait_error("not_a_helpdesk_agent").await?;
        e.expect_text_css(
            &format!("{} .banner-message", tid("error-banner")),
            "error.not_a_helpdesk_agent",
        )
        .await?;
        ensure!(
            !e.is_visible(&tid("header-account")).await,
            "the refused person is still shown as signed in"
        );
        e.shot("helpdesk-not-an-agent").await?;
        e.click("helpdesk-back").await?;
        e.wait_css(&format!("{}[data-purpose=\"self\"]", tid("screen-signin")))
            .await?;
        Ok(())
    })
    .await;
}

/// IT's configuration with helpdesk mode on, for the test's emulator.
pub fn managed_helpdesk(client_id: &str) -> Value {
    json!({
        "organization": "Acme Corporation",
        "domain": "$EMULATOR",
        "client_id": "mfa-desk-demo",
        "realm": "Username-Password-Authentication",
        "helpdesk": {
            "management_client_id": client_id,
            "agents": [HELPDESK_AGENT, "@helpdesk.acme.example"]
        }
    })
}

/// The one-time paste of the helpdesk application's secret on the entry screen: a wrong
/// secret is refused and not kept, the right one goes to the keyring.
pub async fn paste_secret(e: &mut E2e, secret: &str) -> Result<()> {
    e.click("helpdesk-entry").await?;
    e.wait_for("helpdesk-secret-form").await?;
    e.fill("helpdesk-secret-input", "not-the-secret").await?;
    e.click("helpdesk-secret-save").await?;
    e.wait_error("helpdesk_credentials_refused").await?;
    let entry = format!("{}/helpdesk-client-secret", e.domain());
    ensure!(
        e.keyring_get(&entry)?.is_none(),
        "a refused secret was kept"
    );
    e.shot("helpdesk-secret-refused").await?;
    e.fill("helpdesk-secret-input", secret).await?;
    e.shot("helpdesk-secret-paste").await?;
    e.click("helpdesk-secret-save").await?;
    e.wait_for("helpdesk-secret-stored").await?;
    ensure!(
        e.keyring_get(&entry)?.as_deref() == Some(secret),
        "the pasted secret is not in the keyring entry {entry}"
    );
    ensure!(
        !e.is_visible(&tid("helpdesk-secret-input")).await,
        "the secret field is still shown"
    );
    e.click("helpdesk-back").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_read_only_application_is_told_the_missing_permission() {
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(managed_helpdesk(HELPDESK_READONLY_CLIENT_ID)),
        ..Options::default()
    };
    run_with(
        "helpdesk_read_only",
        Lang::En,
        tenant(),
        options,
        async |e| {
            paste_secret(e, HELPDESK_READONLY_CLIENT_SECRET).await?;
            agent_signs_in(e).await?;
            open_caller(e, ENROLLED).await?;
            verify_caller(e, "manager_confirmed", "Travelling, phone stolen", "").await?;
            for (action, scope) in [
                ("issue_recovery_code", "update:users"),
                (
                    "send_enrollment_ticket",
                    "create:guardian_enrollment_tickets",
                ),
                ("forget_browsers", "update:users"),
                ("reset_all", "delete:authentication_methods"),
                ("remove_method", "delete:authentication_methods"),
            ] {
                let note = e
                    .text_css(&format!(
                        "{}[data-action=\"{action}\"]",
                        tid("helpdesk-missing-scope")
                    ))
                    .await?;
                ensure!(
                    note.starts_with(&squash(&e.t("helpdesk.actions.missingScope")))
                        && note.contains(scope),
                    "{action}: {note:?} does not name {scope}"
                );
                if action != "remove_method" {
                    ensure!(
                        !e.is_enabled(&format!("helpdesk-action-{action}")).await?,
                        "{action} is offered without its permission"
                    );
                }
            }
            e.expect_text("helpdesk-scope-summary", "error.missing_scope")
                .await?;
            e.shot("helpdesk-missing-scopes").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ languages

/// Everything an agent does in a day, with the texts checked against `e`'s catalogue.
async fn full_pass(e: &mut E2e) -> Result<()> {
    e.wait_screen("signin").await?;
    e.expect_text("helpdesk-entry", "helpdesk.entry.open")
        .await?;
    agent_signs_in(e).await?;
    e.expect_heading("helpdesk.find.title").await?;

    // The trap: only a recovery code left.
    open_caller(e, ONLY_RECOVERY).await?;
    e.expect_text_css(
        &format!("{} strong", tid("helpdesk-standing")),
        "helpdesk.standing.trapTitle",
    )
    .await?;
    e.expect_text_css(
        &format!("{} span", tid("helpdesk-actions-blocked")),
        "helpdesk.actions.blocked",
    )
    .await?;
    e.scroll_to("helpdesk-standing").await?;
    e.shot("helpdesk-trap").await?;

    open_caller(e, ENROLLED).await?;
    verify_caller(e, "photo_id_video_call", "lost phone", "INC-2002").await?;
    e.shot("helpdesk-caller").await?;

    // Remove the phone: the confirmation names its channels and what stays.
    let phone = format!("phone|{}", "dev_DemoPhoneEnrolld");
    e.click_css(&format!("{}[data-id=\"{phone}\"]", tid("helpdesk-remove")))
        .await?;
    e.wait_for("helpdesk-confirm-channels").await?;
    e.expect_text_css(
        &format!("{} p", tid("helpdesk-confirm-siblings")),
        "helpdesk.confirm.siblings",
    )
    .await?;
    e.shot("helpdesk-confirm-remove").await?;
    e.click("helpdesk-confirm-ok").await?;
    e.wait_gone(&tid("helpdesk-confirm-dialog")).await?;
    expect_outcome(e, "remove_method", "sign_in_with_remaining_method").await?;
    e.wait_gone(&format!("{}[data-kind=\"phone\"]", tid("helpdesk-method")))
        .await?;
    e.scroll_to("helpdesk-outcome").await?;
    e.shot("helpdesk-after-remove").await?;

    confirm_action(e, "send_enrollment_ticket", "helpdesk-confirm-ticket").await?;
    expect_outcome(e, "send_enrollment_ticket", "follow_enrollment_email").await?;
    let sent = e.outbox().await?;
    ensure!(
        sent.iter().any(|m| m.to == ENROLLED && m.link.is_some()),
        "no enrollment link was emailed to {ENROLLED}"
    );

    confirm_action(e, "forget_browsers", "helpdesk-confirm-browsers").await?;
    expect_outcome(e, "forget_browsers", "expect_mfa_on_every_browser").await?;

    confirm_action(e, "issue_recovery_code", "helpdesk-confirm-issue").await?;
    e.expect_heading("export.helpdeskTitle").await?;
    e.shot("helpdesk-read-aloud").await?;
    hand_code_over(e, "helpdesk", ENROLLED).await?;
    expect_outcome(
        e,
        "issue_recovery_code",
        "sign_in_with_issued_recovery_code",
    )
    .await?;
    e.shot("helpdesk-next-step").await?;

    history_shows(e, "forget_browsers", ENROLLED).await?;
    e.expect_heading("helpdesk.history.title").await?;
    e.shot("helpdesk-history").await?;
    e.click("helpdesk-end").await?;
    e.wait_screen("helpdesk-entry").await?;
    e.expect_heading("helpdesk.entry.title").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_full_pass_in_japanese() {
    run("helpdesk_japanese", Lang::Ja, tenant(), async |e| {
        full_pass(e).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_full_pass_in_french() {
    run("helpdesk_french", Lang::Fr, tenant(), async |e| {
        full_pass(e).await
    })
    .await;
}
