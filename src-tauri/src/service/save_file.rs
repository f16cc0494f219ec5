//! Saving a file where the person chooses, through the native save dialog in its callback
//! form (the dialog never blocks a runtime worker), written readable by its owner only on a
//! blocking thread. End-to-end tests cannot drive a native dialog, so a test build's hook
//! names a folder instead (`test_hooks::save_dir`); an installed app always asks.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::command_error::{AppError, CommandResult};
use crate::recovery_export;

/// What the save dialog offers: a suggested name and one file type.
pub struct SaveRequest<'a> {
    pub file_name: &'a str,
    pub filter_name: &'a str,
    pub extension: &'a str,
}

/// Asks where to save, then writes `text` there. `false` when the person cancelled.
pub async fn save_via_dialog<R: Runtime>(
    app: &AppHandle<R>,
    request: SaveRequest<'_>,
    text: String,
) -> CommandResult<bool> {
    let path: Option<PathBuf> = match crate::test_hooks::save_dir() {
        Some(dir) => Some(dir.join(request.file_name)),
        None => {
            let (answer, chosen) = tokio::sync::oneshot::channel();
            app.dialog()
                .file()
                .set_file_name(request.file_name)
                .add_filter(request.filter_name, &[request.extension])
                .save_file(move |path| {
                    let _ = answer.send(path.and_then(|p| p.into_path().ok()));
                });
            chosen.await.ok().flatten()
        }
    };
    let Some(path) = path else {
        return Ok(false);
    };
    blocking(move || recovery_export::write_private(&path, &text))
        .await
        .map_err(|_| AppError::SaveFailed)?;
    Ok(true)
}
