//! How long each request waited on Auth0: every call to the tenant is wrapped in
//! [`upstream`], and the time during which at least one was in flight is added up per
//! request (overlapping calls count once). The answer carries it as
//! `Server-Timing: auth0;dur=…, total;dur=…`, which is how the benchmark separates the
//! service's own latency from the tenant's, and how an operator sees where time went.

use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Upstream {
    in_flight: u32,
    since: Option<Instant>,
    total: Duration,
}

tokio::task_local! {
    static UPSTREAM: RefCell<Upstream>;
}

/// Runs a request with a fresh account; returns its output and the time spent on Auth0.
pub async fn measured<F: Future>(request: F) -> (F::Output, Duration) {
    UPSTREAM
        .scope(RefCell::new(Upstream::default()), async {
            let output = request.await;
            let total = UPSTREAM.with(|u| u.borrow().total);
            (output, total)
        })
        .await
}

fn enter() {
    let _ = UPSTREAM.try_with(|u| {
        let mut u = u.borrow_mut();
        if u.in_flight == 0 {
            u.since = Some(Instant::now());
        }
        u.in_flight += 1;
    });
}

fn leave() {
    let _ = UPSTREAM.try_with(|u| {
        let mut u = u.borrow_mut();
        u.in_flight = u.in_flight.saturating_sub(1);
        if u.in_flight == 0 {
            if let Some(since) = u.since.take() {
                u.total += since.elapsed();
            }
        }
    });
}

/// Counts the time `call` (a request to the tenant) is in flight.
pub async fn upstream<F: Future>(call: F) -> F::Output {
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            leave();
        }
    }
    enter();
    let _guard = Guard;
    call.await
}
