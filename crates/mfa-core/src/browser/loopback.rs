//! The loopback redirect of RFC 8252 §7.3: a listener on `127.0.0.1` (the IP literal, not
//! `localhost`, which may resolve elsewhere), on a random free port unless IT fixed one, that
//! waits for the one callback carrying this sign-in's `state`.
//!
//! **A callback with another `state` is refused and the wait goes on.** RFC 6749 §10.12 makes
//! the client reject such a response; it does not have to end the sign-in. Any local program
//! and any web page (by a blind request to a guessed or configured port) can reach the
//! listener, so letting a forged request end the wait would let it abort the person's sign-in;
//! a stale tab of an earlier attempt (same fixed port) would do the same by accident. The
//! browser that sent it gets a page saying so, and the caller hears of it
//! ([`Callback::Foreign`]) so it can tell the person, while the real callback can still arrive.
//! A callback with the right `state` ends the wait whatever it says, and the listener closes
//! with the sign-in (RFC 8252 §8.3: open only for the response).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::browser::page::{CallbackTexts, PageKind};
use crate::error::BrowserError;
use crate::oauth::OAuthState;
use crate::secret::{secret, AuthorizationCode};

/// The redirect path the tenant's allowed callback URL names.
pub const CALLBACK_PATH: &str = "/callback";

/// A browser that opened a connection but sends nothing is dropped after this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What `/authorize` sent back, once the `state` matched.
#[derive(Debug)]
pub enum Callback {
    /// The authorization code, to redeem once with the PKCE verifier.
    Code(AuthorizationCode),
    /// A request for another sign-in (wrong or missing `state`) was refused; waiting again
    /// may still bring the right one.
    Foreign,
}

/// A bound loopback listener for one sign-in, closed when dropped.
#[derive(Debug)]
pub struct Loopback {
    listener: TcpListener,
    port: u16,
    judge: Arc<Judge>,
    /// Verdicts of connections served so far, kept across waits: a callback that arrives
    /// while the caller is busy with a refused one is not lost.
    verdicts: mpsc::UnboundedSender<Verdict>,
    received: mpsc::UnboundedReceiver<Verdict>,
}

impl Loopback {
    /// Listens on `127.0.0.1:port`, or on a port the system picks, for the callback carrying
    /// `state`; every browser that asks gets a page from `texts`. An `access_denied` whose
    /// description is exactly `switching_on` gets the "continuing in a new tab" page: the
    /// caller starts another sign-in on that answer.
    pub async fn bind(
        port: Option<u16>,
        state: OAuthState,
        texts: CallbackTexts,
        switching_on: Option<String>,
    ) -> Result<Self, BrowserError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port.unwrap_or(0)));
        let listener = TcpListener::bind(address).await.map_err(|e| match port {
            Some(port) if e.kind() == std::io::ErrorKind::AddrInUse => {
                BrowserError::PortUnavailable { port }
            }
            _ => BrowserError::Listener(e.to_string()),
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| BrowserError::Listener(e.to_string()))?
            .port();
        let (verdicts, received) = mpsc::unbounded_channel();
        let judge = Arc::new(Judge {
            state,
            texts,
            switching_on,
            port,
            decided: AtomicBool::new(false),
            foreign_unreported: AtomicBool::new(false),
        });
        Ok(Self {
            listener,
            port,
            judge,
            verdicts,
            received,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Answers requests until one carries the `state` (see the module's notes for other
    /// ones), `until` passes, or `cancel` fires.
    pub async fn next_callback(
        &mut self,
        until: Instant,
        cancel: &CancellationToken,
    ) -> Result<Callback, BrowserError> {
        loop {
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(BrowserError::Cancelled),
                Some(outcome) = self.received.recv() => {
                    if matches!(outcome, Ok(Callback::Foreign)) {
                        self.judge.foreign_unreported.store(false, Ordering::SeqCst);
                    }
                    return outcome;
                }
                () = tokio::time::sleep_until(until) => return Err(BrowserError::TimedOut),
                accepted = self.listener.accept() => {
                    // A failed accept (a connection reset before it was taken) ends nothing.
                    let Ok((stream, _peer)) = accepted else { continue };
                    tokio::spawn(serve(stream, self.judge.clone(), self.verdicts.clone()));
                }
            }
        }
    }
}

/// Decides what each request is, answers it, and reports the callback that ends the wait.
#[derive(Debug)]
struct Judge {
    state: OAuthState,
    texts: CallbackTexts,
    /// The `error_description` on which the sign-in goes on in a new tab.
    switching_on: Option<String>,
    port: u16,
    /// Only the first callback with the right state counts.
    decided: AtomicBool,
    /// A refused callback is reported once until the caller has heard of it, so a flood of
    /// forged requests queues one report, not thousands.
    foreign_unreported: AtomicBool,
}

type Verdict = Result<Callback, BrowserError>;

/// One connection, one request (no keep-alive), then the connection closes. The response is
/// written even when the wait has already ended, so the browser is never left hanging.
async fn serve(
    stream: tokio::net::TcpStream,
    judge: Arc<Judge>,
    verdicts: mpsc::UnboundedSender<Verdict>,
) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let (page, verdict) = judge.judge(&request);
        if let Some(verdict) = verdict {
            let foreign = matches!(verdict, Ok(Callback::Foreign));
            if !foreign || !judge.foreign_unreported.swap(true, Ordering::SeqCst) {
                // The listener may be gone (the sign-in ended): then nobody needs it.
                let _ = verdicts.send(verdict);
            }
        }
        async move { Ok::<_, Infallible>(page) }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .timer(TokioTimer::new())
        .header_read_timeout(REQUEST_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(REQUEST_TIMEOUT * 2, connection).await;
}

impl Judge {
    fn judge(&self, request: &Request<Incoming>) -> (Response<Full<Bytes>>, Option<Verdict>) {
        if !self.addressed_to_us(request) {
            return (plain(StatusCode::MISDIRECTED_REQUEST), None);
        }
        if request.uri().path() != CALLBACK_PATH {
            // A favicon, a probe: nothing to do with the sign-in.
            return (plain(StatusCode::NOT_FOUND), None);
        }
        if request.method() != Method::GET {
            return (plain(StatusCode::METHOD_NOT_ALLOWED), None);
        }
        let query = CallbackQuery::parse(request.uri().query().unwrap_or_default());
        let ours = query
            .state
            .as_deref()
            .is_some_and(|s| self.state.matches(s));
        if !ours || self.decided.swap(true, Ordering::SeqCst) {
            return (
                self.page(StatusCode::BAD_REQUEST, PageKind::Foreign),
                Some(Ok(Callback::Foreign)),
            );
        }
        match (query.code, query.error) {
            (_, Some(error)) => {
                let description = query.error_description.unwrap_or_default();
                let switching = error == "access_denied"
                    && self.switching_on.as_deref() == Some(description.as_str());
                let failure = if error == "access_denied" {
                    BrowserError::Denied { description }
                } else {
                    BrowserError::Refused { error, description }
                };
                let page = if switching {
                    PageKind::Switching
                } else {
                    PageKind::Failed
                };
                (self.page(StatusCode::OK, page), Some(Err(failure)))
            }
            (Some(code), None) if !code.is_empty() => (
                self.page(StatusCode::OK, PageKind::Done),
                Some(Ok(Callback::Code(secret(code)))),
            ),
            _ => (
                self.page(StatusCode::BAD_REQUEST, PageKind::Failed),
                Some(Err(BrowserError::Refused {
                    error: "missing_code".into(),
                    description: "the callback carried neither a code nor an error".into(),
                })),
            ),
        }
    }

    /// A `Host` naming another site is a DNS-rebinding page talking to the listener.
    fn addressed_to_us(&self, request: &Request<Incoming>) -> bool {
        let Some(host) = request.headers().get(header::HOST) else {
            return true;
        };
        let host = host.to_str().unwrap_or_default();
        [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ]
        .iter()
        .any(|ours| host.eq_ignore_ascii_case(ours))
    }

    fn page(&self, status: StatusCode, kind: PageKind) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(Bytes::from(self.texts.render(kind))));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // No script, no outside resource, no framing, and nothing kept or forwarded: the
        // address bar still shows the code until the tab closes.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        response
    }
}

fn plain(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

/// The callback's parameters (RFC 6749 §4.1.2 and §4.1.2.1).
#[derive(Default)]
struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl CallbackQuery {
    fn parse(query: &str) -> Self {
        let mut parsed = Self::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "state" => &mut parsed.state,
                "code" => &mut parsed.code,
                "error" => &mut parsed.error,
                "error_description" => &mut parsed.error_description,
                _ => continue,
            };
            // A repeated parameter is ambiguous: the first one counts, as most servers do.
            slot.get_or_insert_with(|| value.into_owned());
        }
        parsed
    }
}
