//! Copying a secret through the real system clipboard (X11 under Xvfb, as `scripts/test`
//! runs the suite): the copy reaches other programs, is cleared after its delay, and is left
//! alone when the person has copied something else since.

use std::time::Duration;

use mfa_core::secret::secret;
use mfa_desk::service::clipboard::copy_then_clear_after;

const CLEAR_AFTER: Duration = Duration::from_millis(300);

/// The clipboard as another program sees it.
fn clipboard_text() -> String {
    arboard::Clipboard::new()
        .and_then(|mut clipboard| clipboard.get_text())
        .unwrap_or_default()
}

fn copy_elsewhere(text: &str) {
    arboard::Clipboard::new()
        .and_then(|mut clipboard| clipboard.set_text(text))
        .expect("another program copies");
}

// One test: both cases share the one system clipboard, so they must not run at once.
#[tokio::test]
async fn a_copied_secret_is_cleared_after_its_delay_unless_something_else_was_copied() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "needs a display (scripts/test runs the suite under Xvfb)"
    );

    copy_then_clear_after(secret("ABCD2345EFGH6789JKLM2345"), CLEAR_AFTER)
        .await
        .expect("copied");
    assert_eq!(clipboard_text(), "ABCD2345EFGH6789JKLM2345");
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
}
