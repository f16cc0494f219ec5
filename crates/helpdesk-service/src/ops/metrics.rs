//! Prometheus metrics (`GET /metrics`): requests and their latency per route, Management API
//! calls and their rate-limit answers, and audit rows written.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    management_calls: Family<Labels, Counter>,
    management_rate_limited: Counter,
    audit_rows: Family<Labels, Counter>,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms to about 4 s.
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.0005, 2.0, 14,
    ))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("helpdesk");
        let requests = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let management_calls = Family::<Labels, Counter>::default();
        let management_rate_limited = Counter::default();
        let audit_rows = Family::<Labels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by route",
            latency.clone(),
        );
        registry.register(
            "management_calls",
            "Management API calls by operation and outcome",
            management_calls.clone(),
        );
        registry.register(
            "management_rate_limited",
            "Management API calls answered 429 (after the one retry for reads and deletions)",
            management_rate_limited.clone(),
        );
        registry.register(
            "audit_rows",
            "Audit rows written, by kind",
            audit_rows.clone(),
        );
        Self {
            registry: Mutex::new(registry),
            requests,
            latency,
            management_calls,
            management_rate_limited,
            audit_rows,
        }
    }
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
        self.latency
            .get_or_create(&vec![("route", route.to_owned())])
            .observe(elapsed.as_secs_f64());
    }

    pub fn management_call(&self, operation: &str, outcome: &str, rate_limited: bool) {
        self.management_calls
            .get_or_create(&vec![
                ("operation", operation.to_owned()),
                ("outcome", outcome.to_owned()),
            ])
            .inc();
        if rate_limited {
            self.management_rate_limited.inc();
        }
    }

    pub fn audit_row(&self, kind: &str) {
        self.audit_rows
            .get_or_create(&vec![("kind", kind.to_owned())])
            .inc();
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        let registry = self.registry.lock().expect("metrics registry");
        encode(&mut text, &registry).expect("writing to a String");
        text
    }
}
