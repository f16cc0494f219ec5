//! Bad input in helpdesk mode's fields, typed and pasted (through the real clipboard) as an
//! agent would: the Find query, the reason and ticket asked before a push or the checklist,
//! the checklist's note, the reset's typed confirmation. Each refusal shows its own message
//! at the field, keeps what was typed (nothing is silently cut), and sends nothing: neither
//! the helpdesk service nor, behind it, the local Auth0 hears of it, and no push goes out.

use anyhow::{ensure, Result};
use auth0_emulator::demo::{HELPDESK_AGENT, PUSH_USER};

use super::bad_input::{
    expect_disabled_because, expect_nothing_sent, expect_refused, value, Clipboard,
};
use super::harness::{run, E2e, Lang};
use super::helpdesk::{agent_signs_in, open_caller};
use super::tenant;

/// Pastes `text` into `field` and checks it arrived whole.
async fn paste_whole(clipboard: &mut Clipboard, e: &E2e, field: &str, text: &str) -> Result<()> {
    clipboard.paste(e, field, text).await?;
    let got = value(e, field).await?;
    ensure!(
        got == text,
        "{field}: the paste arrived as {} characters, not {}",
        got.chars().count(),
        text.chars().count()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_in_helpdesk_mode() {
    run("bad_input_helpdesk", Lang::En, tenant(), async |e| {
        let mut clipboard = Clipboard::new()?;
        agent_signs_in(e, HELPDESK_AGENT).await?;

        // Find: nothing typed says why Search waits; a non-address, an oversized one and
        // two lines are refused at the field.
        expect_disabled_because(
            e,
            "helpdesk-search-submit",
            "helpdesk-search-why",
            &e.t("helpdesk.find.typeFirst"),
        )
        .await?;
        e.control().reset_stats().await?;
        e.fill("helpdesk-search-input", "not an email").await?;
        e.click("helpdesk-search-submit").await?;
        expect_refused(
            e,
            "helpdesk-search-input",
            "helpdesk-search-error",
            "invalid_email",
        )
        .await?;
        let long = format!("{}@example.com", "a".repeat(400));
        paste_whole(&mut clipboard, e, "helpdesk-search-input", &long).await?;
        e.click("helpdesk-search-submit").await?;
        expect_refused(
            e,
            "helpdesk-search-input",
            "helpdesk-search-error",
            "input_too_long",
        )
        .await?;
        expect_nothing_sent(e).await?;

        open_caller(e, PUSH_USER).await?;
        e.control().reset_stats().await?;

        // The reason, before a push: empty, oversized (pasted), a tab inside.
        e.click("helpdesk-push-send").await?;
        expect_refused(
            e,
            "helpdesk-verify-reason",
            "helpdesk-verify-reason-error",
            "input_empty",
        )
        .await?;
        let reason = "r".repeat(501);
        paste_whole(&mut clipboard, e, "helpdesk-verify-reason", &reason).await?;
        e.click("helpdesk-push-send").await?;
        expect_refused(
            e,
            "helpdesk-verify-reason",
            "helpdesk-verify-reason-error",
            "input_too_long",
        )
        .await?;
        paste_whole(&mut clipboard, e, "helpdesk-verify-reason", "lost\tphone").await?;
        e.click("helpdesk-push-send").await?;
        expect_refused(
            e,
            "helpdesk-verify-reason",
            "helpdesk-verify-reason-error",
            "input_control_characters",
        )
        .await?;

        // The ticket: a good reason, an oversized ticket.
        e.fill("helpdesk-verify-reason", "lost phone").await?;
        paste_whole(
            &mut clipboard,
            e,
            "helpdesk-verify-ticket",
            &"T".repeat(101),
        )
        .await?;
        e.click("helpdesk-push-send").await?;
        expect_refused(
            e,
            "helpdesk-verify-ticket",
            "helpdesk-verify-ticket-error",
            "input_too_long",
        )
        .await?;
        paste_whole(&mut clipboard, e, "helpdesk-verify-ticket", "INC-1").await?;

        // The checklist's "other" needs words, and no more than fit.
        e.click("verify-method-other").await?;
        e.click("helpdesk-verify-submit").await?;
        expect_refused(
            e,
            "helpdesk-verify-detail",
            "helpdesk-verify-detail-error",
            "input_empty",
        )
        .await?;
        paste_whole(
            &mut clipboard,
            e,
            "helpdesk-verify-detail",
            &"d".repeat(171),
        )
        .await?;
        e.click("helpdesk-verify-submit").await?;
        expect_refused(
            e,
            "helpdesk-verify-detail",
            "helpdesk-verify-detail-error",
            "input_too_long",
        )
        .await?;
        expect_nothing_sent(e).await?;
        ensure!(
            e.control().pending_push().await?.is_none(),
            "a push went out for refused input"
        );
        e.shot("helpdesk-bad-input").await
    })
    .await;
}
