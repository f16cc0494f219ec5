//! When the process started, as near as the app can tell, for start-up log lines (the
//! start-up benchmark reads them).

use std::sync::OnceLock;
use std::time::Instant;

fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}

/// Marks the start: call first thing in `run`.
pub fn mark() {
    started();
}

/// Milliseconds since [`mark`].
pub fn since_start_ms() -> u64 {
    started().elapsed().as_millis() as u64
}
