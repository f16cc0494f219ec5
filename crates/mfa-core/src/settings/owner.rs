//! Who may have written IT's files. A managed file (the system file, a drop-in, a managed
//! preferences list) is read only when it and its folder could only have been written by an
//! administrator; otherwise anyone with an account on the computer could turn helpdesk mode
//! on with their own agents list, or point the app at another tenant.
//!
//! - Linux and macOS: the file and its folder are owned by root (uid 0) and writable by
//!   neither their group nor others (`mode & 0o022 == 0`). Symbolic links are followed: a
//!   link in a folder that passes could only have been made by root.
//! - Windows: IT's files live in `%ProgramData%\MFA Desk`, which the installer creates with
//!   an ACL that lets only Administrators and SYSTEM write (`packaging/windows/`), and the
//!   policies under `HKLM\SOFTWARE\Policies`, which only administrators can change. The app
//!   does not read the ACL back (see the README, "Security").

use std::io::ErrorKind;
use std::path::Path;

/// `Ok` when `path` (an existing file) and its folder are an administrator's alone; else
/// what is wrong, in words for `--check-config` and the configuration screen.
#[cfg(unix)]
pub(super) fn admin_only(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;

    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    for place in std::iter::once(path).chain(folder) {
        let meta = match std::fs::metadata(place) {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{} cannot be checked: {e}", place.display())),
        };
        if meta.uid() != 0 {
            return Err(format!(
                "not read: {} is owned by uid {}, and IT's files must be owned by root",
                place.display(),
                meta.uid()
            ));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(format!(
                "not read: {} can be changed by users other than root (mode {:o}; remove \
                 group and others' write permission)",
                place.display(),
                meta.mode() & 0o7777
            ));
        }
    }
    Ok(())
}

/// Windows: the folder's ACL is the installer's (see the module's comment).
#[cfg(not(unix))]
pub(super) fn admin_only(_path: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{chown, PermissionsExt};

    use super::*;

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn only_files_root_alone_can_change_are_read() {
        if effective_uid() != 0 {
            eprintln!("skipped: the ownership cases need root (CI and scripts/test run as root)");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.json");
        std::fs::write(&file, "{}").unwrap();
        set_mode(dir.path(), 0o755);
        set_mode(&file, 0o644);
        assert_eq!(admin_only(&file), Ok(()));

        set_mode(&file, 0o664);
        assert!(admin_only(&file).unwrap_err().contains("mode 664"));
        set_mode(&file, 0o644);
        set_mode(dir.path(), 0o777);
        let refused = admin_only(&file).unwrap_err();
        assert!(
            refused.contains(&dir.path().display().to_string()),
            "{refused}"
        );
        set_mode(dir.path(), 0o755);

        chown(&file, Some(1000), None).unwrap();
        assert!(admin_only(&file).unwrap_err().contains("uid 1000"));
        chown(&file, Some(0), None).unwrap();
        chown(dir.path(), Some(1000), None).unwrap();
        assert!(admin_only(&file).unwrap_err().contains("uid 1000"));
    }

    /// The effective uid, from the owner of a file this process just created.
    fn effective_uid() -> u32 {
        use std::os::unix::fs::MetadataExt;
        let probe = tempfile::NamedTempFile::new().unwrap();
        probe.as_file().metadata().unwrap().uid()
    }
}
