//! A bare Tauri window: what any Tauri v2 app costs before it does anything.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the baseline window could not start");
}
