//! Each MFA flow against the local Auth0, measured: HTTP requests the flow makes, how many
//! of the sessions (sign-in included) opened more than one TCP connection, and the
//! client-side time of the flow (median and 95th percentile over many runs, each with a
//! fresh user). A second connection comes from hyper-util's pool: a request that finds no
//! idle connection starts a new one at once and races it against the previous answer's
//! connection coming back (hyperium/hyper#4134); on loopback the new one often wins.
//!
//! Run with `cargo bench --bench flows` (release build; the emulator runs in-process).

#[path = "../tests/support/mod.rs"]
mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use mfa_core::audit::AuditLog;
use mfa_core::client::{SignInOutcome, Timeouts};
use mfa_core::flow::{EnrollRequest, MfaSession, PushStatus};
use mfa_core::helpdesk::{self, AgentIdentity, CallerVerification, HelpdeskAction};
use mfa_core::input::PhoneNumber;
use mfa_core::input::{Email, OtpCode};
use mfa_core::management::{ManagementClient, MethodId, MethodType, User, UserId};
use mfa_core::model::FactorKind;
use mfa_core::secret::ExposeSecret;
use mfa_core::secret::{secret, ClientSecret};
use mfa_core::settings::{Agent, HelpdeskMode};
use mfa_core::Auth0Client;
use support::{Auth0, PASSWORD};

const RUNS: usize = 40;

struct Measured {
    requests: u64,
    connections: u64,
    elapsed: Duration,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let auth0 = Auth0::start().await;
    println!("{RUNS} runs per flow, each with a fresh user. \">1 conn.\": sessions (sign-in included) that");
    println!(
        "opened more than one connection. Client time covers the flow alone, including the one"
    );
    println!("control call that reads a code from the outbox or the clock where a person would type it.\n");
    println!(
        "{:<36} {:>9} {:>12} {:>12} {:>12}",
        "flow", "requests", ">1 conn.", "median", "p95"
    );
    for (name, flow) in flows() {
        let mut samples = Vec::with_capacity(RUNS);
        let mut requests = std::collections::BTreeSet::new();
        let mut more_than_one_connection = 0;
        for _ in 0..RUNS {
            let measured = flow(&auth0).await;
            requests.insert(measured.requests);
            if measured.connections > 1 {
                more_than_one_connection += 1;
            }
            samples.push(measured.elapsed);
        }
        samples.sort();
        let median = samples[RUNS / 2];
        let p95 = samples[RUNS * 95 / 100];
        let requests: Vec<String> = requests.iter().map(u64::to_string).collect();
        println!(
            "{name:<36} {:>9} {:>12} {:>12.2?} {:>12.2?}",
            requests.join("/"),
            format!("{more_than_one_connection}/{RUNS}"),
            median,
            p95
        );
    }
}

type Flow = for<'a> fn(&'a Auth0) -> std::pin::Pin<Box<dyn Future<Output = Measured> + 'a>>;

fn flows() -> Vec<(&'static str, Flow)> {
    vec![
        ("sign in (mfa_required + list)", |a| Box::pin(sign_in(a))),
        ("enroll authenticator app", |a| Box::pin(enroll_otp(a))),
        ("enroll SMS", |a| Box::pin(enroll_sms(a))),
        ("enroll push (approved at once)", |a| {
            Box::pin(enroll_push(a))
        }),
        ("verify authenticator app", |a| {
            Box::pin(verify(a, FactorKind::Otp))
        }),
        ("verify SMS (authenticator id known)", |a| {
            Box::pin(verify(a, FactorKind::Sms))
        }),
        ("recover with recovery code", |a| Box::pin(recover(a))),
        ("remove an authenticator", |a| Box::pin(remove(a))),
        ("helpdesk: find and open a caller", |a| {
            Box::pin(helpdesk_open(a))
        }),
        ("helpdesk: remove a method", |a| {
            Box::pin(helpdesk_act(a, Act::RemoveSms))
        }),
        ("helpdesk: reset all methods", |a| {
            Box::pin(helpdesk_act(a, Act::ResetAll))
        }),
        ("helpdesk: issue a recovery code", |a| {
            Box::pin(helpdesk_act(a, Act::IssueRecoveryCode))
        }),
        ("helpdesk: send an enrollment ticket", |a| {
            Box::pin(helpdesk_act(a, Act::SendTicket))
        }),
    ]
}

/// Runs `flow` in a fresh session of a fresh user that `setup` brought to the starting
/// point and `prepare` carried on to it after sign-in (neither is timed); counts connections
/// from the session's first request, and requests and time from the flow's first.
async fn session<S, P, F>(auth0: &Auth0, setup: S, prepare: P, flow: F) -> Measured
where
    S: for<'a> AsyncFnOnce(&'a Auth0, &'a str),
    P: for<'a> AsyncFnOnce(&'a Auth0, &'a Auth0Client, &'a mut MfaSession),
    F: for<'a> AsyncFnOnce(&'a Auth0, &'a Auth0Client, &'a mut MfaSession),
{
    let email = auth0.new_user().await;
    setup(auth0, &email).await;
    auth0.reset_stats().await;
    let client = auth0.client();
    let mut session = MfaSession::sign_in(&client, &email, PASSWORD.into())
        .await
        .unwrap();
    prepare(auth0, &client, &mut session).await;
    let (before, _) = auth0.stats().await;
    let started = Instant::now();
    flow(auth0, &client, &mut session).await;
    let elapsed = started.elapsed();
    let (after, connections) = auth0.stats().await;
    Measured {
        requests: after - before,
        connections,
        elapsed,
    }
}

async fn nothing(_: &Auth0, _: &str) {}

async fn signed_in(_: &Auth0, _: &Auth0Client, _: &mut MfaSession) {}

/// Enrolls an authenticator app for `email` (a first factor, so later flows can verify).
async fn with_totp(auth0: &Auth0, email: &str) -> String {
    let client = auth0.client();
    let mut session = MfaSession::sign_in(&client, email, PASSWORD.into())
        .await
        .unwrap();
    let started = session
        .start_enrollment(&client, &EnrollRequest::Otp)
        .await
        .unwrap();
    let secret = started.otp.unwrap().secret.expose_secret().to_owned();
    session
        .confirm(&client, &auth0.totp(&secret).await)
        .await
        .unwrap();
    let phone = PhoneNumber::parse(Some("US"), "2015550123").unwrap();
    session
        .start_enrollment(&client, &EnrollRequest::Sms(phone))
        .await
        .unwrap();
    session
        .confirm(&client, &auth0.last_code().await)
        .await
        .unwrap();
    auth0.advance_clock(30).await; // the next TOTP step, so the verify flow's code is fresh
    secret
}

async fn sign_in(auth0: &Auth0) -> Measured {
    let email = auth0.new_user().await;
    auth0.reset_stats().await;
    let started = Instant::now();
    let client = auth0.client();
    MfaSession::sign_in(&client, &email, PASSWORD.into())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let (requests, connections) = auth0.stats().await;
    Measured {
        requests,
        connections,
        elapsed,
    }
}

async fn enroll_otp(auth0: &Auth0) -> Measured {
    session(auth0, nothing, signed_in, async |auth0, client, session| {
        let started = session
            .start_enrollment(client, &EnrollRequest::Otp)
            .await
            .unwrap();
        let secret = started.otp.unwrap().secret;
        session
            .confirm(client, &auth0.totp(secret.expose_secret()).await)
            .await
            .unwrap();
    })
    .await
}

async fn enroll_sms(auth0: &Auth0) -> Measured {
    session(auth0, nothing, signed_in, async |auth0, client, session| {
        let phone = PhoneNumber::parse(Some("US"), "2015550123").unwrap();
        session
            .start_enrollment(client, &EnrollRequest::Sms(phone))
            .await
            .unwrap();
        session
            .confirm(client, &auth0.last_code().await)
            .await
            .unwrap();
    })
    .await
}

async fn enroll_push(auth0: &Auth0) -> Measured {
    session(auth0, nothing, signed_in, async |auth0, client, session| {
        session
            .start_enrollment(client, &EnrollRequest::Push)
            .await
            .unwrap();
        auth0.approve_push().await;
        assert_eq!(
            session.poll_push(client).await.unwrap(),
            PushStatus::Approved
        );
    })
    .await
}

async fn verify(auth0: &Auth0, kind: FactorKind) -> Measured {
    let secret = std::sync::Mutex::new(String::new());
    session(
        auth0,
        async |auth0, email| *secret.lock().unwrap() = with_totp(auth0, email).await,
        signed_in,
        async |auth0, client, session| {
            let id = session
                .active_factors()
                .find(|a| a.kind() == kind)
                .unwrap()
                .id
                .clone();
            session.start_challenge(client, &id).await.unwrap();
            let code = match kind {
                FactorKind::Otp => {
                    let secret = secret.lock().unwrap().clone();
                    auth0.totp(&secret).await
                }
                _ => auth0.last_code().await,
            };
            session.confirm(client, &code).await.unwrap();
        },
    )
    .await
}

/// Brings `email` to having an authenticator app, an SMS phone and a recovery code, which it
/// returns.
async fn with_recovery_code(auth0: &Auth0, email: &str, code: &std::sync::Mutex<String>) {
    with_totp(auth0, email).await;
    *code.lock().unwrap() = auth0.recovery_code_of(email).await.unwrap();
}

async fn recover(auth0: &Auth0) -> Measured {
    let code = std::sync::Mutex::new(String::new());
    session(
        auth0,
        async |auth0, email| with_recovery_code(auth0, email, &code).await,
        signed_in,
        async |_, client, session| {
            let typed = code.lock().unwrap().clone();
            session.recover(client, &typed).await.unwrap();
        },
    )
    .await
}

async fn remove(auth0: &Auth0) -> Measured {
    let code = std::sync::Mutex::new(String::new());
    session(
        auth0,
        async |auth0, email| with_recovery_code(auth0, email, &code).await,
        async |_, client, session| {
            let typed = code.lock().unwrap().clone();
            session.recover(client, &typed).await.unwrap();
        },
        async |_, client, session| {
            let id = session
                .active_factors()
                .find(|a| a.kind() == FactorKind::Sms)
                .unwrap()
                .id
                .clone();
            session.remove(client, &id).await.unwrap();
        },
    )
    .await
}

// ---- helpdesk: the Management API, as the app's helpdesk mode calls it ------------------------

/// What the agent does once the caller is open and verified.
#[derive(Clone, Copy)]
enum Act {
    RemoveSms,
    ResetAll,
    IssueRecoveryCode,
    SendTicket,
}

/// The demo agent, admitted once from a real sign-in with MFA (not timed).
async fn agent(auth0: &Auth0) -> AgentIdentity {
    static AGENT: tokio::sync::OnceCell<AgentIdentity> = tokio::sync::OnceCell::const_new();
    AGENT
        .get_or_init(async || {
            use auth0_emulator::demo::{HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET};
            let client = auth0.client();
            let SignInOutcome::MfaRequired(required) = client
                .sign_in(HELPDESK_AGENT, &secret(PASSWORD))
                .await
                .unwrap()
            else {
                panic!("the demo agent has MFA")
            };
            let code = auth0.totp(HELPDESK_AGENT_TOTP_SECRET).await;
            let tokens = client
                .verify_otp(&required.mfa_token, &OtpCode::parse(&code).unwrap())
                .await
                .unwrap();
            let mode = HelpdeskMode {
                management_client_id: auth0_emulator::demo::HELPDESK_CLIENT_ID.into(),
                agents: vec![Agent::Email(HELPDESK_AGENT.into())],
                max_session: helpdesk::MAX_SESSION,
            };
            helpdesk::admit(&mode, &tokens).unwrap()
        })
        .await
        .clone()
}

/// A helpdesk session as the app holds one: a Management API client whose token is fetched
/// on its first call, so a session's requests include that one token request.
fn management(auth0: &Auth0) -> ManagementClient {
    use auth0_emulator::demo::{HELPDESK_CLIENT_ID, HELPDESK_CLIENT_SECRET};
    ManagementClient::new(
        &auth0.config(HELPDESK_CLIENT_ID),
        secret::<ClientSecret>(HELPDESK_CLIENT_SECRET),
        Timeouts::default(),
    )
    .unwrap()
}

/// Find by email, then open: the methods read afresh, the account as the lookup returned it
/// (the app's `helpdesk_find` and `helpdesk_open_caller`).
async fn open_caller(client: &ManagementClient, email: &str) -> User {
    let mut found = helpdesk::find_callers(client, &Email::parse(email).unwrap())
        .await
        .unwrap();
    let user = found.users.swap_remove(0);
    client.authentication_methods(&user.id()).await.unwrap();
    user
}

/// A caller with an authenticator app, an SMS phone and a recovery code.
async fn caller(auth0: &Auth0) -> String {
    let email = auth0.new_user().await;
    with_totp(auth0, &email).await;
    email
}

async fn helpdesk_open(auth0: &Auth0) -> Measured {
    let email = caller(auth0).await;
    auth0.reset_stats().await;
    let client = management(auth0);
    let started = Instant::now();
    open_caller(&client, &email).await;
    let elapsed = started.elapsed();
    let (requests, connections) = auth0.stats().await;
    Measured {
        requests,
        connections,
        elapsed,
    }
}

/// One action on an open, verified caller, then the methods read again to show the result
/// (the app's `helpdesk_*` action commands). The find and open before it count towards the
/// session's connections, not its requests or time.
async fn helpdesk_act(auth0: &Auth0, act: Act) -> Measured {
    let agent = agent(auth0).await;
    let email = caller(auth0).await;
    let audit = tempfile::tempdir().unwrap();
    let log = AuditLog::at(audit.path().join("audit.jsonl"));
    auth0.reset_stats().await;
    let client = management(auth0);
    let user = open_caller(&client, &email).await;
    let id: UserId = user.id();
    let verification = CallerVerification::record(
        &id,
        helpdesk::VerificationMethod::CallbackDirectoryNumber,
        "",
        "lost phone",
        "INC-1",
    )
    .unwrap();
    let action = match act {
        Act::RemoveSms => {
            let methods = client.authentication_methods(&id).await.unwrap();
            let sms = methods
                .iter()
                .find(|m| m.kind == Some(MethodType::Phone))
                .unwrap();
            HelpdeskAction::RemoveMethod(MethodId::parse(&sms.id).unwrap())
        }
        Act::ResetAll => HelpdeskAction::ResetAll {
            confirmation: email.clone(),
        },
        Act::IssueRecoveryCode => HelpdeskAction::IssueRecoveryCode,
        Act::SendTicket => HelpdeskAction::SendEnrollmentTicket { locale: None },
    };
    let (before, _) = auth0.stats().await;
    let started = Instant::now();
    helpdesk::perform(&client, &log, &agent, &verification, &user, &action)
        .await
        .unwrap();
    client.authentication_methods(&id).await.unwrap();
    let elapsed = started.elapsed();
    let (after, connections) = auth0.stats().await;
    Measured {
        requests: after - before,
        connections,
        elapsed,
    }
}
