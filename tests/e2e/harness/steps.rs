//! What a person does in the app, as steps a test can chain.

use super::*;

impl E2e {
    /// From the sign-in screen: email, password, submit.
    pub async fn sign_in(&self, email: &str) -> Result<()> {
        self.wait_screen("signin").await?;
        self.fill("signin-username", email).await?;
        self.fill("signin-password", PASSWORD).await?;
        self.click("signin-submit").await
    }

    pub async fn sign_out(&self) -> Result<()> {
        self.click("sign-out").await?;
        self.wait_screen("signin").await
    }

    /// Types a one-time code and submits it. A complete code may be submitted by the field
    /// itself (it treats input without an `inputType` as a paste); the click then finds the
    /// button busy, disabled or gone, which is fine.
    pub async fn submit_code(&self, code: &str) -> Result<()> {
        self.fill("code-input", code).await?;
        if let Some(button) = self.visible(&tid("code-submit")).await {
            if button.is_enabled().await.unwrap_or(false) {
                let _ = button.click().await;
            }
        }
        Ok(())
    }

    /// Submits a code that should be refused; returns the error banner's code once the
    /// answer is in (the field is emptied after a refusal).
    pub async fn submit_wrong_code(&self, code: &str) -> Result<String> {
        self.submit_code(code).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let input = self.wait_for("code-input").await?;
            let empty = input.prop("value").await?.unwrap_or_default().is_empty();
            if empty {
                if let Some(banner) = self.visible(&tid("error-banner")).await {
                    if let Some(code) = banner.attr("data-code").await? {
                        return Ok(code);
                    }
                }
            }
            ensure!(
                Instant::now() < deadline,
                "no error shown for the code {code}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// A six-digit code that is not the user's current TOTP code.
    pub async fn wrong_totp(&self, email: &str) -> Result<String> {
        let right: u32 = self.totp_now(email).await?.parse()?;
        Ok(format!("{:06}", (right + 500_000) % 1_000_000))
    }

    /// The recovery code dialog with "Save as text file" (the file is read back and checked).
    pub async fn save_recovery_code(&mut self, account: &str) -> Result<String> {
        self.export_recovery_code(account, Keep::Save).await
    }

    /// Goes through the recovery code dialog the way a careful person does, checking that
    /// Continue is gated, and keeps the code as `keep` says; a saved file is read back.
    /// Returns the code the dialog showed (without spaces). Ends on the screen after the dialog.
    pub async fn export_recovery_code(&mut self, account: &str, keep: Keep) -> Result<String> {
        self.wait_for("export-dialog").await?;
        self.shot("recovery-export").await?;
        let shown = self.text("export-code").await?;
        let code = shown.replace(' ', "");
        ensure!(
            code.len() == 24 && code.chars().all(|c| c.is_ascii_alphanumeric()),
            "odd recovery code {shown:?}"
        );
        ensure!(
            shown == grouped(&code),
            "the code is not shown in groups of four: {shown:?}"
        );

        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled before the code was stored"
        );
        self.expect_text("export-gate", "export.gateHint").await?;
        self.click("export-confirm-checkbox").await?;
        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled with only the box ticked"
        );
        self.click("export-confirm-checkbox").await?;

        let button = match keep {
            Keep::Save => "export-save",
            Keep::Copy => "export-copy",
        };
        self.click(button).await?;
        self.wait_css(&format!("{}[data-done=\"true\"]", tid(button)))
            .await?;
        self.expect_text("export-gate", "export.gateTick").await?;
        ensure!(
            !self.is_enabled("export-continue").await?,
            "Continue is enabled before the box was ticked"
        );

        let file = self.recovery_file();
        if keep == Keep::Save {
            let text = fs::read_to_string(&file)
                .with_context(|| format!("reading the saved file {}", file.display()))?;
            ensure!(
                text.contains(&grouped(&code)),
                "the saved file lacks the code {}:\n{text}",
                grouped(&code)
            );
            ensure!(
                text.contains(account),
                "the saved file lacks the account {account}:\n{text}"
            );
            ensure!(
                text.contains(&self.domain()),
                "the saved file lacks the tenant {}:\n{text}",
                self.domain()
            );
        } else {
            ensure!(
                !file.exists(),
                "a file was saved although only Copy was used"
            );
            let copied = self.clipboard_text()?;
            ensure!(
                copied.replace(' ', "") == code,
                "the clipboard holds {copied:?}, not the code"
            );
        }

        self.click("export-confirm-checkbox").await?;
        self.wait_enabled("export-continue", true).await?;
        self.expect_text("export-gate", "export.gateReady").await?;
        self.shot("recovery-export-ready").await?;
        self.click("export-continue").await?;
        self.wait_gone(&tid("export-dialog")).await?;
        Ok(code)
    }

    /// The system clipboard (X11 under Xvfb), read as another program would.
    pub fn clipboard_text(&self) -> Result<String> {
        arboard::Clipboard::new()
            .and_then(|mut clipboard| clipboard.get_text())
            .context("reading the system clipboard")
    }

    /// Where "Save as text file" writes: `recovery-code-<tenant>.txt` in the save folder.
    pub fn recovery_file(&self) -> PathBuf {
        self.save_dir.join(format!(
            "recovery-code-{}.txt",
            self.domain().replace(':', "-")
        ))
    }

    /// Waits until the home list has a row of `kind`.
    pub async fn wait_home_row(&self, kind: &str) -> Result<Element> {
        self.wait_screen("home").await?;
        self.wait_css(&format!(
            "{}[data-kind=\"{kind}\"]",
            tid("authenticator-row")
        ))
        .await
    }

    /// On the verify screen: picks the method of this kind.
    pub async fn pick_method(&self, kind: &str) -> Result<()> {
        self.wait_screen("verify").await?;
        self.click_css(&format!("{}[data-kind=\"{kind}\"]", tid("verify-method")))
            .await
    }
}
