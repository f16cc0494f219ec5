//! Small HTML pages: the hosted sign-in (`/authorize`, `/u/*`) and the
//! enrollment-ticket page. No scripts; forms post back to the emulator.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page titled `title` around `body` (already HTML). `refresh_secs`
/// reloads it, for pages that wait for a push approval.
pub fn page(status: StatusCode, title: &str, body: &str, refresh_secs: Option<u32>) -> Response {
    let refresh = refresh_secs
        .map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">"))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{refresh}<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
    );
    let mut resp = (status, html).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// `<p id="error">…</p>`, or nothing.
pub fn error_line(message: Option<&str>) -> String {
    message
        .map(|m| format!("<p id=\"error\">{}</p>\n", escape(m)))
        .unwrap_or_default()
}

/// A form field from a query string or form body.
pub fn param(raw: &[u8], key: &str) -> String {
    url::form_urlencoded::parse(raw)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// 302 to `location`.
pub fn redirect(location: &str) -> Response {
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}
