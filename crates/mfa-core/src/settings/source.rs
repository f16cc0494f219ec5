//! Where settings come from on each OS, and how each source is named in messages.

use std::ffi::OsString;
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
    /// Whether the system file and drop-ins must be an administrator's alone (`owner`).
    pub owner_check: OwnerCheck,
}

/// Whether IT's files must be an administrator's alone to be read: always, but for a file a
/// test build's hook named (see `Locations::from_env`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerCheck {
    AdminOnly,
    /// Only for files a test names through a test build's hook.
    Skip,
}

/// What the environment may say about where settings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvTrust {
    /// Every release build: `MFA_DESK_USER_CONFIG` may name the person's own file (a layer
    /// that cannot turn helpdesk mode on, and that IT's layers override); a variable naming
    /// IT's file is ignored.
    PersonOnly,
    /// A test build's hook (the app's `test-hooks` feature, debug builds only):
    /// `MFA_DESK_SYSTEM_CONFIG` names the system file (its drop-ins are `config.d` beside
    /// it) without the ownership check, so tests need no root-owned folder.
    TestHooks,
}

/// The variable that names the system file in test builds only.
pub const SYSTEM_CONFIG_ENV: &str = "MFA_DESK_SYSTEM_CONFIG";
/// The variable that names the person's own file.
pub const USER_CONFIG_ENV: &str = "MFA_DESK_USER_CONFIG";

impl Locations {
    /// This system's places, as a release build reads them.
    pub fn standard() -> Self {
        Self::from_env(EnvTrust::PersonOnly, |name| std::env::var_os(name))
    }

    /// This system's places, with what `env` says as far as `trust` allows.
    pub fn from_env(trust: EnvTrust, env: impl Fn(&str) -> Option<OsString>) -> Self {
        let named = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let hooked = match trust {
            EnvTrust::TestHooks => named(SYSTEM_CONFIG_ENV),
            EnvTrust::PersonOnly => None,
        };
        let owner_check = match hooked {
            Some(_) => OwnerCheck::Skip,
            None => OwnerCheck::AdminOnly,
        };
        let system_file = hooked.unwrap_or_else(system_file);
        Self {
            registry: cfg!(windows),
            profiles: managed_profiles(),
            drop_in_dir: drop_in_dir(&system_file),
            user_file: named(USER_CONFIG_ENV).or_else(user_file),
            system_file,
            owner_check,
        }
    }

    /// Files only, with the drop-in folder next to `system_file`: what tests use (without
    /// the ownership check; [`Locations::admin_only`] puts it back).
    pub fn files(system_file: &Path, user_file: Option<&Path>) -> Self {
        Self {
            registry: false,
            profiles: Vec::new(),
            drop_in_dir: drop_in_dir(system_file),
            system_file: system_file.to_owned(),
            user_file: user_file.map(Path::to_owned),
            owner_check: OwnerCheck::Skip,
        }
    }

    /// With the ownership check of IT's files, as release builds read them.
    pub fn admin_only(mut self) -> Self {
        self.owner_check = OwnerCheck::AdminOnly;
        self
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
