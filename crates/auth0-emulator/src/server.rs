//! The accept loop. It is hand-written rather than `axum::serve` for two
//! reasons: `/__emulator/stats` reports accepted connections, and the `drop`
//! fault must close a connection without answering, which hyper does when
//! the service returns an error.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt as _;

use crate::faults::{self, FaultKind};
use crate::state::Shared;

/// Returned from the service to make hyper close the connection unanswered.
#[derive(Debug)]
pub struct DroppedByFault;

impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedByFault {}

/// Accepts until `shutdown` fires (or its sender is dropped); open
/// connections are closed at the same moment.
pub async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: watch::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Usually EMFILE; back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        shared.connections_accepted.fetch_add(1, Ordering::Relaxed);
        let shared = shared.clone();
        let router = router.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |req| handle(shared.clone(), router.clone(), req));
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// Counts the request, applies any matching fault, and runs the router.
async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response, DroppedByFault> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let control = path == "/__emulator" || path.starts_with("/__emulator/");
    let fault = if control {
        None
    } else {
        let mut st = shared.lock();
        let key = if path.starts_with("/mfa/authenticators/") {
            "/mfa/authenticators/{id}".to_string()
        } else {
            path.clone()
        };
        *st.requests.entry(key).or_insert(0) += 1;
        st.faults.take(&method, &path)
    };

    let mut after = None;
    if let Some(f) = fault {
        match f.kind {
            FaultKind::Drop if !f.after_handling => return Err(DroppedByFault),
            FaultKind::Malformed if !f.after_handling => {
                return Ok(faults::malformed_response(None))
            }
            FaultKind::Status => return Ok(faults::status_response(&f)),
            FaultKind::RateLimit => {
                let st = shared.lock();
                let retry_after = st.tenant.settings.send_retry_after;
                return Ok(faults::rate_limited_response(
                    st.clock.now_secs(),
                    retry_after,
                ));
            }
            FaultKind::Delay => tokio::time::sleep(Duration::from_millis(f.delay_ms)).await,
            FaultKind::Drop | FaultKind::Malformed => after = Some(f.kind),
        }
    }

    let result: Result<Response, Infallible> = router.oneshot(req.map(Body::new)).await;
    let mut resp = match result {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if path.starts_with("/mfa/") {
        // Recorded Auth0 traffic: /mfa/* says charset, /oauth/token does not.
        let is_plain_json = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v == "application/json");
        if is_plain_json {
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
    }
    match after {
        // The handler ran (state changed); the client never hears about it.
        Some(FaultKind::Drop) => Err(DroppedByFault),
        Some(_) => {
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            Ok(faults::malformed_response(Some(&bytes)))
        }
        None => Ok(resp),
    }
}
