//! Copying a secret through the real system clipboard (X11 under Xvfb, as `scripts/test`
//! runs the suite): the copy reaches other programs, is cleared after its delay, and is left
//! alone when the person has copied something else since; the copy commands copy only what
//! Rust holds for the screen shown, and nothing when nothing is shown.

mod support;
#[path = "support/x11_clipboard.rs"]
mod x11_clipboard;

use std::time::Duration;

use mfa_core::secret::secret;
use mfa_core::secret_store::MemoryStore;
use mfa_desk::launch::Launch;
use mfa_desk::service::clipboard::copy_then_clear_after;
use serde_json::json;
use support::mock_app::mock_app;
use support::{Auth0, PASSWORD};
use x11_clipboard::{clipboard_text, clipboard_types};

const CLEAR_AFTER: Duration = Duration::from_millis(300);

fn copy_elsewhere(text: &str) {
    arboard::Clipboard::new()
        .and_then(|mut clipboard| clipboard.set_text(text))
        .expect("another program copies");
}

// One test: the cases share the one system clipboard, so they must not run at once.
#[tokio::test(flavor = "multi_thread")]
async fn secrets_copied_to_the_system_clipboard_are_cleared_and_refusals_copy_nothing() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "needs a display (scripts/test runs the suite under Xvfb)"
    );

    copy_then_clear_after(secret("ABCD2345EFGH6789JKLM2345"), CLEAR_AFTER)
        .await
        .expect("copied");
    assert_eq!(clipboard_text(), "ABCD2345EFGH6789JKLM2345");
    // Marked for clipboard managers to leave out of their history.
    let types = clipboard_types();
    assert!(
        types.iter().any(|t| t == "x-kde-passwordManagerHint"),
        "the copy is not marked as a secret: {types:?}"
    );
    tokio::time::sleep(CLEAR_AFTER * 3).await;
    assert_eq!(clipboard_text(), "", "the secret is still on the clipboard");

    copy_then_clear_after(secret("JBSWY3DPEHPK3PXP"), CLEAR_AFTER)
        .await
        .expect("copied");
    copy_elsewhere("a note the person copied since");
    tokio::time::sleep(CLEAR_AFTER * 3).await;
    assert_eq!(
        clipboard_text(),
        "a note the person copied since",
        "clearing took what the person copied afterwards"
    );

    // The commands, as the webview calls them.
    let auth0 = Auth0::start().await;
    let app = mock_app(
        Launch::Demo {
            emulator: Some(auth0.emulator.base_url()),
            helpdesk_service: None,
        },
        Box::new(MemoryStore::default()),
    )
    .await;
    copy_elsewhere("before");
    for command in ["copy_totp_secret", "recovery_code_copy"] {
        let refused = app
            .call(command, json!({}))
            .await
            .expect_err("nothing is shown");
        assert_eq!(refused["code"], "no_pending_code", "{command}: {refused}");
        assert_eq!(clipboard_text(), "before", "{command} copied something");
    }

    // An authenticator-app enrollment: Copy puts its key on the clipboard, taken from
    // Rust's side of the enrollment (the command takes no text), until it is confirmed.
    let email = auth0.new_user().await;
    app.call("sign_in", json!({"username": email, "password": PASSWORD}))
        .await
        .expect("signed in");
    let started = app
        .call("enroll_start", json!({"kind": "otp"}))
        .await
        .expect("enrollment started");
    let shown: String =
        serde_json::from_value::<Vec<String>>(started["otp"]["secretGroups"].clone())
            .expect("the key is shown in groups")
            .concat();
    assert_eq!(shown.len(), 32, "{started}");
    app.call("copy_totp_secret", json!({}))
        .await
        .expect("the authenticator key is copied");
    assert_eq!(clipboard_text(), shown);
    app.call("enroll_confirm", json!({"code": auth0.totp(&shown).await}))
        .await
        .expect("enrolled");
    copy_elsewhere("after");
    let ended = app
        .call("copy_totp_secret", json!({}))
        .await
        .expect_err("the enrollment is over");
    assert_eq!(ended["code"], "no_pending_code", "{ended}");
    assert_eq!(
        clipboard_text(),
        "after",
        "a finished enrollment's key was copied"
    );
}
