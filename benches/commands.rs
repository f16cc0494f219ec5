//! The command round trip for the commands that never touch the network (`app_state`,
//! `normalize_phone`), under Tauri's mock runtime: from the webview's invoke to its answer,
//! argument and answer serialisation included. Each should answer in well under a
//! millisecond; the first `app_state` of a run also reads the keyring once, and is shown apart.
//!
//! `cargo bench --bench commands` prints the first call, p50, p95 and the slowest call per
//! command. The app gets an in-memory secret store; with `BENCH_KEYRING=1` it opens the OS
//! keyring as the installed app does (run it inside a D-Bus session with a Secret Service).

use std::time::{Duration, Instant};

use mfa_core::secret_store::MemoryStore;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

const WARM_UP: usize = 100;
const RUNS: usize = 5_000;

fn main() {
    // A configured tenant over HTTPS: nothing here connects to it.
    let launch = Launch::Tenant {
        url: "https://acme.example".into(),
        client_id: "mfa-desk-bench".into(),
        realm: None,
    };
    let with_keyring = std::env::var_os("BENCH_KEYRING").is_some();
    let state = tauri::async_runtime::block_on(async {
        if with_keyring {
            mfa_desk::prepare_state(launch).await
        } else {
            mfa_desk::prepare_state_with(launch, Box::new(MemoryStore::default()), None).await
        }
    });
    let app = mfa_desk::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the mock app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the mock window opens");

    println!(
        "{RUNS} calls per command after {WARM_UP} warm-up calls; secret store: {}\n",
        if with_keyring {
            "OS keyring"
        } else {
            "in memory"
        }
    );
    println!(
        "{:<34} {:>12} {:>10} {:>10} {:>10}",
        "command", "first call", "p50", "p95", "max"
    );
    let cases = [
        ("app_state", "app_state", json!({})),
        (
            "normalize_phone (accepted)",
            "normalize_phone",
            json!({"country": "FR", "number": "06 12 34 56 78"}),
        ),
        (
            "normalize_phone (premium rate)",
            "normalize_phone",
            json!({"country": "FR", "number": "08 99 12 34 56"}),
        ),
        (
            "normalize_phone (extra text)",
            "normalize_phone",
            json!({"country": "US", "number": "(201) 555-0123 ext. 12"}),
        ),
    ];
    for (label, command, args) in cases {
        let first = call(&webview, command, &args);
        for _ in 0..WARM_UP {
            call(&webview, command, &args);
        }
        let mut samples: Vec<Duration> =
            (0..RUNS).map(|_| call(&webview, command, &args)).collect();
        samples.sort();
        println!(
            "{label:<34} {first:>12.2?} {:>10.2?} {:>10.2?} {:>10.2?}",
            samples[RUNS / 2],
            samples[RUNS * 95 / 100],
            samples[RUNS - 1],
        );
    }
}

/// One invoke as the webview sends it, timed to its answer (a refusal is an answer too).
fn call(webview: &WebviewWindow<MockRuntime>, command: &str, args: &Value) -> Duration {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(args.clone()),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    let started = Instant::now();
    let answer = tauri::test::get_ipc_response(webview, request);
    // Reading the answer back is part of the round trip the webview sees.
    std::hint::black_box(answer.map(|body| body.deserialize::<Value>().ok()).ok());
    started.elapsed()
}
