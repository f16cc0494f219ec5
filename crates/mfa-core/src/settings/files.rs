//! Files: the JSON files (system, drop-ins, the person's own) and the managed-preferences
//! property lists. A missing file is no layer at all; an unreadable one is a problem, and so
//! is IT's file when someone other than an administrator could have written it (`owner`).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::layer::problem;
use super::{Layer, OwnerCheck, SettingsError, Source};

/// The file's bytes, `None` when it does not exist.
pub(super) fn read(
    path: &Path,
    source: &Source,
    owner: OwnerCheck,
) -> Result<Option<Vec<u8>>, SettingsError> {
    if owner == OwnerCheck::AdminOnly && source.is_managed() && path.exists() {
        super::owner::admin_only(path).map_err(|what| problem(source, "", what))?;
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(problem(source, "", format!("cannot be read: {e}"))),
    }
}

/// A JSON settings file named by `source`.
pub(super) fn json(
    path: &Path,
    source: Source,
    owner: OwnerCheck,
) -> Result<Option<Layer>, SettingsError> {
    let Some(bytes) = read(path, &source, owner)? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes).map_err(|_| problem(&source, "", "is not UTF-8 text"))?;
    Layer::from_json(source, &text).map(Some)
}

/// A managed-preferences property list.
pub(super) fn plist(path: &Path) -> Result<Option<Layer>, SettingsError> {
    let source = Source::Profile(path.to_owned());
    let Some(bytes) = read(path, &source, OwnerCheck::AdminOnly)? else {
        return Ok(None);
    };
    Layer::from_plist(source, &bytes).map(Some)
}

/// The drop-in folder's `*.json` files in name order (byte order, as `ls` in the C locale
/// sorts them: `10-base.json` before `50-site.json`). Hidden files are skipped: editors and
/// package managers leave those behind.
pub(super) fn drop_ins(dir: &Path) -> Result<Vec<PathBuf>, SettingsError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            let source = Source::DropIn(dir.to_owned());
            return Err(problem(&source, "", format!("cannot be read: {e}")));
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".json") && !name.starts_with('.') && path.is_file()
        })
        .collect();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}
