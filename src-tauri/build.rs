//! Builds the Tauri context. Our own commands are listed in the app manifest so that the
//! capability files can grant them per window (an unlisted command would skip the ACL check).
//! The list is read from `generate_handler!` in src-tauri/src/lib.rs, the one place commands
//! are named; `tests/command_list.rs` checks that the capabilities and `ui/js/api.js` agree.
//! Capabilities live under src-tauri/ although the package sits at the repository root.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/lib.rs");
    println!("cargo:rerun-if-changed=ui");
    let lib = std::fs::read_to_string("src-tauri/src/lib.rs").expect("src-tauri/src/lib.rs");
    let commands = registered_commands(&lib);
    assert!(
        !commands.is_empty(),
        "no commands found in generate_handler! (src-tauri/src/lib.rs)"
    );
    let commands: &'static [&'static str] = Vec::leak(
        commands
            .into_iter()
            .map(|name| &*String::leak(name))
            .collect(),
    );
    let manifest = tauri_build::AppManifest::new().commands(commands);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("tauri build step failed");
    startup_order();
}

/// Release builds on x86_64 Linux place the functions a start-up runs together
/// (scripts/startup-order wrote their list): each page of code touched makes its neighbours
/// resident too (64 KiB or more), so scattered start-up code made nearly all of it resident.
/// Only there is the linker LLD (Rust's default for that target), which reads such a list;
/// a build that links otherwise sets MFA_DESK_NO_STARTUP_ORDER.
fn startup_order() {
    println!("cargo:rerun-if-changed=src-tauri/startup-order.txt");
    println!("cargo:rerun-if-env-changed=MFA_DESK_NO_STARTUP_ORDER");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let lld_target = std::env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu");
    let order = std::path::Path::new("src-tauri/startup-order.txt");
    if release
        && lld_target
        && order.is_file()
        && std::env::var_os("MFA_DESK_NO_STARTUP_ORDER").is_none()
    {
        let order = order.canonicalize().expect("the order file's path");
        println!(
            "cargo:rustc-link-arg-bin=mfa-desk=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        // The list names functions as a build once had them; one gone is no error.
        println!("cargo:rustc-link-arg-bin=mfa-desk=-Wl,--no-warn-symbol-ordering");
    }
}

/// The command names in `generate_handler![module::name, …]`: the last path segment of each.
fn registered_commands(lib: &str) -> Vec<String> {
    let Some(start) = lib.find("generate_handler![") else {
        return Vec::new();
    };
    let rest = &lib[start + "generate_handler![".len()..];
    let end = rest.find(']').unwrap_or(rest.len());
    rest[..end]
        .split(',')
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .map(|entry| entry.rsplit("::").next().unwrap_or(entry).to_owned())
        .collect()
}
