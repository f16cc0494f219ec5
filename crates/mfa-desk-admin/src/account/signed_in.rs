//! Who is signed in (`whoami`), signing out (`logout`), and how a sign-in reads.

use mfa_core::helpdesk_service::{AgentClaims, AgentSession};
use mfa_core::ErrorCode;
use serde::Serialize;

use crate::agent::{blocking, keyring, location, session};
use crate::cli::Cli;
use crate::failure::{Exit, Failure};
use crate::report::Report;

/// `--json` of `login` and `whoami`.
#[derive(Serialize)]
pub struct SignedIn<'a> {
    pub service: &'a str,
    #[serde(flatten)]
    pub agent: &'a AgentClaims,
}

/// "2026-12-06 15:04 UTC".
pub fn when(unix: u64) -> String {
    let format =
        time::format_description::parse_borrowed::<2>("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix as i64)
        .ok()
        .zip(format.ok())
        .and_then(|(t, f)| t.format(&f).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Who the session names, with which permissions, until when.
pub fn describe(service: &str, session: &AgentSession) -> String {
    let claims = &session.claims;
    let who = match &claims.email {
        Some(email) => format!("{email} ({})", claims.sub),
        None => claims.sub.clone(),
    };
    let permissions = if claims.permissions.is_empty() {
        "none".to_owned()
    } else {
        claims.permissions.join(", ")
    };
    format!(
        "Signed in to {service} as {who}\nPermissions: {permissions}\nUntil: {}\n",
        when(claims.expires_at)
    )
}

pub async fn whoami(cli: &Cli) -> Result<Report, Failure> {
    let location = location(cli)?;
    let session = session(&location).await?.ok_or_else(|| {
        Failure::new(
            Exit::NotSignedIn,
            ErrorCode::AgentTokenMissing,
            "Not signed in (or the sign-in expired): run `mfa-desk-admin login`.",
        )
    })?;
    let body = SignedIn {
        service: &location.url,
        agent: &session.claims,
    };
    Ok(Report::new(&body, describe(&location.url, &session)))
}

#[derive(Serialize)]
struct SignedOut {
    signed_out: bool,
}

pub async fn logout(cli: &Cli) -> Result<Report, Failure> {
    let location = location(cli)?;
    let was = session(&location).await?.is_some();
    let url = location.url.clone();
    blocking(move || AgentSession::forget(&keyring(), &url).map_err(Failure::store)).await?;
    let text = if was {
        "Signed out: the sign-in is gone from this computer's keyring.\n"
    } else {
        "Nobody was signed in.\n"
    };
    Ok(Report::new(&SignedOut { signed_out: was }, text.into()))
}
