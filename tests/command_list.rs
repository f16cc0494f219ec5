//! One list of commands: `generate_handler!` in src-tauri/src/lib.rs names them (build.rs
//! reads it for the app manifest). Everything that grants or calls a command must agree with
//! it, or the command is unreachable, or reachable without the ACL check a capability gives.
//! Each failure names the command and the place.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// `generate_handler![session::app_state, …]` → `app_state`, …
fn registered() -> BTreeSet<String> {
    let lib = read("src-tauri/src/lib.rs");
    let start = lib
        .find("generate_handler![")
        .expect("generate_handler! in lib.rs");
    let rest = &lib[start + "generate_handler![".len()..];
    let body = &rest[..rest.find(']').expect("closing ]")];
    body.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.rsplit("::").next().unwrap().to_owned())
        .collect()
}

/// `allow-app-state` → `app_state`.
fn command_of_permission(permission: &str) -> Option<String> {
    permission
        .strip_prefix("allow-")
        .map(|name| name.replace('-', "_"))
}

/// The permissions of the main window's capability file.
fn granted_in_capability_file() -> BTreeSet<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).unwrap();
    json["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("permission names are strings").to_owned())
        .collect()
}

/// The demo inbox's capability, granted at run time in demo mode only (lib.rs).
fn granted_at_run_time() -> BTreeSet<String> {
    quoted_after(&read("src-tauri/src/lib.rs"), ".permission(\"")
}

/// Every `call('name'` in ui/js/api.js.
fn called_by_ui() -> BTreeSet<String> {
    quoted_after(&read("ui/js/api.js"), "call('")
}

fn quoted_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let quote = prefix.chars().last().unwrap();
    text.match_indices(prefix)
        .filter_map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            rest.find(quote).map(|end| rest[..end].to_owned())
        })
        .collect()
}

#[test]
fn every_registered_command_is_granted_once_and_every_grant_names_one() {
    let registered = registered();
    assert!(
        registered.len() > 30,
        "read the handler list: {registered:?}"
    );
    let file = granted_in_capability_file();
    let run_time = granted_at_run_time();
    let mut problems = Vec::new();
    for command in &registered {
        let permission = format!("allow-{}", command.replace('_', "-"));
        match (file.contains(&permission), run_time.contains(&permission)) {
            (false, false) => problems.push(format!(
                "`{command}` is registered in lib.rs but granted nowhere: add \"{permission}\" to src-tauri/capabilities/main.json (or the demo capability in lib.rs)"
            )),
            (true, true) => problems.push(format!(
                "`{command}` is granted both in src-tauri/capabilities/main.json and at run time in lib.rs"
            )),
            _ => {}
        }
    }
    for (place, grants) in [
        ("src-tauri/capabilities/main.json", &file),
        ("the demo capability in src-tauri/src/lib.rs", &run_time),
    ] {
        for permission in grants {
            match command_of_permission(permission) {
                Some(command) if registered.contains(&command) => {}
                _ => problems.push(format!(
                    "{place} grants \"{permission}\", which names no command in generate_handler! (src-tauri/src/lib.rs)"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_ui_calls_exactly_the_registered_commands() {
    let registered = registered();
    let called = called_by_ui();
    let mut problems = Vec::new();
    for command in called.difference(&registered) {
        problems.push(format!(
            "ui/js/api.js calls `{command}`, which is not in generate_handler! (src-tauri/src/lib.rs)"
        ));
    }
    for command in registered.difference(&called) {
        problems.push(format!(
            "`{command}` is registered in src-tauri/src/lib.rs but ui/js/api.js never calls it"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_parsers_see_what_they_should() {
    assert_eq!(
        command_of_permission("allow-helpdesk-open-caller").as_deref(),
        Some("helpdesk_open_caller")
    );
    assert_eq!(command_of_permission("core:default"), None);
    assert_eq!(
        quoted_after("call('a') + call('b', { x })", "call('"),
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
}
