//! Ports for tauri-driver and WebKitWebDriver that nothing else can take in the meantime.
//!
//! Both drivers are told a port number and bind it themselves, a little later. A port found
//! free by binding port 0 comes from the kernel's ephemeral range, the same range every
//! other `bind(0)` draws from: the emulator, the helpdesk service and the app's own sign-in
//! callback listener in the tests running beside this one. One of them could take the port
//! first; the driver would then fail to bind, and the test would talk WebDriver to someone
//! else's listener (once seen in CI: "connection closed before message completed").
//!
//! So ports come from below the ephemeral range, where the kernel never hands one out, and
//! each is held by a lock file for as long as the test process lives: two tests running at
//! once never pick the same one, and a crashed test's lock goes with its process.

use std::fs::{self, File, TryLockError};
use std::net::TcpListener;

use anyhow::{bail, Context, Result};

/// The lowest port considered: above the well-known and most registered services.
const FIRST: u16 = 20_000;

/// A port kept for this test until the value is dropped (or the process ends).
pub(super) struct ReservedPort {
    pub port: u16,
    _lock: File,
}

/// The kernel's first ephemeral port (32768 unless the machine says otherwise).
fn ephemeral_start() -> u16 {
    fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

pub(super) fn reserve_port() -> Result<ReservedPort> {
    let end = ephemeral_start();
    if end <= FIRST + 100 {
        bail!("the ephemeral port range starts at {end}: no port below it to reserve");
    }
    let dir = std::env::temp_dir().join("mfa-e2e").join("ports");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let span = u32::from(end - FIRST);
    // Tests start at different points, so they rarely even try the same lock file.
    let offset = std::process::id().wrapping_mul(2_654_435_761) % span;
    for step in 0..span {
        let port = FIRST + ((offset + step) % span) as u16;
        let lock = File::create(dir.join(port.to_string()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => continue,
            Err(TryLockError::Error(error)) => return Err(error).context("locking a port file"),
        }
        // Another program on the machine may listen there already.
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(ReservedPort { port, _lock: lock });
        }
    }
    bail!("no free port between {FIRST} and {end}")
}
