//! The demo inbox stands in for the employee's phone: a helpdesk's request to verify them
//! (CIBA, sent by the helpdesk service) shows there with the words the agent reads out, and
//! the person's answer reaches the service.

use anyhow::{ensure, Result};
use auth0_emulator::demo;
use serde_json::{json, Value};

use super::harness::{run, tid, E2e, Lang};
use super::tenant;

const CIBA: &str = "urn:openid:params:grant-type:ciba";

/// Asks, as the helpdesk service does, for a push to the demo push user's phone.
async fn ask_for_a_push(e: &E2e, http: &reqwest::Client, binding: &str) -> Result<String> {
    let hint = json!({"format": "iss_sub", "iss": format!("{}/", e.base_url()), "sub": demo::PUSH_USER_USER_ID});
    let answer: Value = http
        .post(format!("{}/bc-authorize", e.base_url()))
        .form(&[
            ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
            ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
            ("login_hint", &hint.to_string()),
            ("scope", "openid"),
            ("binding_message", binding),
        ])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(answer["auth_req_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// What the helpdesk service's next poll of the request gets: its status and error.
async fn poll(e: &E2e, http: &reqwest::Client, auth_req_id: &str) -> Result<(u16, Value)> {
    let answer = http
        .post(format!("{}/oauth/token", e.base_url()))
        .form(&[
            ("grant_type", CIBA),
            ("auth_req_id", auth_req_id),
            ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
            ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
        ])
        .send()
        .await?;
    Ok((answer.status().as_u16(), answer.json().await?))
}

async fn wait_for_binding(e: &E2e, binding: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let shown = e.text("demo-push-binding").await.unwrap_or_default();
        if shown.contains(binding) {
            return Ok(());
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the inbox does not show {binding:?} (it shows {shown:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_inbox_shows_a_helpdesk_push_with_its_words_and_answers_it() {
    run("demo_inbox_helpdesk_push", Lang::Fr, tenant(), async |e| {
        let http = reqwest::Client::new();
        e.wait_screen("signin").await?;
        ensure!(
            !e.is_enabled("demo-approve").await?,
            "Approve is offered with no push waiting"
        );

        let binding = "Appel 21-49-38";
        let request = ask_for_a_push(e, &http, binding).await?;
        wait_for_binding(e, binding).await?;
        let shown = e.text("demo-push-binding").await?;
        ensure!(
            shown.starts_with("Le téléphone affiche"),
            "the binding message is not worded in French: {shown:?}"
        );
        ensure!(
            e.is_enabled("demo-approve").await?,
            "Approve is not offered"
        );
        e.shot("inbox-helpdesk-push").await?;
        let (status, body) = poll(e, &http, &request).await?;
        ensure!(
            status == 400 && body["error"] == "authorization_pending",
            "before the answer the service should wait: {status} {body}"
        );
        e.click("demo-approve").await?;
        // The service polls at the interval Auth0 gives (five seconds): the local Auth0's
        // clock moves on instead of the test waiting.
        e.advance_clock(6).await?;
        let (status, body) = poll(e, &http, &request).await?;
        ensure!(
            status == 200 && body["access_token"].is_string(),
            "the approval did not reach the service: {status} {body}"
        );
        e.wait_enabled("demo-approve", false).await?;

        // A denial reaches it too.
        let request = ask_for_a_push(e, &http, "Appel 33-10-07").await?;
        wait_for_binding(e, "Appel 33-10-07").await?;
        e.click("demo-deny").await?;
        let (status, body) = poll(e, &http, &request).await?;
        ensure!(
            status == 400 && body["error"] == "access_denied",
            "the denial did not reach the service: {status} {body}"
        );
        Ok(())
    })
    .await;
}

/// In demo mode the inbox is part of the first screen: built in the same task as the sign-in
/// screen (the page knows it is demo mode before its scripts run), so no moment shows one
/// without the other; and on Linux the page lays out with fontconfig's generic families,
/// which the app picks for it before the first layout (issue 24).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_screen_holds_the_inbox_and_linux_fonts() {
    run("demo_inbox_first_screen", Lang::En, tenant(), async |e| {
        e.wait_screen("signin").await?;
        ensure!(
            e.is_visible("[data-testid=\"demo-inbox\"] h2").await,
            "the sign-in screen is shown without the demo inbox"
        );
        // The page's trace: first-paint.js drew the sign-in screen and the inbox in one task
        // (its `drawn` mark), before main.js had given them their behaviour (`rendered`).
        let order = e
            .evaluate(
                "['drawn', 'rendered'].map((name) => \
                 performance.getEntriesByName(name)[0]?.startTime ?? null)",
            )
            .await?;
        let marks: Vec<Option<f64>> = serde_json::from_str(&order)?;
        ensure!(
            matches!(marks[..], [Some(drawn), Some(rendered)] if drawn <= rendered),
            "the first screen was not drawn before main.js took it over: {order}"
        );
        // The screen drawn is the one that works: there is one, and typing an address takes
        // away the reason Sign in waits.
        let screens = e
            .evaluate("document.querySelectorAll('[data-screen]').length")
            .await?;
        ensure!(screens == "1", "{screens} screens in the window");
        ensure!(
            e.is_visible(&tid("signin-username-empty")).await,
            "Sign in does not say why it waits"
        );
        e.fill("signin-username", "someone@example.com").await?;
        e.wait_gone(&tid("signin-username-empty")).await?;
        // The first screen draws no SVG (issue 24: WebKit's SVG code cost its web process
        // ~2 MiB): the fields' warning icons join their messages when those are shown.
        let svgs = e
            .evaluate("document.querySelectorAll('svg').length")
            .await?;
        ensure!(svgs == "0", "the first screen holds {svgs} SVG elements");
        let platform = e
            .evaluate("document.documentElement.dataset.platform")
            .await?;
        ensure!(
            platform == "linux",
            "platform told to the page: {platform:?}"
        );
        let fonts = e
            .evaluate(
                "[document.body, document.querySelector('[data-testid=\"signin-tenant\"] code')]\
                 .map((el) => getComputedStyle(el).fontFamily).join(' | ')",
            )
            .await?;
        ensure!(
            fonts == "sans-serif | \"DejaVu Sans Mono\", monospace",
            "fonts: {fonts:?}"
        );
        Ok(())
    })
    .await;
}
