//! Helpdesk mode in the real WebView, through the real helpdesk service beside the local
//! Auth0 (no Management API secret anywhere near the app):
//!
//! - the whole story, in English, Japanese and French: an employee lost their phone; the agent
//!   signs in afresh through the browser, finds them, verifies them by a push to their own
//!   phone (the words on the screen are the words on the phone), runs the stolen-phone
//!   playbook (interrupted once, carried on), reads the new code out; the employee signs in
//!   with it and sets up a new method;
//! - a push denied on the phone verifies nobody; the checklist remains;
//! - an agent without `helpdesk:reset` asks for a reset and a lead approves it in a second
//!   instance of the app; the agent sees it without reloading;
//! - an agent whose sign-in lacks MFA is refused at the door;
//! - a caller's code dies with the helpdesk session (ended, signed out, app killed, screen
//!   locked, the idle limit): no screen and no command gives it out again.

use anyhow::{ensure, Result};
use auth0_emulator::demo::{HELPDESK_AGENT, LEAD, PHONE_ONLY, PUSH_USER, PUSH_USER_USER_ID};
use auth0_emulator::Fault;
use serde_json::json;

use super::harness::{grouped, run, run_with, squash, tid, E2e, Keep, Lang, Options, ENROLLED};
use super::tenant;

/// The keyring entry of codes the demo tenant's agents issued and not yet handed over (an
/// earlier version's; nothing writes it now).
pub const HELPDESK_PENDING_KEY: &str = "demo/helpdesk-pending-recovery-codes";

/// IT's configuration naming the test's helpdesk service and the helpdesk API.
pub fn managed_helpdesk() -> serde_json::Value {
    json!({
        "organization": "Acme Corporation",
        "domain": "$EMULATOR",
        "client_id": "mfa-desk-demo",
        "realm": "Username-Password-Authentication",
        "helpdesk": {
            "service_url": "$HELPDESK_SERVICE",
            "api_identifier": auth0_emulator::demo::HELPDESK_API
        }
    })
}

/// From the sign-in screen: helpdesk mode's entry, then `agent`'s fresh sign-in with MFA in
/// the system browser, then the Find screen.
pub async fn agent_signs_in(e: &mut E2e, agent: &str) -> Result<()> {
    e.wait_screen("signin").await?;
    e.click("helpdesk-entry").await?;
    agent_signs_in_from_entry(e, agent).await
}

/// From helpdesk mode's entry (where an ended session leaves the agent): as above.
pub async fn agent_signs_in_from_entry(e: &mut E2e, agent: &str) -> Result<()> {
    e.wait_screen("helpdesk-entry").await?;
    let seen = e.opened_urls().len();
    e.click("helpdesk-start").await?;
    e.wait_for("helpdesk-signin-waiting").await?;
    e.shot("helpdesk-signin-waiting").await?;
    let (browser, callback) = e.hosted_sign_in_with_otp(seen, agent).await?;
    e.deliver_callback(&browser, &callback, "done").await?;
    e.wait_screen("helpdesk-find").await?;
    let shown = e.text("header-account").await?;
    ensure!(shown.contains(agent), "the header shows {shown:?}");
    Ok(())
}

/// Helpdesk mode's entry refuses the sign-in that just came back, saying why.
pub async fn sign_in_refused(e: &mut E2e, code: &str) -> Result<()> {
    e.wait_screen("helpdesk-entry").await?;
    e.wait_css(&format!(
        "{}[data-code=\"{code}\"]",
        tid("helpdesk-signin-error")
    ))
    .await?;
    ensure!(
        !e.is_visible(&tid("header-account")).await,
        "the refused agent is shown as signed in"
    );
    Ok(())
}

/// Looks the caller up and waits for their screen.
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

/// Records the checklist: how the caller was verified, why, the ticket.
pub async fn verify_caller(e: &mut E2e, method: &str, reason: &str, ticket: &str) -> Result<()> {
    e.fill("helpdesk-verify-reason", reason).await?;
    if !ticket.is_empty() {
        e.fill("helpdesk-verify-ticket", ticket).await?;
    }
    e.click(&format!("verify-method-{method}")).await?;
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

/// Sends a push to the caller's phone: the words shown are the words on the phone. `approve`
/// answers it there; the screen's status afterwards.
async fn verify_by_push(e: &mut E2e, reason: &str, approve: bool) -> Result<()> {
    e.fill("helpdesk-verify-reason", reason).await?;
    e.click("helpdesk-push-send").await?;
    e.wait_for("helpdesk-push-binding").await?;
    let shown = e.text("helpdesk-push-binding").await?;
    let pending = e
        .control()
        .wait_for_push(std::time::Duration::from_secs(10))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no push reached the caller's phone"))?;
    ensure!(
        pending.binding_message.as_deref() == Some(shown.trim()),
        "the screen reads {shown:?}, the phone {:?}",
        pending.binding_message
    );
    e.scroll_to("helpdesk-verify-push").await?;
    e.shot("helpdesk-push-read-out").await?;
    if approve {
        e.control().approve_push(None).await?;
        e.wait_css(&format!(
            "{}[data-method=\"push\"]",
            tid("helpdesk-verified")
        ))
        .await?;
        e.wait_for("helpdesk-verified-until").await?;
    } else {
        e.control().deny_push(None).await?;
        e.wait_css(&format!(
            "{}[data-status=\"denied\"]",
            tid("helpdesk-push-status")
        ))
        .await?;
    }
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

// ------------------------------------------------------------------ the whole story

/// Lost phone to new method, with the texts checked against `e`'s catalogue.
async fn stolen_phone_story(e: &mut E2e) -> Result<()> {
    e.wait_screen("signin").await?;
    e.expect_text("helpdesk-entry", "helpdesk.entry.open")
        .await?;
    agent_signs_in(e, HELPDESK_AGENT).await?;
    e.expect_heading("helpdesk.find.title").await?;
    e.shot("helpdesk-find").await?;

    open_caller(e, "Push.User@example.com").await?;
    // Blocked until the caller is verified, with the reason on screen.
    e.expect_text_css(
        &format!("{} span", tid("helpdesk-actions-blocked")),
        "helpdesk.actions.blocked",
    )
    .await?;
    ensure!(
        !e.is_enabled("helpdesk-playbook-open").await?,
        "the playbook can start before the caller is verified"
    );
    e.wait_css(&format!(
        "{}[aria-busy=\"false\"]",
        tid("helpdesk-events-area")
    ))
    .await?;
    e.shot("helpdesk-caller-unverified").await?;

    verify_by_push(e, "Phone stolen on the train", true).await?;
    e.scroll_to("helpdesk-verify").await?;
    e.shot("helpdesk-caller-verified-by-push").await?;

    // The playbook: previewed, run, interrupted by Auth0 once, carried on.
    e.click("helpdesk-playbook-open").await?;
    e.wait_screen("helpdesk-playbook").await?;
    e.click("helpdesk-playbook-then-recovery_code").await?;
    e.click("helpdesk-playbook-plan").await?;
    e.wait_for("helpdesk-playbook-steps").await?;
    let preview = squash(&e.text("helpdesk-playbook-steps").await?);
    ensure!(!preview.is_empty(), "no steps in the preview");
    e.shot("helpdesk-playbook-preview").await?;
    let methods = format!(
        "/api/v2/users/{}/authentication-methods",
        PUSH_USER_USER_ID.replace('|', "%7C")
    );
    e.fault(Fault::rate_limit(&methods).method("DELETE").times(1))
        .await?;
    e.click("helpdesk-playbook-run").await?;
    e.wait_css(&format!(
        "{}[data-status=\"failed\"]",
        tid("helpdesk-playbook-step-status")
    ))
    .await?;
    e.wait_for("helpdesk-playbook-step-error").await?;
    e.shot("helpdesk-playbook-interrupted").await?;
    e.click("helpdesk-playbook-carry-on").await?;

    // The new code, read out once, never in the keyring.
    let code = hand_code_over(e, "helpdesk", PUSH_USER).await?;
    ensure!(
        Some(code.clone()) == e.control().recovery_code(PUSH_USER).await?,
        "the dialog showed another code than the tenant's"
    );
    ensure!(
        e.vault_codes(HELPDESK_PENDING_KEY)?.is_none(),
        "a caller's code was written to the keyring"
    );
    e.wait_screen("helpdesk-caller").await?;
    let secrets = e.user_secrets(PUSH_USER).await?;
    ensure!(
        secrets.newest_otp().is_none(),
        "the lost phone's authenticator app is still enrolled"
    );
    e.shot("helpdesk-after-playbook").await?;

    // Every agent's history, from the service.
    e.click("helpdesk-nav-history").await?;
    e.wait_screen("helpdesk-history").await?;
    e.expect_heading("helpdesk.history.title").await?;
    e.wait_css(&format!(
        "{}[data-action=\"end_sessions\"][data-kind=\"outcome\"]",
        tid("helpdesk-history-row")
    ))
    .await?;
    e.shot("helpdesk-history").await?;
    e.click("helpdesk-end").await?;
    e.wait_screen("helpdesk-entry").await?;

    // The employee, in a fresh app: signs in with the code read out, sets up a new method.
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
    e.click("add-method").await?;
    e.wait_screen("enroll").await?;
    e.click("enroll-kind-email").await?;
    e.wait_for("enroll-step-email").await?;
    e.click("email-continue").await?;
    e.wait_for("enroll-step-code").await?;
    e.submit_code(&e.outbox_code("email").await?).await?;
    e.wait_home_row("email").await?;
    e.shot("employee-home-new-method").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_stolen_phone_story() {
    run("helpdesk_stolen_phone", Lang::En, tenant(), async |e| {
        stolen_phone_story(e).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_stolen_phone_story_in_japanese() {
    run("helpdesk_japanese", Lang::Ja, tenant(), async |e| {
        stolen_phone_story(e).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helpdesk_stolen_phone_story_in_french() {
    run("helpdesk_french", Lang::Fr, tenant(), async |e| {
        stolen_phone_story(e).await
    })
    .await;
}

// ------------------------------------------------------------------ refusals

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_denied_on_the_phone_verifies_nobody() {
    run("helpdesk_push_denied", Lang::En, tenant(), async |e| {
        agent_signs_in(e, HELPDESK_AGENT).await?;
        open_caller(e, PUSH_USER).await?;
        // Nothing is sent without a reason: the field says so.
        e.click("helpdesk-push-send").await?;
        e.wait_for("helpdesk-verify-reason-error").await?;
        ensure!(
            e.control().pending_push().await?.is_none(),
            "a push went out without a reason"
        );
        verify_by_push(e, "Lost phone", false).await?;
        e.wait_for("helpdesk-push-next").await?;
        e.wait_for("helpdesk-actions-blocked").await?;
        e.shot("helpdesk-push-denied").await?;
        // The checklist remains.
        verify_caller(e, "callback_directory_number", "Lost phone", "INC-9").await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_whose_sign_in_lacks_mfa_is_refused() {
    let mut no_action = tenant();
    no_action.mfa_claim_action = None;
    run("helpdesk_no_mfa_claim", Lang::En, no_action, async |e| {
        e.click("helpdesk-entry").await?;
        e.wait_screen("helpdesk-entry").await?;
        let seen = e.opened_urls().len();
        e.click("helpdesk-start").await?;
        let (browser, callback) = e.hosted_sign_in_with_otp(seen, HELPDESK_AGENT).await?;
        e.deliver_callback(&browser, &callback, "done").await?;
        sign_in_refused(e, "agent_mfa_missing").await?;
        e.shot("helpdesk-no-mfa").await
    })
    .await;
}

// ------------------------------------------------------------------ four eyes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_asks_for_a_reset_and_a_lead_approves_it_in_another_app() {
    run("helpdesk_four_eyes", Lang::En, tenant(), async |e| {
        agent_signs_in(e, HELPDESK_AGENT).await?;
        open_caller(e, PHONE_ONLY).await?;
        verify_caller(e, "in_person", "New phone, old one broken", "").await?;
        e.wait_for("helpdesk-needs-approval").await?;
        e.click("helpdesk-action-reset").await?;
        e.wait_for("helpdesk-confirm-dialog").await?;
        e.wait_for("helpdesk-confirm-approval").await?;
        e.fill("helpdesk-confirm-typed", &PHONE_ONLY.to_uppercase())
            .await?;
        e.click("helpdesk-confirm-ok").await?;
        e.wait_gone(&tid("helpdesk-confirm-dialog")).await?;
        e.wait_css(&format!(
            "{}[data-status=\"pending\"]",
            tid("helpdesk-approval")
        ))
        .await?;
        e.shot("helpdesk-waiting-for-approval").await?;
        ensure!(
            e.user_secrets(PHONE_ONLY).await?.phone.is_some(),
            "the reset was carried out before anyone approved it"
        );

        // The lead, in a second instance of the app.
        let mut lead = e.start_other_app().await?;
        e.swap_app(&mut lead);
        let result = async {
            agent_signs_in(e, LEAD).await?;
            e.click("helpdesk-nav-approvals").await?;
            e.wait_screen("helpdesk-approvals").await?;
            let row = e
                .wait_css(&format!(
                    "{}[data-mine=\"false\"]",
                    tid("helpdesk-approval-row")
                ))
                .await?;
            let text = squash(&row.prop("textContent").await?.unwrap_or_default());
            ensure!(
                text.contains(HELPDESK_AGENT) && text.contains(PHONE_ONLY),
                "the request does not say who asked for whom: {text}"
            );
            e.shot("helpdesk-approvals").await?;
            // Refusing needs a reason the agent will read: none is refused at the field.
            e.click("helpdesk-approval-refuse").await?;
            e.wait_for("helpdesk-approval-refuse-form").await?;
            e.click("helpdesk-approval-refuse-confirm").await?;
            e.wait_css(&format!(
                "{}[data-code=\"input_empty\"]",
                tid("helpdesk-approval-refuse-reason-error")
            ))
            .await?;
            e.click("helpdesk-approval-refuse-cancel").await?;
            e.click("helpdesk-approval-approve").await?;
            e.wait_for("helpdesk-approval-decided").await?;
            e.shot("helpdesk-approved").await
        }
        .await;
        e.swap_app(&mut lead);
        lead.close().await;
        result?;

        // The agent sees it approved, without reloading, and the caller starts afresh.
        e.wait_css(&format!(
            "{}[data-status=\"approved\"]",
            tid("helpdesk-approval")
        ))
        .await?;
        e.expect_text("helpdesk-next-step", "helpdesk.next.set_up_at_next_sign_in")
            .await?;
        e.shot("helpdesk-approval-seen").await?;
        ensure!(
            e.user_secrets(PHONE_ONLY).await?.phone.is_none(),
            "the tenant still has the phone after the approved reset"
        );
        Ok(())
    })
    .await;
}

// ------------------------------------------------------------------ a code's lifetime

/// With a caller open and verified, the agent issues a code: the dialog shows it.
pub async fn issue_code_for(e: &mut E2e, caller: &str) -> Result<String> {
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
pub async fn code_is_gone(e: &E2e, code: &str, gone: &str) -> Result<()> {
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
        e.vault_codes(HELPDESK_PENDING_KEY)?.is_none(),
        "the keyring holds a caller's code"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_code_dies_with_the_helpdesk_session() {
    run(
        "helpdesk_code_lifetime",
        Lang::En,
        tenant(),
        callers_code_dies_with_the_session,
    )
    .await;
}

/// A caller's code after the agent ends helpdesk mode, signs out, and after the app is killed
/// (the next start never had it); also run on the installed release build
/// (`release_rules::installed_app_*`).
pub async fn callers_code_dies_with_the_session(e: &mut E2e) -> Result<()> {
    agent_signs_in(e, HELPDESK_AGENT).await?;
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
    agent_signs_in_from_entry(e, HELPDESK_AGENT).await?;
    let code = issue_code_for(e, ENROLLED).await?;
    e.invoke("sign_out", json!({})).await?.ok();
    e.click("export-read").await?;
    e.click("export-confirm-checkbox").await?;
    e.click("export-continue").await?;
    e.wait_screen("helpdesk-entry").await?;
    code_is_gone(e, &code, "caller_code_gone").await?;

    // The app killed while it shows: the next run never had it.
    e.advance_clock(30).await?;
    agent_signs_in_from_entry(e, HELPDESK_AGENT).await?;
    let code = issue_code_for(e, PHONE_ONLY).await?;
    e.kill_app().await?;
    e.new_session().await?;
    e.wait_screen("signin").await?;
    code_is_gone(e, &code, "no_pending_code").await
}

/// The agent walks away while a caller's code shows: at the idle limit (ten seconds here,
/// through a test build's hook; fifteen minutes otherwise) the app clears the screen and ends
/// helpdesk mode by itself, saying why, and the code is gone. (A release build has no hook:
/// `release_rules::installed_app_lets_nothing_outlive_its_deadline` waits out IT's maximum
/// length instead, which ends a session the same way.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walking_away_ends_helpdesk_mode_at_the_idle_limit() {
    const IDLE: std::time::Duration = std::time::Duration::from_secs(10);
    let mut options = Options::default();
    options.env.push((
        "MFA_DESK_TEST_HELPDESK_IDLE_SECS".into(),
        IDLE.as_secs().to_string(),
    ));
    run_with("helpdesk_idle", Lang::En, tenant(), options, async |e| {
        agent_signs_in(e, HELPDESK_AGENT).await?;
        // The last action begins after this instant: the session cannot lapse before IDLE.
        let before_last_action = std::time::Instant::now();
        let code = issue_code_for(e, PUSH_USER).await?;
        e.wait_css_for(
            &tid("screen-helpdesk-entry"),
            IDLE + std::time::Duration::from_secs(15),
        )
        .await?;
        ensure!(
            before_last_action.elapsed() >= IDLE,
            "helpdesk mode ended {:?} after the last action, before the idle limit",
            before_last_action.elapsed()
        );
        e.wait_error("helpdesk_session_expired").await?;
        e.shot("helpdesk-idle").await?;
        code_is_gone(e, &code, "caller_code_gone").await
    })
    .await;
}

/// The screen locks while a caller's code shows: the desktop's screen saver says so on the
/// app's D-Bus session, and the app clears the screen and ends helpdesk mode by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locking_the_screen_ends_helpdesk_mode() {
    run(
        "helpdesk_screen_lock",
        Lang::En,
        tenant(),
        screen_lock_ends_the_session,
    )
    .await;
}

/// The scenario of [`locking_the_screen_ends_helpdesk_mode`], also run on the installed
/// release build.
pub async fn screen_lock_ends_the_session(e: &mut E2e) -> Result<()> {
    agent_signs_in(e, HELPDESK_AGENT).await?;
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
}
