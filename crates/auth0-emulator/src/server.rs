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

use crate::control_api::RequestRecord;
use crate::faults::{self, Fault, FaultKind};
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

/// Counts and logs the request, applies any matching fault, and runs the
/// router. Control requests (`/__emulator/*`) are neither counted, logged
/// nor faulted.
async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response, DroppedByFault> {
    let path = req.uri().path().to_string();
    if path == "/__emulator" || path.starts_with("/__emulator/") {
        return Ok(route(router, req).await);
    }
    let mut record = RequestRecord {
        method: req.method().as_str().to_string(),
        path: path.clone(),
        query: req.uri().query().map(str::to_string),
        correlation_id: req
            .headers()
            .get("x-correlation-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        status: None,
        at: 0,
    };
    let fault = {
        let mut st = shared.lock();
        record.at = st.clock.now_secs();
        *st.requests.entry(stats_key(&path)).or_insert(0) += 1;
        st.faults.take(&record.method, &path)
    };
    let result = match fault {
        Some(f) => with_fault(&shared, router, req, f).await,
        None => Ok(route(router, req).await),
    };
    record.status = result.as_ref().ok().map(|r| r.status().as_u16());
    let mut st = shared.lock();
    let wrote = record.method != "GET" && record.status.is_some_and(|s| (200..300).contains(&s));
    if wrote && path.starts_with("/api/v2/") {
        st.log_management_write(&record.method, &path, record.status.unwrap_or_default());
    }
    st.log_request(record);
    drop(st);
    result
}

/// The stats key of a path: ids become `{id}` so one endpoint is one key
/// (`/api/v2/users/{id}/authentication-methods/{id}`).
fn stats_key(path: &str) -> String {
    if path.starts_with("/mfa/authenticators/") {
        return "/mfa/authenticators/{id}".to_string();
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 4 && parts[1..4] == ["api", "v2", "users"] {
        parts[4] = "{id}";
        if parts.len() > 6 && parts[5] == "authentication-methods" {
            parts[6] = "{id}";
        }
        return parts.join("/");
    }
    path.to_string()
}

/// Runs the router and gives `/mfa/*` answers the content type Auth0 sends.
async fn route(router: Router, req: Request<Incoming>) -> Response {
    let path = req.uri().path().to_string();
    let result: Result<Response, Infallible> = router.oneshot(req.map(Body::new)).await;
    let mut resp = match result {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if path.starts_with("/mfa/") || path.starts_with("/api/v2/") {
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
    resp
}

/// Answers in the fault's way, before or after the real handler ran.
async fn with_fault(
    shared: &Shared,
    router: Router,
    req: Request<Incoming>,
    f: Fault,
) -> Result<Response, DroppedByFault> {
    let management = req.uri().path().starts_with("/api/v2/");
    match f.kind {
        FaultKind::Drop if !f.after_handling => return Err(DroppedByFault),
        FaultKind::Malformed if !f.after_handling => return Ok(faults::malformed_response(None)),
        FaultKind::Status => return Ok(faults::status_response(&f, management)),
        FaultKind::RateLimit => {
            let st = shared.lock();
            let retry_after = st.tenant.settings.send_retry_after;
            let now = st.clock.now_secs();
            return Ok(faults::rate_limited_response(now, retry_after, management));
        }
        FaultKind::Delay => tokio::time::sleep(Duration::from_millis(f.delay_ms)).await,
        FaultKind::Drop | FaultKind::Malformed => {}
    }
    let resp = route(router, req).await;
    match f.kind {
        // The handler ran (state changed); the client never hears about it.
        FaultKind::Drop => Err(DroppedByFault),
        FaultKind::Malformed => {
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            Ok(faults::malformed_response(Some(&bytes)))
        }
        _ => Ok(resp),
    }
}

#[cfg(test)]
mod tests {
    use super::stats_key;

    #[test]
    fn ids_collapse() {
        assert_eq!(
            stats_key("/api/v2/users/auth0%7C1/authentication-methods/totp%7Cdev_x"),
            "/api/v2/users/{id}/authentication-methods/{id}"
        );
        assert_eq!(
            stats_key("/api/v2/users/auth0|1/recovery-code-regeneration"),
            "/api/v2/users/{id}/recovery-code-regeneration"
        );
        assert_eq!(
            stats_key("/api/v2/users-by-email"),
            "/api/v2/users-by-email"
        );
        assert_eq!(
            stats_key("/mfa/authenticators/sms%7C1"),
            "/mfa/authenticators/{id}"
        );
    }
}
