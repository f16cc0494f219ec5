//! WebDriver helpers: find, wait, click, fill and read by `data-testid`, check texts against
//! the catalogues, take screenshots.

use super::*;

impl E2e {
    fn c(&self) -> &Client {
        self.client.as_ref().expect("the WebDriver session is open")
    }

    pub fn base_url(&self) -> String {
        self.emulator.base_url()
    }

    /// `127.0.0.1:PORT`: the tenant domain the app shows and writes in the recovery file.
    pub fn domain(&self) -> String {
        self.base_url().trim_start_matches("http://").to_owned()
    }

    // ---------------------------------------------------------------- catalogue

    /// The current language's text for `key` (English when the catalogue lacks it, as the app does).
    pub fn t(&self, key: &str) -> String {
        match self.catalogue.get(key).and_then(Value::as_str) {
            Some(text) => text.to_owned(),
            None => catalogue(Lang::En)
                .ok()
                .and_then(|en| en.get(key).and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| panic!("no catalogue key {key}")),
        }
    }

    /// Fails unless the visible element's text is the catalogue's `key`.
    pub async fn expect_text_css(&self, css: &str, key: &str) -> Result<()> {
        let want = squash(&self.t(key));
        let deadline = Instant::now() + WAIT;
        loop {
            let got = squash(&self.text_css(css).await?);
            if got == want {
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "{css}: expected {key} = {want:?} ({}), found {got:?}",
                self.lang.code()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn expect_text(&self, testid: &str, key: &str) -> Result<()> {
        self.expect_text_css(&tid(testid), key).await
    }

    /// The screen's `<h1>` is the catalogue's `key`.
    pub async fn expect_heading(&self, key: &str) -> Result<()> {
        self.expect_text_css("main h1, #main h1", key).await
    }

    // ---------------------------------------------------------------- a stray script

    /// Calls a command from the page as any script in the webview could, past the screens:
    /// `Ok` with its answer, `Err` with the error object the app sent.
    pub async fn invoke(&self, command: &str, args: Value) -> Result<Result<Value, Value>> {
        let script = "const [command, args, done] = arguments;\n\
                      window.__TAURI_INTERNALS__.invoke(command, args)\n\
                        .then((ok) => done({ ok: ok ?? null }), (err) => done({ err }));";
        let answer = self
            .c()
            .execute_async(script, vec![json!(command), args])
            .await
            .with_context(|| format!("invoking {command}"))?;
        Ok(match answer.get("err") {
            Some(err) => Err(err.clone()),
            None => Ok(answer.get("ok").cloned().unwrap_or(Value::Null)),
        })
    }

    /// The error code `command` answers; fails when it succeeds.
    pub async fn refused_with(&self, command: &str, args: Value) -> Result<String> {
        match self.invoke(command, args).await? {
            Ok(answer) => bail!("{command} was not refused: {answer}"),
            Err(err) => Ok(err["code"].as_str().unwrap_or_default().to_owned()),
        }
    }

    // ---------------------------------------------------------------- elements

    /// The first visible element matching `css`, waited for up to [`WAIT`].
    pub async fn wait_css(&self, css: &str) -> Result<Element> {
        self.wait_css_for(css, WAIT).await
    }

    pub async fn wait_css_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(el) = self.visible(css).await {
                return Ok(el);
            }
            if Instant::now() >= deadline {
                bail!(
                    "no visible {css} after {timeout:?} (screen: {})",
                    self.screen().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    pub(crate) async fn visible(&self, css: &str) -> Option<Element> {
        for el in self.c().find_all(Locator::Css(css)).await.ok()? {
            if el.is_displayed().await.unwrap_or(false) {
                return Some(el);
            }
        }
        None
    }

    pub async fn wait_for(&self, testid: &str) -> Result<Element> {
        self.wait_css(&tid(testid)).await
    }

    /// Waits until nothing visible matches `css`.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while self.visible(css).await.is_some() {
            ensure!(
                Instant::now() < deadline,
                "{css} still visible after {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    pub async fn is_visible(&self, css: &str) -> bool {
        self.visible(css).await.is_some()
    }

    /// Clicks the visible, enabled element once it is both (re-finding it if the DOM changed).
    pub async fn click_css(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let el = self.wait_css(css).await?;
            let error = match el.is_enabled().await {
                Ok(true) => match el.click().await {
                    Ok(()) => return Ok(()),
                    Err(error) => error.to_string(),
                },
                Ok(false) => "disabled".to_owned(),
                Err(error) => error.to_string(),
            };
            ensure!(Instant::now() < deadline, "could not click {css}: {error}");
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        self.click_css(&tid(testid)).await
    }

    /// Types into the field (after emptying it if it held something).
    pub async fn fill_css(&self, css: &str, text: &str) -> Result<()> {
        let el = self.wait_css(css).await?;
        if el.prop("value").await?.is_some_and(|v| !v.is_empty()) {
            el.clear().await?;
        }
        el.send_keys(text)
            .await
            .with_context(|| format!("typing into {css}"))?;
        Ok(())
    }

    pub async fn fill(&self, testid: &str, text: &str) -> Result<()> {
        self.fill_css(&tid(testid), text).await
    }

    /// Reads the first visible match of `css` with `read`. Screens are replaced as a whole
    /// when the router shows the next one (after its code has loaded), so an element found
    /// a moment ago can be gone when it is read: it is then found again, until [`WAIT`].
    async fn read_css<T>(
        &self,
        css: &str,
        read: impl AsyncFn(Element) -> Result<T, fantoccini::error::CmdError>,
    ) -> Result<T> {
        let deadline = Instant::now() + WAIT;
        loop {
            let el = self.wait_css(css).await?;
            match read(el).await {
                Ok(value) => return Ok(value),
                Err(error) if Instant::now() >= deadline => {
                    return Err(error).with_context(|| format!("reading {css}"));
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The element's text content (as in the DOM, whitespace squashed).
    pub async fn text_css(&self, css: &str) -> Result<String> {
        let text = self
            .read_css(css, async |el| el.prop("textContent").await)
            .await?;
        Ok(squash(&text.unwrap_or_default()))
    }

    pub async fn text(&self, testid: &str) -> Result<String> {
        self.text_css(&tid(testid)).await
    }

    pub async fn attr(&self, testid: &str, name: &str) -> Result<Option<String>> {
        self.read_css(&tid(testid), async |el| el.attr(name).await)
            .await
    }

    pub async fn is_enabled(&self, testid: &str) -> Result<bool> {
        self.read_css(&tid(testid), async |el| el.is_enabled().await)
            .await
    }

    /// Waits until the element's `disabled` state is `!enabled`.
    pub async fn wait_enabled(&self, testid: &str, enabled: bool) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while self.is_enabled(testid).await? != enabled {
            ensure!(
                Instant::now() < deadline,
                "{testid} did not become {}",
                if enabled { "enabled" } else { "disabled" }
            );
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    pub async fn select_value(&self, testid: &str, value: &str) -> Result<()> {
        self.wait_for(testid).await?.select_by_value(value).await?;
        Ok(())
    }

    /// `<html lang>`, which the app sets to the language it shows.
    pub async fn html_lang(&self) -> Result<String> {
        let lang = self
            .c()
            .execute("return document.documentElement.lang", vec![])
            .await?;
        Ok(lang.as_str().unwrap_or_default().to_owned())
    }

    /// What `expression` evaluates to in the page, as text (JSON for anything but a string).
    pub async fn evaluate(&self, expression: &str) -> Result<String> {
        let value = self
            .c()
            .execute(&format!("return {expression}"), vec![])
            .await?;
        Ok(value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned))
    }

    /// The screen shown in `<main>` (`data-screen`), or "?".
    pub async fn screen(&self) -> String {
        let Some(client) = &self.client else {
            return "(no session)".into();
        };
        match client.find(Locator::Css("main [data-screen]")).await {
            Ok(el) => el
                .attr("data-screen")
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| "?".into()),
            Err(_) => "?".into(),
        }
    }

    pub async fn wait_screen(&self, name: &str) -> Result<()> {
        self.wait_css(&tid(&format!("screen-{name}")))
            .await
            .map(|_| ())
    }

    /// The error banner with this `data-code`, visible.
    pub async fn wait_error(&self, code: &str) -> Result<()> {
        let css = format!("{}[data-code=\"{code}\"]", tid("error-banner"));
        if let Err(error) = self.wait_css(&css).await {
            let shown = match self.visible(&tid("error-banner")).await {
                Some(el) => el
                    .attr("data-code")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                None => "none".into(),
            };
            bail!("{error}; banner shown: {shown}");
        }
        Ok(())
    }

    /// Scrolls the element to the top of the view (screenshots of long screens).
    pub async fn scroll_to(&self, testid: &str) -> Result<()> {
        self.wait_for(testid).await?;
        let script = format!(
            "document.querySelector('[data-testid=\"{testid}\"]').scrollIntoView({{block: 'start'}})"
        );
        self.c().execute(&script, vec![]).await?;
        Ok(())
    }

    // ---------------------------------------------------------------- screenshots

    /// Saves `<nn>-<label>.png` in this test's screenshot folder.
    pub async fn shot(&mut self, label: &str) -> Result<()> {
        self.shot_n += 1;
        // Two animation frames: what the DOM holds has been painted. Then, for a second, a
        // near-transparent pixel in the corner changes every 25 ms: WebKitGTK without its
        // DMA-BUF renderer (as MFA Desk runs it) answers a screenshot at its next rendering
        // update after the request, which a screen that does not change would never have.
        let painted = "const done = arguments[arguments.length - 1];\n\
                       const nudge = document.createElement('div');\n\
                       nudge.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';\n\
                       document.body.append(nudge);\n\
                       let ticks = 0;\n\
                       const ticker = setInterval(() => {\n\
                         nudge.style.background = ticks++ % 2 ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)';\n\
                         if (ticks > 40) { clearInterval(ticker); nudge.remove(); }\n\
                       }, 25);\n\
                       requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.c()
            .execute_async(painted, vec![])
            .await
            .context("waiting for a paint")?;
        let png = self.c().screenshot().await.context("taking a screenshot")?;
        ensure!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        fs::write(
            self.shots.join(format!("{:02}-{label}.png", self.shot_n)),
            png,
        )?;
        Ok(())
    }
}
