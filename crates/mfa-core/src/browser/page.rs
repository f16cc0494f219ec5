//! The short page the browser shows once the callback arrives. Its words come from the app's
//! UI catalogue, in the person's language (the core holds no user-facing text); this module
//! only checks them and puts them in a page with no script, no link and no outside resource.

use crate::input::InputError;

/// Longest text accepted for one line of a page.
const MAX_TEXT: usize = 300;

/// What each page says, in the person's language.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackTexts {
    /// `en`, `ja`, `fr`: the page's `lang`, so the browser picks fonts and a voice for it.
    pub lang: String,
    /// The tab's title ("MFA Desk").
    pub title: String,
    /// Signed in: "You're signed in to MFA Desk".
    pub done_heading: String,
    /// "You can close this tab and return to MFA Desk."
    pub done_body: String,
    /// The sign-in ended without a code (denied, cancelled, refused).
    pub failed_heading: String,
    pub failed_body: String,
    /// A callback for another sign-in than the one the app waits for.
    pub foreign_heading: String,
    pub foreign_body: String,
    /// The tenant has no My Account API (its exact "Service not found" answer): the app has
    /// opened the sign-in again, for the MFA API, in a new tab. Without these texts the
    /// page says what `failed_*` say.
    #[serde(default)]
    pub switching_heading: Option<String>,
    #[serde(default)]
    pub switching_body: Option<String>,
}

/// Which page to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Done,
    Failed,
    Foreign,
    /// The sign-in goes on in a new tab (see [`CallbackTexts::switching_heading`]).
    Switching,
}

impl PageKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Foreign => "foreign",
            Self::Switching => "switching",
        }
    }
}

impl CallbackTexts {
    /// Refuses empty or overlong texts and a `lang` that is not a plain language tag, before
    /// anything is opened.
    pub fn validated(self) -> Result<Self, InputError> {
        let lang_ok = (2..=8).contains(&self.lang.len())
            && self
                .lang
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !lang_ok {
            return Err(InputError::Empty);
        }
        let switching = [&self.switching_heading, &self.switching_body];
        for text in [
            &self.title,
            &self.done_heading,
            &self.done_body,
            &self.failed_heading,
            &self.failed_body,
            &self.foreign_heading,
            &self.foreign_body,
        ]
        .into_iter()
        .chain(switching.into_iter().flatten())
        {
            if text.trim().is_empty() {
                return Err(InputError::Empty);
            }
            if text.chars().count() > MAX_TEXT {
                return Err(InputError::TooLong { max: MAX_TEXT });
            }
        }
        Ok(self)
    }

    /// The whole HTML document for `kind`.
    pub fn render(&self, kind: PageKind) -> String {
        let (heading, body) = match kind {
            PageKind::Done => (&self.done_heading, &self.done_body),
            PageKind::Failed => (&self.failed_heading, &self.failed_body),
            PageKind::Foreign => (&self.foreign_heading, &self.foreign_body),
            PageKind::Switching => match (&self.switching_heading, &self.switching_body) {
                (Some(heading), Some(body)) => (heading, body),
                _ => (&self.failed_heading, &self.failed_body),
            },
        };
        format!(
            "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}}</style>\
</head>\n<body data-outcome=\"{outcome}\">\n<h1 id=\"heading\">{heading}</h1>\n<p id=\"message\">{body}</p>\n</body></html>\n",
            lang = escape(&self.lang),
            title = escape(&self.title),
            outcome = kind.as_str(),
            heading = escape(heading),
            body = escape(body),
        )
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) fn sample_texts() -> CallbackTexts {
    CallbackTexts {
        lang: "en".into(),
        title: "MFA Desk".into(),
        done_heading: "You're signed in".into(),
        done_body: "You can close this tab.".into(),
        failed_heading: "Sign-in not completed".into(),
        failed_body: "Return to MFA Desk.".into(),
        foreign_heading: "Out of date".into(),
        foreign_body: "Use the newest tab.".into(),
        switching_heading: Some("Continuing in a new tab".into()),
        switching_body: Some("Close this tab.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_escaped_and_checked() {
        let mut texts = sample_texts();
        texts.done_heading = "<script>alert(1)</script> & \"you\"".into();
        let page = texts.clone().validated().unwrap().render(PageKind::Done);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;you&quot;"));
        assert!(!page.contains("<script"));
        assert!(page.contains("data-outcome=\"done\""));

        let mut long = sample_texts();
        long.failed_body = "x".repeat(MAX_TEXT + 1);
        assert!(matches!(long.validated(), Err(InputError::TooLong { .. })));
        let mut empty = sample_texts();
        empty.title = "  ".into();
        assert!(empty.validated().is_err());
        let mut lang = sample_texts();
        lang.lang = "en\"><script>".into();
        assert!(lang.validated().is_err());
    }
}
