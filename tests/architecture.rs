//! The shape of the code, checked: no import loop among the files of a crate (a file that
//! names an item of another, through `use` or a `crate::`/`super::` path, depends on it), and
//! no production source file over 450 lines. Test code is left out: `tests.rs` files, and a
//! file's `#[cfg(test)]` module at its end.
//!
//! Paths are resolved the way a reader resolves them: to the deepest module file that exists,
//! and through a `mod.rs`'s `pub use` re-exports to the file that defines the item, so a
//! module that only re-exports its children (a facade) is not counted as depending on them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 450;

/// The crates whose files are checked, by their `src` folder.
const SOURCE_ROOTS: [&str; 5] = [
    "src-tauri/src",
    "crates/mfa-core/src",
    "crates/auth0-emulator/src",
    "crates/mfa-desk-admin/src",
    "crates/helpdesk-service/src",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text before the file's unit-test module, without comments.
fn production_text(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "tests.rs")
}

/// A source file's module path inside its crate: `src/flow/enroll.rs` → `["flow", "enroll"]`,
/// `src/flow/mod.rs` → `["flow"]`, `src/lib.rs` → `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

struct Crate {
    /// Module path → file.
    files: BTreeMap<Vec<String>, PathBuf>,
    /// For each facade module, re-exported name → the module path it comes from.
    reexports: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Crate {
    /// The file that defines `path` (a module path followed perhaps by an item name).
    fn resolve(&self, path: &[String]) -> Option<&PathBuf> {
        for len in (0..=path.len()).rev() {
            let module = &path[..len];
            if let Some(file) = self.files.get(module) {
                if let Some(item) = path.get(len) {
                    if let Some(source) = self.reexports.get(module).and_then(|r| r.get(item)) {
                        let mut target = source.clone();
                        target.extend_from_slice(&path[len + 1..]);
                        if target.as_slice() != path {
                            return self.resolve(&target).or(Some(file));
                        }
                    }
                }
                return Some(file);
            }
        }
        None
    }
}

/// `use a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(open) = tree.find('{') else {
        let leaf = tree.split(" as ").next().unwrap_or(&tree);
        return vec![leaf.replace(' ', "")];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

/// `use` trees of a text, with `pub` ones told apart.
fn use_trees(text: &str) -> Vec<(bool, String)> {
    let mut trees = Vec::new();
    for (at, _) in text.match_indices("use ") {
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let lead = before[line_start..].trim();
        if !(lead.is_empty() || lead.starts_with("pub")) {
            continue;
        }
        let rest = &text[at + 4..];
        let Some(end) = rest.find(';') else { continue };
        let tree = &rest[..end];
        if tree.contains('\n') && !tree.contains('{') {
            continue;
        }
        for path in expand(tree) {
            trees.push((lead.starts_with("pub"), path));
        }
    }
    trees
}

/// `crate::a::b`, `super::x` and `self::y` paths written anywhere in code.
fn code_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for prefix in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(prefix) {
            if at > 0 && text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push(path.trim_end_matches(':').to_owned());
        }
    }
    paths
}

/// `path` as seen from module `here`, as an absolute module path, if it is inside the crate.
fn absolute(krate: &Crate, here: &[String], is_mod_file: bool, path: &str) -> Option<Vec<String>> {
    let segments: Vec<String> = path
        .split("::")
        .filter(|s| !s.is_empty() && *s != "*")
        .map(str::to_owned)
        .collect();
    let (first, rest) = segments.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => here.to_vec(),
        "super" => {
            let mut up = here.to_vec();
            up.pop();
            let mut rest = rest;
            while rest.first().is_some_and(|s| s == "super") {
                up.pop();
                rest = &rest[1..];
            }
            let mut full = up;
            full.extend(rest.iter().cloned());
            return Some(full);
        }
        // A child module named without `self::` (uniform paths).
        name => {
            let mut child = here.to_vec();
            child.push(name.to_owned());
            let _ = is_mod_file;
            if krate.files.contains_key(&child) {
                let mut full = child;
                full.extend(rest.iter().cloned());
                return Some(full);
            }
            return None;
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

fn load(src: &Path) -> (Crate, BTreeMap<PathBuf, String>) {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    // Beside a lib.rs, main.rs is another crate: it reaches the library by its name.
    if src.join("lib.rs").exists() {
        paths.retain(|p| p != &src.join("main.rs"));
    }
    let texts: BTreeMap<PathBuf, String> = paths
        .into_iter()
        .filter(|p| !is_test_file(p))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, production_text(&text))
        })
        .collect();
    let mut krate = Crate {
        files: texts
            .keys()
            .map(|p| (module_of(src, p), p.clone()))
            .collect(),
        reexports: BTreeMap::new(),
    };
    let mut reexports = BTreeMap::new();
    for (file, text) in &texts {
        let here = module_of(src, file);
        let mut map = BTreeMap::new();
        for (public, path) in use_trees(text) {
            if !public {
                continue;
            }
            if let Some(target) = absolute(&krate, &here, true, &path) {
                if let Some((name, module)) = target.split_last() {
                    map.insert(name.clone(), module.to_vec());
                }
            }
        }
        reexports.insert(here, map);
    }
    krate.reexports = reexports;
    (krate, texts)
}

fn dependencies(src: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let (krate, texts) = load(src);
    let mut graph = BTreeMap::new();
    for (file, text) in &texts {
        let here = module_of(src, file);
        let is_facade = file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
        let mut paths: Vec<String> = use_trees(text)
            .into_iter()
            // A facade's `pub use` only re-exports: it is resolved through, not depended on.
            .filter(|(public, _)| !(is_facade && *public))
            .map(|(_, path)| path)
            .collect();
        paths.extend(code_paths(text));
        let edges: BTreeSet<PathBuf> = paths
            .iter()
            .filter_map(|p| absolute(&krate, &here, is_facade, p))
            .filter_map(|p| krate.resolve(&p).cloned())
            .filter(|target| target != file)
            .collect();
        graph.insert(file.clone(), edges);
    }
    graph
}

/// A loop in `graph`, as the files along it, if there is one.
fn find_loop(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        stack: &mut Vec<PathBuf>,
        done: &mut BTreeSet<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_loop_among_the_files_of_a_crate() {
    let mut loops = Vec::new();
    for src in SOURCE_ROOTS {
        let src = root().join(src);
        if !src.exists() {
            continue;
        }
        let mut graph = dependencies(&src);
        assert!(!graph.is_empty(), "read {}", src.display());
        // Every loop is reported: each one found is broken at its last step, then looked for again.
        while let Some(cycle) = find_loop(&graph) {
            let names: Vec<String> = cycle
                .iter()
                .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
                .collect();
            loops.push(names.join(" → "));
            let [.., from, to] = cycle.as_slice() else {
                unreachable!()
            };
            graph.get_mut(from).unwrap().remove(to);
        }
    }
    assert!(loops.is_empty(), "import loops:\n{}", loops.join("\n"));
}

#[test]
fn no_production_source_file_is_over_450_lines() {
    let mut long = Vec::new();
    for src in SOURCE_ROOTS {
        let mut files = Vec::new();
        rust_files(&root().join(src), &mut files);
        for file in files.iter().filter(|f| !is_test_file(f)) {
            let text = std::fs::read_to_string(file).unwrap();
            let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
            let lines = text[..end].lines().count();
            if lines > MAX_LINES {
                long.push(format!(
                    "{}: {lines} lines",
                    file.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_loop_finder_finds_a_loop_and_only_a_loop() {
    let (a, b, c) = (PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c"));
    let mut graph = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([c.clone()])),
        (c.clone(), BTreeSet::new()),
    ]);
    assert_eq!(find_loop(&graph), None);
    graph.get_mut(&c).unwrap().insert(a.clone());
    assert_eq!(find_loop(&graph), Some(vec![a.clone(), b, c, a]));
}

#[test]
fn use_trees_expand_to_every_path() {
    assert_eq!(
        expand("crate::flow::{session::{MfaSession, Pending}, EnrollRequest as Request}"),
        [
            "crate::flow::session::MfaSession",
            "crate::flow::session::Pending",
            "crate::flow::EnrollRequest"
        ]
    );
    assert_eq!(
        expand("commands::{\n    demo as demo_inbox, password,\n}"),
        ["commands::demo", "commands::password"]
    );
}
