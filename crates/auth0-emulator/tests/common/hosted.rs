//! The hosted sign-in driven like a browser that does not follow redirects,
//! down to the tokens of the `authorization_code` grant.

use auth0_emulator::{demo, totp_code};
use base64::Engine as _;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{answer, Env};

pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const REDIRECT: &str = "http://127.0.0.1:43117/callback";

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn no_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Status and Location of a response.
async fn seen(r: reqwest::Response) -> (StatusCode, String) {
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location)
}

/// The query parameter `key` of a URL.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// What a hosted sign-in asks for.
pub struct SignIn<'a> {
    pub email: &'a str,
    /// The authenticator app's secret; `None` when no MFA step is expected.
    pub totp_secret: Option<&'a str>,
    pub audience: &'a str,
    pub scope: &'a str,
    /// More `/authorize` parameters, `&k=v…`.
    pub extra: &'a str,
}

/// `/authorize` to the callback: the callback URL (with `code` or `error`).
pub async fn callback(env: &Env, s: &SignIn<'_>) -> String {
    let http = no_redirects();
    let path = format!(
        "/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge={}&code_challenge_method=S256&state=xyz&audience={}&scope={}{}",
        demo::PUBLIC_CLIENT_ID,
        enc(REDIRECT),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER)),
        enc(s.audience),
        enc(s.scope),
        s.extra,
    );
    let (status, location) = seen(http.get(env.url(&path)).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::FOUND);
    let Some(id) = location.strip_prefix("/u/login?state=") else {
        return location;
    };
    let form = [
        ("state", id),
        ("email", s.email),
        ("password", demo::PASSWORD),
        ("action", "continue"),
    ];
    let r = http.post(env.url("/u/login")).form(&form).send().await;
    let (status, location) = seen(r.unwrap()).await;
    assert_eq!(status, StatusCode::FOUND, "password step");
    let Some(secret) = s.totp_secret else {
        return location;
    };
    assert_eq!(location, format!("/u/mfa?state={id}"));
    let now = env.control.now().await.unwrap();
    let code = totp_code(secret, now).unwrap();
    let form = [
        ("state", id),
        ("code", code.as_str()),
        ("action", "continue"),
    ];
    let r = http.post(env.url("/u/mfa")).form(&form).send().await;
    let (status, location) = seen(r.unwrap()).await;
    assert_eq!(status, StatusCode::FOUND, "MFA step");
    location
}

/// A whole hosted sign-in and the code exchange: the token response.
pub async fn tokens(env: &Env, s: &SignIn<'_>) -> Value {
    let location = callback(env, s).await;
    let code = query_param(&location, "code").unwrap_or_else(|| panic!("{location}"));
    let r = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("code", &code),
            ("code_verifier", VERIFIER),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}
