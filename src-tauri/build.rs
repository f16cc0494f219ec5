//! Builds the Tauri context. Our own commands are listed in the app manifest so that the
//! capability files can grant them per window (unlisted commands would skip the ACL check).
//! Capabilities live under src-tauri/ although the package sits at the repository root.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    let manifest = tauri_build::AppManifest::new().commands(mfa_desk_commands());
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("tauri build step failed");
}

/// Keep in sync with `generate_handler!` in src-tauri/src/lib.rs.
fn mfa_desk_commands() -> &'static [&'static str] {
    &[
        "app_state",
        "first_screen_shown",
        "sign_in",
        "sign_out",
        "browser_sign_in_start",
        "browser_sign_in_wait",
        "browser_sign_in_cancel",
        "open_helpdesk",
        "prepare_phone_check",
        "normalize_phone",
        "enroll_start",
        "enroll_resend",
        "enroll_confirm",
        "push_wait",
        "push_cancel",
        "verify_start",
        "verify_resend",
        "verify_confirm",
        "recover",
        "list_authenticators",
        "remove_authenticator",
        "recovery_code_copy",
        "recovery_code_save",
        "recovery_code_confirm",
        "copy_totp_secret",
        "helpdesk_status",
        "helpdesk_store_secret",
        "helpdesk_begin",
        "helpdesk_end",
        "helpdesk_find",
        "helpdesk_open_caller",
        "helpdesk_verify_caller",
        "helpdesk_remove_method",
        "helpdesk_reset",
        "helpdesk_issue_recovery_code",
        "helpdesk_send_enrollment",
        "helpdesk_forget_browsers",
        "helpdesk_history",
        "helpdesk_history_export",
        "demo_outbox",
        "demo_push",
        "demo_totp",
    ]
}
