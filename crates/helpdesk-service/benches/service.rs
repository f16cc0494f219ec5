//! The service under a helpdesk's load: 50 simulated agents, each starting a find → open →
//! verify → act flow every second, against the service (its own process, the bench build of
//! the binary) and the local Auth0 (in this process), with the audit durable (each intent
//! committed before its Management API call). For SQLite, then PostgreSQL when
//! `MFA_DESK_TEST_POSTGRES_URL` names a cluster (scripts/postgres-test-cluster). Prints:
//!
//! - the service's own added latency per request, p50/p95/p99: the client's total minus the
//!   time the service spent waiting on the local Auth0 (its `Server-Timing: auth0` header);
//! - the highest sustained rate of flows (stepping up) before that p99 passes 50 ms;
//! - the service's memory (VmRSS and peak VmHWM);
//! - audit rows written against actions taken (exactly one intent and one outcome each).
//!
//! Not a timed test: numbers depend on the machine; README records what this one printed.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use auth0_emulator::{demo, BucketSpec, Tenant};
use helpdesk_service::store::Store;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};
use tokio::sync::Mutex;

const AGENTS: usize = 50;
const STEADY_SECS: u64 = 10;
const STEP_SECS: u64 = 5;
const P99_LIMIT_MS: f64 = 50.0;
const CALLERS: &[(&str, &str)] = &[
    (demo::ENROLLED, demo::ENROLLED_USER_ID),
    (demo::PUSH_USER, demo::PUSH_USER_USER_ID),
    (demo::ONLY_RECOVERY, demo::ONLY_RECOVERY_USER_ID),
    (demo::PHONE_ONLY, demo::PHONE_ONLY_USER_ID),
    (demo::NEW_HIRE, demo::NEW_HIRE_USER_ID),
];

#[derive(Default)]
struct Samples {
    /// Service-added milliseconds per request.
    added: Vec<f64>,
    actions: u64,
    errors: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
        run("SQLite", &sqlite).await;
        match std::env::var("MFA_DESK_TEST_POSTGRES_URL") {
            Ok(admin) => {
                let url = fresh_postgres(&admin).await;
                run("PostgreSQL", &url).await;
            }
            Err(_) => println!("PostgreSQL: skipped (MFA_DESK_TEST_POSTGRES_URL is not set)"),
        }
    });
}

async fn fresh_postgres(admin: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!("helpdesk_bench_{:08x}", rand::random::<u32>());
    let mut conn = sqlx::AnyConnection::connect(admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

struct ServiceProcess {
    child: Child,
    base: String,
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServiceProcess {
    fn memory(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .map(|l| l[name.len()..].trim().to_owned())
                .unwrap_or_else(|| "?".into())
        };
        format!("VmRSS {}, peak VmHWM {}", field("VmRSS:"), field("VmHWM:"))
    }
}

async fn start_service(tenant_url: &str, db_url: &str) -> ServiceProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_mfa-desk-helpdesk"))
        .env_clear()
        .env("MFA_DESK_HELPDESK_AUTH0__TENANT_URL", tenant_url)
        .env(
            "MFA_DESK_HELPDESK_AUTH0__CLIENT_ID",
            demo::HELPDESK_SERVICE_CLIENT_ID,
        )
        .env(
            "MFA_DESK_HELPDESK_CLIENT_SECRET",
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
        )
        .env("MFA_DESK_HELPDESK_STORAGE__URL", db_url)
        .env("MFA_DESK_HELPDESK_STORAGE__MAX_CONNECTIONS", "16")
        .env(
            "MFA_DESK_HELPDESK_LISTEN__ADDRESS",
            format!("127.0.0.1:{port}"),
        )
        // One token stands for all 50 simulated agents: lift the per-agent limit.
        .env("MFA_DESK_HELPDESK_AGENTS__REQUESTS_PER_MINUTE", "10000000")
        .env("MFA_DESK_HELPDESK_LOG__LEVEL", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the service starts");
    let service = ServiceProcess {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = http.get(format!("{}/readyz", service.base)).send().await {
            if r.status().is_success() {
                return service;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the service did not become ready");
}

async fn agent_token(base: &str) -> String {
    let http = reqwest::Client::new();
    let control = auth0_emulator::client::ControlClient::new(base);
    let first: Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", demo::HELPDESK_AGENT),
            ("password", demo::PASSWORD),
            ("audience", demo::HELPDESK_API),
            ("scope", "openid helpdesk:read helpdesk:act"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let now = control.advance_clock(30).await.unwrap();
    let otp = auth0_emulator::totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
    let body: Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "http://auth0.com/oauth/grant-type/mfa-otp"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", first["mfa_token"].as_str().unwrap()),
            ("otp", &otp),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// One request; records the service-added time; the JSON answer.
async fn timed(samples: &Mutex<Samples>, request: reqwest::RequestBuilder) -> Option<Value> {
    let started = Instant::now();
    let response = request.send().await.ok()?;
    let auth0_ms = response
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().strip_prefix("auth0;dur="))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let ok = response.status().is_success();
    let body = response.json::<Value>().await.ok();
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut s = samples.lock().await;
    s.added.push((total_ms - auth0_ms).max(0.0));
    if !ok {
        s.errors += 1;
        return None;
    }
    body
}

async fn flow(http: &reqwest::Client, base: &str, token: &str, n: usize, samples: &Mutex<Samples>) {
    let (email, user_id) = CALLERS[n % CALLERS.len()];
    let user = user_id.replace('|', "%7C");
    let found = timed(
        samples,
        http.get(format!("{base}/v1/callers?email={email}"))
            .bearer_auth(token),
    )
    .await;
    if found.is_none() {
        return;
    }
    if timed(
        samples,
        http.get(format!("{base}/v1/callers/{user}"))
            .bearer_auth(token),
    )
    .await
    .is_none()
    {
        return;
    }
    let verification = timed(
        samples,
        http.post(format!("{base}/v1/callers/{user}/verifications"))
            .bearer_auth(token)
            .header(
                "Idempotency-Key",
                format!("v-{n}-{}", rand::random::<u64>()),
            )
            .json(&json!({"method": "callback_directory_number", "reason": "benchmark"})),
    )
    .await;
    let Some(id) = verification.and_then(|v| v["id"].as_str().map(str::to_owned)) else {
        return;
    };
    let done = timed(
        samples,
        http.post(format!("{base}/v1/callers/{user}/actions"))
            .bearer_auth(token)
            .header(
                "Idempotency-Key",
                format!("a-{n}-{}", rand::random::<u64>()),
            )
            .json(&json!({"action": "forget_browsers", "verification_id": id})),
    )
    .await;
    if done.is_some() {
        samples.lock().await.actions += 1;
    }
}

/// `AGENTS` agents together starting `rate` flows a second for `secs` seconds.
async fn load(base: &str, token: &str, rate: f64, secs: u64) -> Samples {
    let samples = Arc::new(Mutex::new(Samples::default()));
    let http = reqwest::Client::new();
    let period = Duration::from_secs_f64(AGENTS as f64 / rate);
    let mut agents = Vec::new();
    for agent in 0..AGENTS {
        let (samples, http, base, token) = (
            samples.clone(),
            http.clone(),
            base.to_owned(),
            token.to_owned(),
        );
        agents.push(tokio::spawn(async move {
            // Spread the agents' starts over one period.
            tokio::time::sleep(period.mul_f64(agent as f64 / AGENTS as f64)).await;
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let end = Instant::now() + Duration::from_secs(secs);
            let mut n = agent;
            while Instant::now() < end {
                tick.tick().await;
                // Each flow on its own task: a slow flow does not hold back the agent's rate.
                let (samples, http, base, token) =
                    (samples.clone(), http.clone(), base.clone(), token.clone());
                tokio::spawn(async move { flow(&http, &base, &token, n, &samples).await });
                n += AGENTS;
            }
        }));
    }
    for agent in agents {
        agent.await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // let the last flows finish
    let mut s = std::mem::take(&mut *samples.lock().await);
    s.added.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s
}

async fn run(name: &str, db_url: &str) {
    let mut tenant = Tenant::demo();
    // The bench measures the service, not the tenant's Management API budget.
    tenant.settings.management_api_bucket = BucketSpec {
        capacity: 100_000_000,
        refill_every_secs: 1,
    };
    let auth0 = auth0_emulator::start("127.0.0.1:0".parse().unwrap(), tenant)
        .await
        .unwrap();
    let service = start_service(&auth0.base_url(), db_url).await;
    let token = agent_token(&auth0.base_url()).await;
    // Warm up: the Management token, the JWKS, the connection pools.
    let warm = load(&service.base, &token, AGENTS as f64, 2).await;

    let steady = load(&service.base, &token, AGENTS as f64, STEADY_SECS).await;
    println!(
        "{name}: {AGENTS} agents, {AGENTS} flows/s for {STEADY_SECS} s: {} requests, {} errors; \
         service-added latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        steady.added.len(),
        steady.errors,
        percentile(&steady.added, 50.0),
        percentile(&steady.added, 95.0),
        percentile(&steady.added, 99.0)
    );
    let mut best = None;
    let mut actions = warm.actions + steady.actions;
    for rate in [100.0, 150.0, 200.0, 300.0, 400.0, 600.0] {
        let step = load(&service.base, &token, rate, STEP_SECS).await;
        actions += step.actions;
        let p99 = percentile(&step.added, 99.0);
        println!(
            "{name}:   {rate:>4} flows/s: p99 {p99:.2} ms ({} requests, {} errors)",
            step.added.len(),
            step.errors
        );
        if p99 > P99_LIMIT_MS || step.errors > 0 {
            break;
        }
        best = Some(rate);
    }
    match best {
        Some(rate) => {
            println!("{name}: highest sustained rate with p99 ≤ {P99_LIMIT_MS} ms: {rate} flows/s")
        }
        None => println!(
            "{name}: p99 passed {P99_LIMIT_MS} ms already at the first step above 50 flows/s"
        ),
    }
    println!("{name}: service memory: {}", service.memory());
    drop(service);

    let store = Store::open(db_url, 1).await.unwrap();
    let count = |kind: &'static str| {
        let store = store.clone();
        async move {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit WHERE kind = $1 AND action = 'forget_browsers'",
            )
            .bind(kind)
            .fetch_one(store.pool())
            .await
            .unwrap();
            n
        }
    };
    let (intents, outcomes) = (count("intent").await, count("outcome").await);
    let intact = helpdesk_service::store::audit::verify(&store)
        .await
        .unwrap();
    println!(
        "{name}: actions taken: {actions}; audit: {intents} intents, {outcomes} outcomes \
         (exactly one of each per action: {}); chain {}",
        if intents == outcomes && outcomes == actions as i64 {
            "yes"
        } else {
            "NO"
        },
        match intact {
            Ok(rows) => format!("intact ({rows} rows)"),
            Err(broken) => format!("BROKEN at {broken}"),
        }
    );
    store.close().await;
}
