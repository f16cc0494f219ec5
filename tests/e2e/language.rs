//! The language picker: a person switches the running window between English, Japanese and
//! French. Each catalogue is fetched when first chosen; the last choice wins; what the person
//! typed stays; the choice holds at the next start.

use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};

use super::harness::{catalogue, run, E2e, Lang};
use super::tenant;

/// The text of `key` in `lang`'s catalogue.
fn text_in(lang: Lang, key: &str) -> Result<String> {
    catalogue(lang)?
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{key} is not in the {} catalogue", lang.code()))
}

/// Polls `check` until it says yes (10 s at most); `what` names the wait in the failure.
async fn until(e: &E2e, what: &str, check: impl AsyncFn(&E2e) -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check(e).await? {
        ensure!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Waits until the window shows the sign-in screen in `lang`, as `<html lang>` says.
async fn wait_for_language(e: &E2e, lang: Lang) -> Result<()> {
    let heading = text_in(lang, "signin.title")?;
    let what = format!(
        "the window never showed the sign-in screen in {}",
        lang.code()
    );
    until(e, &what, async |e| {
        Ok(e.html_lang().await? == lang.code() && e.text_css("main h1").await? == heading)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picker_switches_languages_keeps_what_was_typed_and_holds_at_the_next_start() {
    run("language_picker", Lang::En, tenant(), async |e| {
        e.wait_screen("signin").await?;
        wait_for_language(e, Lang::En).await?;
        // The other names join the picker after the first frame (header.js).
        let options = "document.querySelectorAll('[data-testid=lang-select] option').length";
        until(e, "the picker never offered three languages", async |e| {
            Ok(e.evaluate(options).await? == "3")
        })
        .await?;
        e.fill("signin-username", "kenji@example.com").await?;

        // Japanese then French at once, as a quick hand (or a script) could: both catalogues
        // load together, and French, chosen last, stays whichever arrives last.
        e.evaluate(
            "(() => { const select = document.querySelector('[data-testid=lang-select]'); \
             for (const code of ['ja', 'fr']) { select.value = code; \
             select.dispatchEvent(new Event('change')); } })()",
        )
        .await?;
        wait_for_language(e, Lang::Fr).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        wait_for_language(e, Lang::Fr).await?;

        e.select_value("lang-select", "ja").await?;
        wait_for_language(e, Lang::Ja).await?;
        let said = text_in(Lang::Ja, "lang.changed")?;
        // The live region is visually hidden: read it as a screen reader would, from the DOM.
        let status = "document.querySelector('[data-testid=status]').textContent";
        until(e, "the change was not announced in Japanese", async |e| {
            Ok(e.evaluate(status).await?.contains(&said))
        })
        .await?;
        e.select_value("lang-select", "fr").await?;
        wait_for_language(e, Lang::Fr).await?;
        let typed = e
            .evaluate("document.querySelector('[data-testid=signin-username]').value")
            .await?;
        ensure!(
            typed == "kenji@example.com",
            "switching languages changed what was typed: {typed:?}"
        );
        e.shot("signin-in-french").await?;

        // The system still says English; the person's choice wins at the next start.
        e.close_app().await?;
        e.new_session().await?;
        e.wait_screen("signin").await?;
        wait_for_language(e, Lang::Fr).await?;

        // A stored choice that is no language (a path, an oversized string) is never asked
        // for: the next start falls back to the system's English.
        for stored in ["'../../../etc/passwd'", "'ja'.repeat(100000)"] {
            e.evaluate(&format!(
                "localStorage.setItem('mfa-desk.locale', {stored})"
            ))
            .await?;
            e.close_app().await?;
            e.new_session().await?;
            e.wait_screen("signin").await?;
            wait_for_language(e, Lang::En).await?;
        }
        Ok(())
    })
    .await
}
