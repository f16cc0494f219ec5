//! Secrets and the keyring, end to end:
//!
//! - a crash (SIGKILL) while the export dialog shows a rotated recovery code loses nothing:
//!   the next start shows the same code first, and confirming it empties the keyring entry;
//! - a run through every flow with the most verbose logging leaves no secret in the log, the
//!   app's config, data and cache folders or the webview's storage (only in the file the
//!   person chose to save);
//! - without a Secret Service the app says so, recovery still works, the dialog says the code
//!   is only in memory, and no file holds it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};

use super::harness::{
    grouped, run, run_with, squash, tid, E2e, Keep, Lang, Options, DEMO_RECOVERY_CODE, ENROLLED,
    PASSWORD,
};
use super::{sign_in_to_verify, tenant};

/// The keyring entry of the demo tenant's unconfirmed recovery codes (`RecoveryCodeVault`).
const PENDING_CODES_KEY: &str = "demo/pending-recovery-codes";

/// The refresh token's keyring entry for `account` in the demo tenant.
fn refresh_token_key(account: &str) -> String {
    format!("demo/{account}/refresh-token")
}

/// The recovery codes (by account) the vault entry holds, or `None` without an entry.
fn pending_codes(e: &E2e) -> Result<Option<Vec<(String, String)>>> {
    e.vault_codes(PENDING_CODES_KEY)
}

/// From the sign-in screen to the recovery code dialog, with the demo user's recovery code.
async fn recover_enrolled(e: &mut E2e) -> Result<String> {
    sign_in_to_verify(e, ENROLLED).await?;
    e.click("use-recovery").await?;
    e.wait_screen("recover").await?;
    e.fill("recovery-input", &grouped(DEMO_RECOVERY_CODE))
        .await?;
    e.click("recovery-submit").await?;
    e.wait_css(&format!(
        "{}[data-context=\"recovery\"]",
        tid("export-dialog")
    ))
    .await?;
    let code = e.text("export-code").await?.replace(' ', "");
    ensure!(
        code != DEMO_RECOVERY_CODE,
        "the old recovery code was shown again"
    );
    ensure!(
        code == e.recovery_code(ENROLLED).await?,
        "the dialog shows another code than the tenant's new one"
    );
    Ok(code)
}

// ------------------------------------------------------------------ crash

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_while_showing_a_rotated_code_shows_it_again_after_restart() {
    run(
        "crash_while_showing_a_rotated_code_shows_it_again_after_restart",
        Lang::En,
        tenant(),
        async |e| {
            ensure!(
                pending_codes(e)?.is_none(),
                "the fresh keyring already holds pending recovery codes"
            );
            let code = recover_enrolled(e).await?;
            e.wait_for("export-notice").await?;
            e.shot("export-before-crash").await?;
            // Written before it was shown: the crash cannot lose it.
            let stored = pending_codes(e)?;
            ensure!(
                stored == Some(vec![(ENROLLED.to_owned(), code.clone())]),
                "while the dialog shows the code, the keyring holds {:?} codes, not the one shown",
                stored.map(|s| s.len())
            );

            e.kill_app().await?;
            ensure!(
                pending_codes(e)?.is_some(),
                "the keyring entry is gone after the crash"
            );

            // Same D-Bus session, keyring and emulator; a new app process.
            e.new_session().await?;
            e.wait_css(&format!(
                "{}[data-context=\"pending\"]",
                tid("export-dialog")
            ))
            .await
            .context("the restarted app does not show the pending code first")?;
            ensure!(
                e.screen().await == "export",
                "the first screen is {}",
                e.screen().await
            );
            ensure!(
                !e.is_visible(&tid("screen-signin")).await,
                "the sign-in screen shows with the pending code"
            );
            e.expect_text("export-notice", "export.pendingNotice")
                .await?;
            ensure!(
                !e.is_visible(&tid("export-not-stored")).await,
                "a code read back from the keyring is said to be only in memory"
            );
            e.shot("export-after-restart").await?;
            ensure!(
                e.text("export-code").await? == grouped(&code),
                "the restarted app shows another code"
            );
            ensure!(
                pending_codes(e)?.is_some(),
                "the keyring entry is gone before the code was confirmed"
            );

            let kept = e.export_recovery_code(ENROLLED, Keep::Save).await?;
            ensure!(kept == code, "the dialog changed its code");
            e.wait_screen("signin").await?;
            ensure!(
                pending_codes(e)?.is_none(),
                "the keyring entry {PENDING_CODES_KEY} is still there after the confirmation"
            );
            e.shot("signin-after-confirm").await?;

            // And the next start goes straight to sign-in.
            e.close_app().await?;
            e.new_session().await?;
            e.wait_screen("signin").await?;
            ensure!(
                !e.is_visible(&tid("export-dialog")).await,
                "the confirmed code is shown again"
            );
            e.shot("signin-next-start").await
        },
    )
    .await;
}

// ------------------------------------------------------------------ leak search

/// How a secret is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    /// Byte for byte.
    Exact,
    /// ASCII letters in either case (codes and keys people may type in lower case).
    AnyCase,
    /// Byte for byte, and not part of a longer run of digits, nor the fraction of a
    /// timestamp (`.123456Z`): six-digit codes.
    Digits,
}

struct Needle {
    kind: &'static str,
    encoding: &'static str,
    unit: usize,
    bytes: Vec<u8>,
    how: Match,
}

/// Every secret value of a run, in every form and encoding it is searched for.
#[derive(Default)]
struct Watchlist {
    needles: Vec<Needle>,
}

impl Watchlist {
    fn add(&mut self, kind: &'static str, value: &str, how: Match) {
        if value.is_empty() {
            return;
        }
        let utf16: Vec<u8> = value.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for (encoding, unit, mut bytes) in [
            ("UTF-8", 1, value.as_bytes().to_vec()),
            ("UTF-16LE", 2, utf16),
        ] {
            if how == Match::AnyCase {
                bytes.make_ascii_lowercase();
            }
            if !self.needles.iter().any(|n| n.bytes == bytes) {
                self.needles.push(Needle {
                    kind,
                    encoding,
                    unit,
                    bytes,
                    how,
                });
            }
        }
    }

    /// A code people read in groups of four: as is, grouped by spaces and by hyphens.
    fn add_grouped(&mut self, kind: &'static str, value: &str) {
        self.add(kind, value, Match::AnyCase);
        self.add(kind, &grouped(value), Match::AnyCase);
        self.add(kind, &grouped(value).replace(' ', "-"), Match::AnyCase);
    }

    fn kinds(&self) -> Vec<&'static str> {
        let mut kinds: Vec<_> = self.needles.iter().map(|n| n.kind).collect();
        kinds.dedup();
        kinds
    }

    /// `<file>: <kind> (<encoding>)` for every secret found in the files under `roots`
    /// (paths shown relative to `base`). Secrets themselves are never part of the answer.
    fn search(&self, roots: &[PathBuf], base: &Path) -> Result<(Vec<String>, usize, u64)> {
        let mut hits = Vec::new();
        let (mut files, mut bytes_read) = (0, 0);
        for file in roots.iter().flat_map(|root| files_under(root)) {
            let Ok(bytes) = fs::read(&file) else {
                continue; // a socket, or gone since
            };
            files += 1;
            bytes_read += bytes.len() as u64;
            let lower = bytes.to_ascii_lowercase();
            let shown = file.strip_prefix(base).unwrap_or(&file).display();
            for needle in &self.needles {
                let hay = if needle.how == Match::AnyCase {
                    &lower
                } else {
                    &bytes
                };
                if occurs(hay, needle) {
                    let hit = format!("{shown}: {} ({})", needle.kind, needle.encoding);
                    if !hits.contains(&hit) {
                        hits.push(hit);
                    }
                }
            }
        }
        Ok((hits, files, bytes_read))
    }
}

fn occurs(hay: &[u8], needle: &Needle) -> bool {
    let n = &needle.bytes;
    if hay.len() < n.len() {
        return false;
    }
    let digit_at = |i: Option<usize>| i.and_then(|i| hay.get(i)).is_some_and(u8::is_ascii_digit);
    (0..=hay.len() - n.len()).any(|i| {
        hay[i] == n[0]
            && &hay[i..i + n.len()] == n.as_slice()
            && (needle.how != Match::Digits || {
                let before = i.checked_sub(needle.unit);
                let after = i + n.len();
                // ".123456Z" is the fraction of a log timestamp, not a code.
                let timestamp_fraction =
                    before.is_some_and(|b| hay[b] == b'.') && hay.get(after) == Some(&b'Z');
                !(digit_at(before) || digit_at(Some(after)) || timestamp_fraction)
            })
    })
}

/// Every regular file under `root` (or `root` itself), not following symbolic links.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(path) = todo.pop() {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_file() {
            found.push(path);
        } else if meta.is_dir() {
            if let Ok(entries) = fs::read_dir(&path) {
                todo.extend(entries.flatten().map(|entry| entry.path()));
            }
        }
    }
    found.sort();
    found
}

/// Where the app may write: its log (the driver's log, which carries the app's stderr), and
/// the test's XDG config, data and cache folders (the webview's storage is in the last two).
/// The save folder, where the person chose to save the recovery code, is not among them.
fn written_by_the_app(e: &E2e) -> Vec<PathBuf> {
    vec![
        e.dir.join("tauri-driver.log"),
        e.dir.join("config"),
        e.dir.join("data"),
        e.dir.join("cache"),
    ]
}

fn expect_no_hits(e: &E2e, list: &Watchlist, when: &str) -> Result<()> {
    let (hits, files, bytes) = list.search(&written_by_the_app(e), &e.dir)?;
    eprintln!(
        "[{}] {when}: searched {files} files ({} KiB) for {} forms of: {}",
        e.name,
        bytes / 1024,
        list.needles.len(),
        list.kinds().join(", ")
    );
    ensure!(
        hits.is_empty(),
        "{when}: secrets found in {} place(s):\n  {}",
        hits.len(),
        hits.join("\n  ")
    );
    Ok(())
}

/// No long-lived token: the keyring never holds a refresh token for `account`.
fn expect_no_refresh_token(e: &E2e, account: &str) -> Result<()> {
    ensure!(
        e.keyring_get(&refresh_token_key(account))?.is_none(),
        "a refresh token is in the keyring for {account}"
    );
    Ok(())
}

/// The most the app and its libraries log, with backtraces: where a secret would show if it
/// could.
fn log_everything() -> Vec<(String, String)> {
    [
        ("MFA_DESK_LOG", "trace"),
        ("RUST_LOG", "trace"),
        ("RUST_BACKTRACE", "1"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_or_app_folders_after_every_flow() {
    let options = Options {
        env: log_everything(),
        ..Options::default()
    };
    run_with(
        "no_secret_in_logs_or_app_folders_after_every_flow",
        Lang::En,
        tenant(),
        options,
        async |e| {
            let mut list = Watchlist::default();
            list.add("password", PASSWORD, Match::AnyCase);
            // Beyond the exact values (below), any piece of a token: every mfa_token and
            // oob_code the emulator mints is iron-sealed-looking, and every access and ID
            // token starts with this JWT header.
            list.add("mfa_token/oob_code (Fe26.2*)", "Fe26.2*", Match::Exact);
            list.add(
                "access/ID token (JWT)",
                "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.",
                Match::Exact,
            );
            let mut totp_codes = Vec::new();

            // Sign in a new person, who enrolls an authenticator app.
            let email = e.create_user("leak").await?;
            e.sign_in(&email).await?;
            e.wait_screen("enroll").await?;
            e.click("enroll-kind-otp").await?;
            e.wait_for("enroll-step-otp").await?;
            e.click_css(&format!("{} summary", tid("otp-cant-scan")))
                .await?;
            let secret = e.text("otp-secret").await?.replace(' ', "");
            ensure!(
                secret == e.totp_secret(&email).await?,
                "the manual key is not the enrolled secret"
            );
            list.add_grouped("TOTP secret", &secret);
            // Copy puts the key on the system clipboard, and nothing of it in the logs.
            e.click("otp-copy-secret").await?;
            e.wait_css(&format!("{}[data-copied=\"true\"]", tid("otp-copy-secret")))
                .await?;
            ensure!(
                e.clipboard_text()? == secret,
                "Copy did not put the manual key on the clipboard"
            );
            e.shot("enroll-otp").await?;
            let code = e.totp_now(&email).await?;
            totp_codes.push(code.clone());
            e.submit_code(&code).await?;
            let first_code = e.save_recovery_code(&email).await?;
            e.wait_home_row("otp").await?;
            expect_no_refresh_token(e, &email)?;

            // A phone as a second method.
            e.click("add-method").await?;
            e.wait_screen("enroll").await?;
            e.click("enroll-kind-sms").await?;
            e.wait_for("enroll-step-phone").await?;
            e.select_value("phone-country", "US").await?;
            e.fill("phone-number", "(201) 555-0123").await?;
            e.click("phone-continue").await?;
            e.wait_for("enroll-step-phone-confirm").await?;
            e.click("phone-confirm").await?;
            e.wait_for("enroll-step-code").await?;
            e.submit_code(&e.outbox_code("sms").await?).await?;
            e.wait_home_row("sms").await?;
            e.shot("home-otp-sms").await?;

            // Sign in again with a text message.
            e.sign_out().await?;
            sign_in_to_verify(e, &email).await?;
            let seen = e.outbox_count("sms").await?;
            e.pick_method("sms").await?;
            e.wait_for("verify-step-code").await?;
            e.submit_code(&e.outbox_code_after("sms", seen).await?)
                .await?;
            e.wait_home_row("sms").await?;
            expect_no_refresh_token(e, &email)?;

            // And with the authenticator app.
            e.sign_out().await?;
            sign_in_to_verify(e, &email).await?;
            e.advance_clock(30).await?;
            e.pick_method("otp").await?;
            e.wait_for("verify-step-code").await?;
            let code = e.totp_now(&email).await?;
            totp_codes.push(code.clone());
            e.submit_code(&code).await?;
            e.wait_home_row("otp").await?;
            expect_no_refresh_token(e, &email)?;

            // Lost everything: the recovery code (typed the way it was printed), a new one.
            e.sign_out().await?;
            sign_in_to_verify(e, &email).await?;
            e.click("use-recovery").await?;
            e.wait_screen("recover").await?;
            e.fill("recovery-input", &grouped(&first_code).to_lowercase())
                .await?;
            e.click("recovery-submit").await?;
            let second_code = e.save_recovery_code(&email).await?;
            ensure!(
                second_code != first_code,
                "the recovery code did not change"
            );
            e.wait_for("recovered-callout").await?;
            expect_no_refresh_token(e, &email)?;

            // Remove the phone.
            let remove_sms = format!(
                "{}[data-kind=\"sms\"] button[data-testid^=\"remove-\"]",
                tid("authenticator-row")
            );
            e.click_css(&remove_sms).await?;
            e.wait_for("remove-dialog").await?;
            e.click("confirm-remove").await?;
            e.wait_gone(&tid("remove-dialog")).await?;
            e.wait_gone(&format!("{}[data-kind=\"sms\"]", tid("authenticator-row")))
                .await?;
            e.wait_home_row("otp").await?;
            e.shot("home-after-remove").await?;
            e.sign_out().await?;

            // Every secret of the run.
            list.add_grouped("recovery code", &first_code);
            list.add_grouped("recovery code", &second_code);
            for code in &totp_codes {
                list.add("TOTP code", code, Match::Digits);
            }
            let sent = e.outbox().await?;
            ensure!(!sent.is_empty(), "no code was sent");
            for message in &sent {
                list.add("sent code (sms)", &message.code, Match::Digits);
            }
            // Every token the emulator issued in this run, exactly.
            let issued = e.issued_tokens().await?;
            for (values, kind) in [
                (&issued.mfa_tokens, "mfa_token"),
                (&issued.oob_codes, "oob_code"),
                (&issued.access_tokens, "access token"),
                (&issued.id_tokens, "ID token"),
            ] {
                ensure!(!values.is_empty(), "the emulator issued no {kind}");
                for value in values {
                    list.add(kind, value, Match::Exact);
                }
            }
            let refresh_tokens = issued.refresh_tokens.len();
            ensure!(
                refresh_tokens == 0,
                "no offline_access, so no refresh token: the emulator issued {refresh_tokens}"
            );

            // Let the app end the normal way, so whatever it (or WebKit) keeps is on disk.
            e.close_app().await?;

            let log = fs::read_to_string(e.dir.join("tauri-driver.log")).unwrap_or_default();
            ensure!(
                log.contains("auth0 answered"),
                "the log has no debug lines of the app: is its stderr captured, at trace level?"
            );
            let webview = e.dir.join("data/com.example.mfadesk");
            ensure!(
                webview.is_dir() && !files_under(&webview).is_empty(),
                "the webview stored nothing under {}: wrong folder searched?",
                webview.display()
            );
            let saved = fs::read_to_string(e.recovery_file())?;
            ensure!(
                saved.contains(&grouped(&second_code)),
                "the saved file (the allowed exception) lacks the code"
            );
            expect_no_hits(e, &list, "after every flow")?;

            // The search itself finds what it looks for: the code is in the saved file.
            let (hits, _, _) = list.search(std::slice::from_ref(&e.save_dir), &e.dir)?;
            ensure!(
                hits.iter().any(|hit| hit.contains("recovery code")),
                "the search does not find the recovery code in the saved file"
            );
            Ok(())
        },
    )
    .await;
}

// ------------------------------------------------------------------ helpdesk mode

/// Helpdesk mode, from the agent's sign-in to an issued recovery code and a setup link,
/// leaves no secret in the log, the app's folders or the webview's storage, and no audit
/// file on the agent's computer: the service keeps the trail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_or_app_folders_after_helpdesk_mode() {
    use super::helpdesk::{
        agent_signs_in, hand_code_over, managed_helpdesk, open_caller, verify_caller,
    };
    use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_SERVICE_CLIENT_SECRET, PUSH_USER};
    let options = Options {
        args: Some(vec![]),
        managed_config: Some(managed_helpdesk()),
        env: log_everything(),
        ..Options::default()
    };
    run_with(
        "no_secret_after_helpdesk_mode",
        Lang::En,
        tenant(),
        options,
        async |e| {
            let mut list = Watchlist::default();
            list.add("password", PASSWORD, Match::AnyCase);
            list.add(
                "helpdesk service's client secret",
                HELPDESK_SERVICE_CLIENT_SECRET,
                Match::Exact,
            );
            list.add("mfa_token/oob_code (Fe26.2*)", "Fe26.2*", Match::Exact);
            list.add(
                "access/ID token (JWT)",
                "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.",
                Match::Exact,
            );

            agent_signs_in(e, HELPDESK_AGENT).await?;

            // A caller verified, a code issued and handed over, a setup link sent.
            open_caller(e, PUSH_USER).await?;
            verify_caller(e, "in_person", "lost phone", "INC-9").await?;
            e.click("helpdesk-action-issue_recovery_code").await?;
            e.click("helpdesk-confirm-ok").await?;
            let issued = hand_code_over(e, "helpdesk", PUSH_USER).await?;
            list.add_grouped("issued recovery code", &issued);
            e.wait_for("helpdesk-outcome").await?;
            e.click("helpdesk-action-send_enrollment_ticket").await?;
            e.click("helpdesk-confirm-ok").await?;
            e.wait_css(&format!(
                "{}[data-action=\"send_enrollment_ticket\"]",
                tid("helpdesk-outcome")
            ))
            .await?;
            let link = e
                .outbox()
                .await?
                .into_iter()
                .find_map(|m| m.link)
                .context("no enrollment link was sent")?;
            list.add("enrollment ticket URL", &link, Match::Exact);
            if let Some((_, ticket)) = link.split_once("ticket=") {
                list.add("enrollment ticket id", ticket, Match::Exact);
            }

            // The history, exported (to the save folder, searched below on its own).
            e.click("helpdesk-nav-history").await?;
            e.wait_for("helpdesk-history-table").await?;
            e.click("helpdesk-history-export").await?;
            e.wait_for("helpdesk-history-exported").await?;
            e.click("helpdesk-end").await?;
            e.wait_screen("helpdesk-entry").await?;

            let tokens = e.issued_tokens().await?;
            ensure!(
                !tokens.access_tokens.is_empty() && !tokens.id_tokens.is_empty(),
                "the emulator issued no tokens"
            );
            for (values, kind) in [
                (&tokens.mfa_tokens, "mfa_token"),
                (
                    &tokens.access_tokens,
                    "access token (the agent's, the service's)",
                ),
                (&tokens.id_tokens, "ID token"),
            ] {
                for value in values {
                    list.add(kind, value, Match::Exact);
                }
            }
            e.close_app().await?;

            let log = fs::read_to_string(e.dir.join("tauri-driver.log")).unwrap_or_default();
            ensure!(
                log.contains("helpdesk session started")
                    && log.contains("api=\"helpdesk-service\""),
                "the log lacks the app's helpdesk lines: is its stderr captured, at trace level?"
            );
            ensure!(
                !log.contains("api=\"management\""),
                "the app called the Management API itself"
            );
            let audit = e.dir.join("data/com.example.mfadesk/helpdesk-audit.jsonl");
            ensure!(
                !audit.exists(),
                "an audit file on the agent's computer: {}",
                audit.display()
            );
            expect_no_hits(e, &list, "after helpdesk mode")?;
            // The exported history is outside the app's folders: it must be clean too.
            let (hits, files, _) = list.search(std::slice::from_ref(&e.save_dir), &e.dir)?;
            ensure!(files > 0, "the history was not exported");
            ensure!(hits.is_empty(), "secrets in the exported history: {hits:?}");
            Ok(())
        },
    )
    .await;
}

// ------------------------------------------------------------------ no Secret Service

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_service_the_code_stays_in_memory_only() {
    let options = Options {
        no_secret_service: true,
        env: vec![("MFA_DESK_LOG".into(), "trace".into())],
        ..Options::default()
    };
    run_with(
        "without_a_secret_service_the_code_stays_in_memory_only",
        Lang::En,
        tenant(),
        options,
        async |e| {
            let warning = e.wait_for("keyring-warning").await?;
            let text = squash(&warning.prop("textContent").await?.unwrap_or_default());
            ensure!(
                text.starts_with(&squash(&e.t("app.keyringWarning"))),
                "the keyring warning says {text:?}"
            );
            ensure!(
                text.ends_with(&squash(&e.t("error.keyring_unavailable"))),
                "the keyring warning gives another reason: {text:?}"
            );
            e.shot("signin-keyring-warning").await?;

            let code = recover_enrolled(e).await?;
            e.expect_text_css(
                &format!("{} span", tid("export-not-stored")),
                "export.notStored",
            )
            .await
            .context(
                "the dialog does not say the code is only in memory (app bug: \
                 keep_recovery_code in src-tauri/src/commands/enroll.rs counts a successful \
                 write to the in-memory fallback store as stored in the keyring)",
            )?;
            e.shot("export-not-stored").await?;

            let mut list = Watchlist::default();
            list.add_grouped("recovery code", &code);
            expect_no_hits(e, &list, "while the dialog shows the code")?;

            let kept = e.export_recovery_code(ENROLLED, Keep::Save).await?;
            ensure!(kept == code, "the dialog changed its code");
            e.wait_screen("home").await?;
            e.wait_for("recovered-callout").await?;
            ensure!(
                e.is_visible(&tid("keyring-warning")).await,
                "the keyring warning went away"
            );
            e.shot("home-recovered").await?;
            e.close_app().await?;
            expect_no_hits(e, &list, "after the app ended")
        },
    )
    .await;
}
