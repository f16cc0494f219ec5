//! Reading every source, in precedence order, and merging what is valid: what `load` uses at
//! start-up and what `mfa-desk --check-config` reports on (see `report`).

use super::layer::problem;
use super::{files, Hive, Layer, Locations, OwnerCheck, Settings, SettingsError, Source};

/// One place that was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consulted {
    pub source: Source,
    /// False when nothing is there (no file, no policy key).
    pub found: bool,
}

/// The outcome of reading every source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Every place looked at, highest precedence first.
    pub consulted: Vec<Consulted>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Valid(Box<Settings>),
    /// No source sets anything.
    Unconfigured,
    /// Every problem found, highest precedence first.
    Invalid(Vec<SettingsError>),
}

/// Reads every source in `locations` and merges what is valid.
pub fn check(locations: &Locations) -> Check {
    let mut consulted = Vec::new();
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    let mut take = |source: Source, read: Result<Option<Layer>, SettingsError>| {
        consulted.push(Consulted {
            source,
            found: !matches!(read, Ok(None)),
        });
        match read {
            Ok(layer) => layers.extend(layer),
            Err(e) => problems.push(e),
        }
    };

    if locations.registry {
        for hive in [Hive::LocalMachine, Hive::CurrentUser] {
            take(Source::Registry(hive), read_registry(hive));
        }
    }
    for path in &locations.profiles {
        take(Source::Profile(path.clone()), files::plist(path));
    }
    match files::drop_ins(&locations.drop_in_dir) {
        Ok(paths) if paths.is_empty() => take(
            Source::DropIn(locations.drop_in_dir.join("*.json")),
            Ok(None),
        ),
        // The last in name order wins, so it comes first.
        Ok(paths) => {
            for path in paths.into_iter().rev() {
                let source = Source::DropIn(path.clone());
                take(
                    source.clone(),
                    files::json(&path, source, locations.owner_check),
                );
            }
        }
        Err(e) => take(Source::DropIn(locations.drop_in_dir.clone()), Err(e)),
    }
    let system = Source::SystemFile(locations.system_file.clone());
    let read_system = files::json(
        &locations.system_file,
        system.clone(),
        locations.owner_check,
    );
    take(system, read_system);
    if let Some(path) = &locations.user_file {
        let user = Source::UserFile(path.clone());
        take(user.clone(), files::json(path, user, OwnerCheck::AdminOnly));
    }

    let outcome = if !problems.is_empty() {
        Outcome::Invalid(problems)
    } else if layers.is_empty() {
        Outcome::Unconfigured
    } else {
        match Settings::from_layers(&layers) {
            Ok(settings) => Outcome::Valid(Box::new(settings)),
            Err(e) => Outcome::Invalid(vec![e]),
        }
    };
    Check { consulted, outcome }
}

#[cfg(windows)]
fn read_registry(hive: Hive) -> Result<Option<Layer>, SettingsError> {
    let source = Source::Registry(hive);
    match super::registry::windows::read(hive)? {
        Some(key) => Layer::from_registry(source, &key).map(Some),
        None => Ok(None),
    }
}

#[cfg(not(windows))]
fn read_registry(_hive: Hive) -> Result<Option<Layer>, SettingsError> {
    Ok(None)
}

impl Check {
    pub fn is_valid(&self) -> bool {
        matches!(self.outcome, Outcome::Valid(_))
    }

    /// What is wrong, each naming its source, key and problem; empty when valid.
    pub fn problems(&self) -> Vec<SettingsError> {
        match &self.outcome {
            Outcome::Valid(_) => Vec::new(),
            Outcome::Invalid(problems) => problems.clone(),
            Outcome::Unconfigured => {
                let system = self
                    .consulted
                    .iter()
                    .find(|c| matches!(c.source, Source::SystemFile(_)))
                    .map_or(Source::Default, |c| c.source.clone());
                vec![problem(
                    &system,
                    "",
                    "no configuration: no policy, drop-in or file sets the tenant \
                     (IT deploys it with the app)",
                )]
            }
        }
    }
}
