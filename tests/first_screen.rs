//! The first screen's modules arrive at once: `ui/index.html` names as `modulepreload` exactly
//! the modules that its scripts and the sign-in screen import, directly or through others.
//! A module missing from the list is fetched only once the module importing it has arrived
//! (a round trip more before the first paint); one listed but not imported is loaded for
//! nothing (issue 24; README, "Performance").

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

fn ui() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui")
}

/// The values of `attribute="…"` in the tags of `html` that hold `marker`.
fn attribute_values(html: &str, marker: &str, attribute: &str) -> Vec<String> {
    html.split('<')
        .filter(|tag| tag.contains(marker))
        .filter_map(|tag| {
            let value = tag.split_once(&format!("{attribute}=\""))?.1;
            Some(value.split_once('"')?.0.to_owned())
        })
        .collect()
}

/// `ui/`-relative paths of the modules `module` imports statically (`import … from '…'`;
/// `import('…')` loads later, when asked for).
fn static_imports(module: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(ui().join(module))
        .unwrap_or_else(|e| panic!("{}: {e}", module.display()));
    text.lines()
        .filter(|line| line.starts_with("import "))
        .filter_map(|line| {
            line.split_once(" from '")?
                .1
                .split_once('\'')
                .map(|(s, _)| s)
        })
        .map(|specifier| normalise(&module.parent().unwrap().join(specifier)))
        .collect()
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn index_preloads_exactly_the_first_screens_modules() {
    let html = std::fs::read_to_string(ui().join("index.html")).unwrap();
    let scripts: Vec<PathBuf> = attribute_values(&html, "type=\"module\"", "src")
        .into_iter()
        .map(PathBuf::from)
        .collect();
    assert!(scripts.contains(&PathBuf::from("main.js")), "{scripts:?}");
    let preloaded: BTreeSet<PathBuf> = attribute_values(&html, "rel=\"modulepreload\"", "href")
        .into_iter()
        .map(PathBuf::from)
        .collect();

    // The page's scripts, and the sign-in screen, which main.js fetches while Rust answers.
    let mut pending: Vec<PathBuf> = scripts.clone();
    pending.push(PathBuf::from("js/screens/signin.js"));
    let mut needed = BTreeSet::new();
    while let Some(module) = pending.pop() {
        if needed.insert(module.clone()) {
            pending.extend(static_imports(&module));
        }
    }
    for script in &scripts {
        needed.remove(script);
    }

    let missing: Vec<_> = needed.difference(&preloaded).collect();
    let unneeded: Vec<_> = preloaded.difference(&needed).collect();
    assert!(
        missing.is_empty() && unneeded.is_empty(),
        "index.html should preload {missing:?} and not {unneeded:?}"
    );
}
