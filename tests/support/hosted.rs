//! A stand-in for the person's browser on the local Auth0's hosted sign-in pages
//! (`crates/auth0-emulator/HOSTED_SIGN_IN.md`): it opens the `/authorize` address, follows
//! the tenant's redirects, fills the forms with plain HTTP posts (keeping cookies, as a
//! browser would), and stops where the tenant sends it back to the app's loopback callback,
//! so the test decides when (and whether) the callback arrives.
//!
//! Used by the core tests (`tests/browser_sign_in.rs`) and by the end-to-end tests, where
//! the app's "system browser" is a test `xdg-open` that hands the address to this driver.
#![allow(dead_code)] // each test binary uses part of it

use anyhow::{bail, ensure, Context, Result};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use url::Url;

/// Where a step of the hosted sign-in ended.
#[derive(Debug, Clone)]
pub enum Step {
    /// A page of the tenant: its address, status and HTML.
    Page {
        url: Url,
        status: StatusCode,
        html: String,
    },
    /// The tenant redirected to the app's loopback callback (not followed yet).
    Callback(Url),
}

impl Step {
    pub fn html(&self) -> &str {
        match self {
            Step::Page { html, .. } => html,
            Step::Callback(_) => "",
        }
    }

    pub fn callback(&self) -> Result<&Url> {
        match self {
            Step::Callback(url) => Ok(url),
            Step::Page { url, status, html } => {
                bail!("expected the callback, got {status} {url}:\n{html}")
            }
        }
    }

    /// The page's `id="…"` element text, if any.
    pub fn element(&self, id: &str) -> Option<String> {
        element(self.html(), id)
    }
}

/// The text of the first element with `id`, up to its closing tag's `<`.
pub fn element(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker)?;
    let after_tag = at + html[at..].find('>')? + 1;
    Some(html[after_tag..].split('<').next()?.trim().to_owned())
}

/// The value of the hidden (or other) form field `name`.
fn field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker)? + marker.len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// One person's browser: its cookies and where it is.
pub struct HostedBrowser {
    http: reqwest::Client,
    cookies: Vec<(String, String)>,
    /// The tenant page the browser shows now, and its HTML.
    here: Option<(Url, String)>,
}

impl Default for HostedBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl HostedBrowser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Self {
            http,
            cookies: Vec::new(),
            here: None,
        }
    }

    /// Opens `url` (the app's `/authorize` address) and follows the tenant's redirects.
    pub async fn open(&mut self, url: &str) -> Result<Step> {
        let url = Url::parse(url).with_context(|| format!("not a URL: {url}"))?;
        self.follow(self.http.get(url.clone()), url).await
    }

    /// Submits the form of the current page with `fields` (its hidden fields are kept) and
    /// the button `action` (`continue` or `cancel`).
    pub async fn submit(&mut self, fields: &[(&str, &str)], action: &str) -> Result<Step> {
        let (here, html) = self.current().await?;
        let action_path = html
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .with_context(|| format!("no form on {here}:\n{html}"))?
            .to_owned();
        let mut form: Vec<(String, String)> = ["state", "factor"]
            .iter()
            .filter_map(|name| field(&html, name).map(|v| (name.to_string(), v)))
            .collect();
        form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        form.push(("action".into(), action.into()));
        let target = here.join(&action_path)?;
        let request = self.http.post(target.clone()).form(&form);
        self.follow(request, target).await
    }

    /// Email and password on `/u/login`.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Result<Step> {
        self.submit(&[("email", email), ("password", password)], "continue")
            .await
    }

    /// A code on the MFA or enrollment step shown now.
    pub async fn enter_code(&mut self, code: &str) -> Result<Step> {
        self.submit(&[("code", code)], "continue").await
    }

    /// "Use your recovery code", then the code; returns the new code the page shows, and the
    /// step after acknowledging it (the callback).
    pub async fn use_recovery_code(&mut self, code: &str) -> Result<(String, Step)> {
        let (here, html) = self.current().await?;
        let link = html
            .split("id=\"use-recovery-code\"")
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|rest| rest.split('"').next())
            .filter(|_| html.contains("id=\"use-recovery-code\""))
            .with_context(|| format!("no recovery-code link on {here}"))?
            .replace("&amp;", "&");
        let target = here.join(&link)?;
        self.follow(self.http.get(target.clone()), target).await?;
        let shown = self.enter_code(code).await?;
        let new_code = shown
            .element("recovery-code")
            .with_context(|| format!("no new recovery code shown:\n{}", shown.html()))?;
        let after = self.submit(&[], "continue").await?;
        Ok((new_code, after))
    }

    /// "Cancel" on the page shown now.
    pub async fn cancel(&mut self) -> Result<Step> {
        self.submit(&[], "cancel").await
    }

    /// Follows the redirect to the app's loopback callback: `(status, page HTML)`.
    pub async fn deliver(&self, callback: &Url) -> Result<(StatusCode, String)> {
        ensure!(
            callback.host_str() == Some("127.0.0.1"),
            "the callback is not on loopback: {callback}"
        );
        let response = self
            .http
            .get(callback.clone())
            .send()
            .await
            .with_context(|| format!("the app's callback {callback} did not answer"))?;
        Ok((response.status(), response.text().await?))
    }

    async fn current(&self) -> Result<(Url, String)> {
        self.here.clone().context("no page open")
    }

    /// Loads the page shown now again (a page waiting for a push reloads itself).
    pub async fn reload(&mut self) -> Result<Step> {
        let (here, _) = self.current().await?;
        self.follow(self.http.get(here.clone()), here).await
    }

    fn with_cookies(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.cookies.is_empty() {
            return request;
        }
        let header = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        request.header(COOKIE, header)
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let Some((name, value)) = value
                .to_str()
                .ok()
                .and_then(|v| v.split(';').next())
                .and_then(|pair| pair.split_once('='))
            else {
                continue;
            };
            self.cookies.retain(|(k, _)| k != name);
            self.cookies.push((name.trim().into(), value.trim().into()));
        }
    }

    /// Sends `request`, then follows redirects on the tenant; a redirect to loopback stops.
    async fn follow(&mut self, request: reqwest::RequestBuilder, mut url: Url) -> Result<Step> {
        let mut response = self.with_cookies(request).send().await?;
        for _ in 0..10 {
            self.keep_cookies(&response);
            if !response.status().is_redirection() {
                let status = response.status();
                let html = response.text().await?;
                self.here = Some((url.clone(), html.clone()));
                return Ok(Step::Page { url, status, html });
            }
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .context("a redirect without Location")?;
            let next = url.join(location)?;
            if next.host_str() == Some("127.0.0.1") && next.path() == "/callback" {
                return Ok(Step::Callback(next));
            }
            url = next;
            response = self.with_cookies(self.http.get(url.clone())).send().await?;
        }
        bail!("too many redirects from {url}")
    }
}
