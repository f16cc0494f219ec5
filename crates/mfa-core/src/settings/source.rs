//! Where settings come from on each OS, and how each source is named in messages.

use std::fmt;
use std::path::{Path, PathBuf};

/// The registry key of the policies, under `HKLM` and `HKCU` (Group Policy and Intune
/// write below `SOFTWARE\Policies`, which only administrators may change).
pub const POLICY_KEY: &str = r"SOFTWARE\Policies\MFA Desk";

/// The app's bundle identifier (`identifier` in tauri.conf.json): macOS managed preferences
/// and configuration profiles are addressed to it.
pub const BUNDLE_ID: &str = "com.example.mfadesk";

/// A registry root holding policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hive {
    /// The computer's policies: they win.
    LocalMachine,
    /// The person's policies, below the computer's.
    CurrentUser,
}

/// Where one layer of settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The app's own default for a key nobody set.
    Default,
    /// The person's own file: the only source that is not IT's.
    UserFile(PathBuf),
    /// The system-wide file.
    SystemFile(PathBuf),
    /// One file of the drop-in folder next to the system file.
    DropIn(PathBuf),
    /// Windows policies.
    Registry(Hive),
    /// macOS managed preferences, delivered by a configuration profile.
    Profile(PathBuf),
}

impl Source {
    /// Whether IT set it: everything but the person's own file and the defaults. A language
    /// from a managed source is locked; helpdesk mode is only accepted from one.
    pub fn is_managed(&self) -> bool {
        !matches!(self, Self::Default | Self::UserFile(_))
    }

    /// What kind of source this is, as `--check-config` prints it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Default => "built-in default",
            Self::UserFile(_) => "user file",
            Self::SystemFile(_) => "system file",
            Self::DropIn(_) => "drop-in",
            Self::Registry(_) => "registry",
            Self::Profile(_) => "profile",
        }
    }

    /// The file, registry key or profile; empty for a default.
    pub fn location(&self) -> String {
        match self {
            Self::Default => String::new(),
            Self::UserFile(path)
            | Self::SystemFile(path)
            | Self::DropIn(path)
            | Self::Profile(path) => path.display().to_string(),
            Self::Registry(Hive::LocalMachine) => format!(r"HKLM\{POLICY_KEY}"),
            Self::Registry(Hive::CurrentUser) => format!(r"HKCU\{POLICY_KEY}"),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str(self.kind()),
            _ => write!(f, "{} {}", self.kind(), self.location()),
        }
    }
}

/// The places read, highest precedence first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    /// Read Windows policies from the registry (ignored on other systems).
    pub registry: bool,
    /// Managed-preferences property lists, the computer's first (macOS).
    pub profiles: Vec<PathBuf>,
    /// The drop-in folder: its `*.json` files, in name order, the last winning.
    pub drop_in_dir: PathBuf,
    pub system_file: PathBuf,
    pub user_file: Option<PathBuf>,
}

impl Locations {
    /// This system's places. `MFA_DESK_SYSTEM_CONFIG` (the drop-in folder is `config.d` next
    /// to it) and `MFA_DESK_USER_CONFIG` override the files (tests, trials).
    pub fn standard() -> Self {
        let env = |name: &str| std::env::var_os(name).map(PathBuf::from);
        let system_file = env("MFA_DESK_SYSTEM_CONFIG").unwrap_or_else(system_file);
        Self {
            registry: cfg!(windows),
            profiles: managed_profiles(),
            drop_in_dir: drop_in_dir(&system_file),
            user_file: env("MFA_DESK_USER_CONFIG").or_else(user_file),
            system_file,
        }
    }

    /// Files only, with the drop-in folder next to `system_file`: what tests use.
    pub fn files(system_file: &Path, user_file: Option<&Path>) -> Self {
        Self {
            registry: false,
            profiles: Vec::new(),
            drop_in_dir: drop_in_dir(system_file),
            system_file: system_file.to_owned(),
            user_file: user_file.map(Path::to_owned),
        }
    }
}

fn drop_in_dir(system_file: &Path) -> PathBuf {
    system_file
        .parent()
        .unwrap_or(Path::new(""))
        .join("config.d")
}

fn system_file() -> PathBuf {
    if cfg!(windows) {
        let data = std::env::var_os("ProgramData").unwrap_or_else(|| r"C:\ProgramData".into());
        PathBuf::from(data).join("MFA Desk").join("config.json")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/MFA Desk/config.json")
    } else {
        PathBuf::from("/etc/mfa-desk/config.json")
    }
}

/// `%APPDATA%\MFA Desk`, `~/Library/Application Support/MFA Desk`, `$XDG_CONFIG_HOME/mfa-desk`.
fn user_file() -> Option<PathBuf> {
    let folder = if cfg!(any(windows, target_os = "macos")) {
        "MFA Desk"
    } else {
        "mfa-desk"
    };
    dirs::config_dir().map(|dir| dir.join(folder).join("config.json"))
}

/// What a configuration profile installs: the computer's managed preferences, then the
/// person's (`/Library/Managed Preferences/<user>/`).
fn managed_profiles() -> Vec<PathBuf> {
    if !cfg!(target_os = "macos") {
        return Vec::new();
    }
    let root = Path::new("/Library/Managed Preferences");
    let file = format!("{BUNDLE_ID}.plist");
    let mut profiles = vec![root.join(&file)];
    if let Some(user) = std::env::var_os("USER").filter(|u| !u.is_empty()) {
        profiles.push(root.join(user).join(&file));
    }
    profiles
}
