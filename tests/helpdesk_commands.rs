//! Helpdesk mode's commands, called as the webview (or a stray script in it) would, against
//! the real helpdesk service and the local Auth0 (`support/desk.rs`): the agent's fresh
//! sign-in, a caller verified by a push to their phone or the checklist, actions refused
//! before verification and for a caller not open, a caller's code that lives only in the
//! session, four eyes across two app instances, the stolen-phone playbook carried on after
//! an interruption, and a sign-in that runs out without losing the caller on screen.

#[path = "support/desk.rs"]
mod desk;
#[path = "support/hosted.rs"]
mod hosted;
mod support;

use std::time::Duration;

use auth0_emulator::demo::{
    ENROLLED_USER_ID, HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET, HELPDESK_API, LEAD,
    LEAD_TOTP_SECRET, PHONE_ONLY, PUSH_USER,
};
use desk::{checklist, Desk};
use mfa_core::secret_store::SecretStore;
use serde_json::{json, Value};
use support::*;

const AGENT: (&str, &str) = (HELPDESK_AGENT, HELPDESK_AGENT_TOTP_SECRET);
const THE_LEAD: (&str, &str) = (LEAD, LEAD_TOTP_SECRET);

fn param(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn granted(view: &Value) -> Vec<(String, bool)> {
    view["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["permission"].as_str().unwrap().to_owned(),
                p["granted"] == true,
            )
        })
        .collect()
}

fn action<'a>(caller: &'a Value, name: &str) -> &'a Value {
    caller["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == name)
        .unwrap_or_else(|| panic!("no action {name}: {caller}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_signs_in_afresh_and_a_refused_sign_in_leaves_nobody_behind() {
    let desk = Desk::start().await;
    let (app, store) = desk.app().await;
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await,
        json!({"demo": true, "session": null})
    );
    // Nothing before the agent's sign-in.
    for (command, args) in [
        ("helpdesk_find", json!({"query": ENROLLED})),
        ("helpdesk_open_caller", json!({"userId": ENROLLED_USER_ID})),
        ("helpdesk_approvals", json!({})),
    ] {
        let refused = app.call(command, args).await.unwrap_err();
        assert_eq!(refused["code"], "not_signed_in", "{command}");
    }

    let (url, waited) = desk.agent_sign_in(&app, AGENT.0, AGENT.1).await;
    // A new sign-in with MFA for the helpdesk API, whatever the browser remembers (§S6).
    assert_eq!(param(&url, "audience").as_deref(), Some(HELPDESK_API));
    assert_eq!(param(&url, "prompt").as_deref(), Some("login"));
    assert_eq!(param(&url, "max_age").as_deref(), Some("300"));
    let session = waited.unwrap();
    assert_eq!(session["status"], "signedIn", "{session}");
    assert_eq!(session["agent"], HELPDESK_AGENT);
    assert_eq!(session["canApprove"], false);
    assert_eq!(
        granted(&session),
        [
            ("helpdesk:read".to_owned(), true),
            ("helpdesk:act".to_owned(), true),
            ("helpdesk:reset".to_owned(), false),
            ("helpdesk:approve".to_owned(), false),
        ]
    );
    let kept = mfa_core::helpdesk_service::AgentSession::entry(&desk.service.base_url());
    assert!(
        store.get(&kept).unwrap().is_none(),
        "the agent's token is never put in the keyring"
    );
    let status = app.ok("helpdesk_status", json!({})).await;
    assert_eq!(status["session"]["agent"], HELPDESK_AGENT);

    // An employee whose sign-in carries no helpdesk permission is not an agent, and the
    // agent signed in before is not left signed in behind them.
    let (_, refused) = desk
        .agent_sign_in(&app, ENROLLED, ENROLLED_TOTP_SECRET)
        .await;
    assert_eq!(refused.unwrap_err()["code"], "not_a_helpdesk_agent");
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await["session"],
        Value::Null
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_verifies_the_caller_and_their_code_lives_only_in_the_session() {
    let desk = Desk::start().await;
    let (app, _) = desk.app().await;
    let (_, waited) = desk.agent_sign_in(&app, AGENT.0, AGENT.1).await;
    waited.unwrap();

    // Found as typed or in capitals (the core's case handling, on the service).
    let found = app
        .ok("helpdesk_find", json!({"query": PUSH_USER.to_uppercase()}))
        .await;
    let user = found[0]["userId"].clone();
    assert_eq!(found[0]["email"], PUSH_USER);
    for (query, code) in [("", "input_empty"), ("not an email", "invalid_email")] {
        let refused = app
            .call("helpdesk_find", json!({ "query": query }))
            .await
            .unwrap_err();
        assert_eq!(refused["code"], code, "{query:?}");
    }
    let caller = app
        .ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    assert_eq!(caller["verification"], Value::Null);
    assert_eq!(action(&caller, "reset")["needsApproval"], true);
    assert_eq!(action(&caller, "end_sessions")["allowed"], true);

    // Nothing changes before the caller is verified, and nobody but the caller open.
    let refused = app
        .call("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "caller_not_verified");
    let refused = app
        .call(
            "helpdesk_issue_recovery_code",
            json!({"userId": ENROLLED_USER_ID}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "caller_not_open");
    let refused = app
        .call(
            "helpdesk_verify_push",
            json!({"userId": user, "reason": "  ", "ticket": ""}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "input_empty");

    // The push: the words the agent reads out are the words on the caller's phone.
    let push = app
        .ok(
            "helpdesk_verify_push",
            json!({"userId": user, "reason": "lost laptop", "ticket": "INC-7"}),
        )
        .await;
    assert_eq!(push["status"], "pending", "{push}");
    let words = push["bindingMessage"].as_str().unwrap().to_owned();
    assert!(!words.is_empty());
    let on_phone = desk
        .auth0
        .control
        .wait_for_push(Duration::from_secs(10))
        .await
        .unwrap()
        .expect("a push on the caller's phone");
    assert_eq!(on_phone.binding_message.as_deref(), Some(words.as_str()));
    desk.auth0.approve_push().await;
    let mut answer = app.ok("helpdesk_push_wait", json!({"userId": user})).await;
    while answer["status"] == "pending" {
        answer = app.ok("helpdesk_push_wait", json!({"userId": user})).await;
    }
    assert_eq!(answer["status"], "verified", "{answer}");
    let verified = &answer["caller"]["verification"];
    assert_eq!(verified["method"], "push");
    assert_eq!(verified["reason"], "lost laptop");
    assert!(verified["expiresAt"].as_u64().unwrap() > 0);

    // A code for this caller: on screen for them only, and gone with the session.
    let issued = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await;
    assert_eq!(issued["status"], "done");
    assert_eq!(issued["nextStep"], "sign_in_with_issued_recovery_code");
    let code = issued["recoveryCode"]["code"]
        .as_str()
        .unwrap()
        .replace([' ', '-'], "");
    assert_eq!(
        desk.auth0.recovery_code_of(PUSH_USER).await.as_deref(),
        Some(code.as_str()),
        "the code read out is the caller's new one"
    );
    let other = app.ok("helpdesk_find", json!({"query": PHONE_ONLY})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": other}))
        .await;
    for command in ["recovery_code_copy", "recovery_code_confirm"] {
        let refused = app.call(command, json!({})).await.unwrap_err();
        assert_eq!(refused["code"], "caller_not_open", "{command}");
    }
    app.ok("helpdesk_end", json!({})).await;
    for command in ["recovery_code_copy", "recovery_code_confirm"] {
        let refused = app.call(command, json!({})).await.unwrap_err();
        assert_eq!(refused["code"], "caller_code_gone", "{command}");
    }
    let state = app.ok("app_state", json!({})).await;
    assert_eq!(state["pendingRecoveryCode"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_denied_on_the_phone_verifies_nobody() {
    let desk = Desk::start().await;
    let (app, _) = desk.app().await;
    desk.agent_sign_in(&app, AGENT.0, AGENT.1).await.1.unwrap();
    let user = app.ok("helpdesk_find", json!({"query": PUSH_USER})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    app.ok(
        "helpdesk_verify_push",
        json!({"userId": user, "reason": "lost laptop", "ticket": ""}),
    )
    .await;
    desk.auth0
        .control
        .wait_for_push(Duration::from_secs(10))
        .await
        .unwrap()
        .expect("a push");
    desk.auth0.deny_push().await;
    let mut answer = app.ok("helpdesk_push_wait", json!({"userId": user})).await;
    while answer["status"] == "pending" {
        answer = app.ok("helpdesk_push_wait", json!({"userId": user})).await;
    }
    assert_eq!(answer["status"], "denied", "{answer}");
    let events = app
        .ok("helpdesk_caller_events", json!({"userId": user}))
        .await;
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "push_denied" || e["kind"] == "helpdesk_push_denied"),
        "the caller's events say so: {events}"
    );
    let refused = app
        .call("helpdesk_end_sessions", json!({"userId": user}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "caller_not_verified");

    // Someone with no push at all is told so, and the checklist remains.
    let other = app.ok("helpdesk_find", json!({"query": PHONE_ONLY})).await[0]["userId"].clone();
    app.ok("helpdesk_open_caller", json!({"userId": other}))
        .await;
    let refused = app
        .call(
            "helpdesk_verify_push",
            json!({"userId": other, "reason": "lost phone", "ticket": ""}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "push_not_enrolled");
    let caller = app.ok("helpdesk_verify_caller", checklist(&other)).await;
    assert_eq!(
        caller["verification"]["method"],
        "callback_directory_number"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_asks_for_a_reset_and_a_lead_in_another_app_approves_it() {
    let desk = Desk::start().await;
    let (agent_app, _) = desk.app().await;
    let user = desk.verified(&agent_app, AGENT, ENROLLED).await;
    let refused = agent_app
        .call(
            "helpdesk_reset",
            json!({"userId": user, "confirmation": "someone@else.example"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "reset_confirmation_mismatch");
    let asked = agent_app
        .ok(
            "helpdesk_reset",
            json!({"userId": user, "confirmation": ENROLLED}),
        )
        .await;
    assert_eq!(asked["status"], "pendingApproval", "{asked}");
    let approval = asked["approval"].clone();
    assert_eq!(approval["mine"], true);
    assert_eq!(approval["status"], "pending");
    let id = approval["id"].as_str().unwrap().to_owned();
    let refused = agent_app
        .call("helpdesk_approvals", json!({}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "agent_permission_missing");
    assert_eq!(refused["missingScopes"], json!(["helpdesk:approve"]));
    let refused = agent_app
        .call(
            "helpdesk_approve",
            json!({"approvalId": "apr_../../v1/audit"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "invalid_request");

    // The lead, in a second instance of the app, sees who asked, for whom, why and how.
    let (lead_app, _) = desk.app().await;
    desk.agent_sign_in(&lead_app, THE_LEAD.0, THE_LEAD.1)
        .await
        .1
        .unwrap();
    let waiting = lead_app.ok("helpdesk_approvals", json!({})).await;
    let listed = waiting
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("listed for the lead")
        .clone();
    assert_eq!(listed["mine"], false);
    assert_eq!(listed["requestedBy"], HELPDESK_AGENT);
    assert_eq!(listed["callerEmail"], ENROLLED);
    assert_eq!(listed["reason"], "lost phone");
    assert_eq!(listed["verifiedBy"], "callback_directory_number");
    let waiter = agent_app.call_in_background("helpdesk_approval_wait", json!({"approvalId": id}));
    let decided = lead_app
        .ok("helpdesk_approve", json!({"approvalId": id}))
        .await;
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["decidedBy"], LEAD);
    let mut heard = waiter.await.unwrap().unwrap();
    while heard["status"] == "pending" {
        heard = agent_app
            .ok("helpdesk_approval_wait", json!({"approvalId": id}))
            .await;
    }
    assert_eq!(
        heard["status"], "approved",
        "the agent hears it without reloading"
    );
    assert_eq!(heard["nextStep"], "set_up_at_next_sign_in", "{heard}");
    let caller = agent_app
        .ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    assert_eq!(caller["standing"], "no_methods", "{caller}");
    let refused = lead_app
        .call(
            "helpdesk_refuse",
            json!({"approvalId": id, "reason": "too late"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "approval_closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_playbook_carries_on_after_an_interruption_and_repeats_nothing() {
    let desk = Desk::start().await;
    let (app, _) = desk.app().await;
    let user = desk.verified(&app, AGENT, PUSH_USER).await;
    let plan = app
        .ok(
            "helpdesk_playbook_plan",
            json!({"userId": user, "then": "recovery_code"}),
        )
        .await;
    let steps: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps.first(), Some(&"end_sessions"));
    assert_eq!(
        &steps[steps.len() - 2..],
        ["forget_browsers", "issue_recovery_code"]
    );
    let removals = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["action"] == "remove_method")
        .count();
    assert!(removals >= 1, "{plan}");
    assert!(plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] == "planned"));

    // Two steps, then the service goes quiet: the step shows it failed.
    app.ok("helpdesk_playbook_step", json!({"userId": user}))
        .await;
    app.ok("helpdesk_playbook_step", json!({"userId": user}))
        .await;
    desk.auth0.control.clear_requests().await.unwrap();
    // Carrying on from where it stopped: the plan is kept, nothing done is sent again.
    let resumed = app
        .ok(
            "helpdesk_playbook_plan",
            json!({"userId": user, "then": "enrollment_email"}),
        )
        .await;
    assert_eq!(resumed["resumed"], true);
    assert_eq!(resumed["steps"][0]["status"], "done");
    let mut view = resumed;
    while view["finished"] != true {
        view = app
            .ok("helpdesk_playbook_step", json!({"userId": user}))
            .await;
    }
    let sent = desk.auth0.control.requests().await.unwrap();
    assert!(
        !sent
            .iter()
            .any(|r| r.path.contains("/sessions") && r.method == "DELETE"),
        "sessions were ended once, before the interruption"
    );
    let code = view["recoveryCode"]["code"]
        .as_str()
        .expect("a code at the end");
    assert_eq!(
        desk.auth0.recovery_code_of(PUSH_USER).await.as_deref(),
        Some(code.replace([' ', '-'], "").as_str())
    );
    assert_eq!(view["nextStep"], "sign_in_with_issued_recovery_code");
    let caller = app
        .ok("helpdesk_open_caller", json!({"userId": user}))
        .await;
    assert!(
        caller["methods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["kind"] != "push" && m["kind"] != "totp"),
        "{caller}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_that_runs_out_is_renewed_without_losing_the_caller() {
    // Helpdesk API tokens that last four seconds.
    let desk = Desk::start_with(|tenant| {
        for api in &mut tenant.apis {
            if api.identifier == HELPDESK_API {
                api.token_lifetime = 4;
            }
        }
    })
    .await;
    let (app, _) = desk.app().await;
    let user = desk.verified(&app, AGENT, ENROLLED).await;
    let issued = app
        .ok("helpdesk_issue_recovery_code", json!({"userId": user}))
        .await;
    assert!(issued["recoveryCode"]["code"].is_string());
    tokio::time::sleep(Duration::from_secs(5)).await;
    // The caller's code does not outlive the agent's sign-in.
    let refused = app
        .call("recovery_code_confirm", json!({}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "caller_code_gone");
    let refused = app
        .call("helpdesk_caller_events", json!({"userId": user}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "helpdesk_sign_in_expired");
    // The same agent signs in again: the caller is still open and still verified.
    desk.agent_sign_in(&app, AGENT.0, AGENT.1).await.1.unwrap();
    app.ok("helpdesk_caller_events", json!({"userId": user}))
        .await;
    let done = app
        .ok("helpdesk_forget_browsers", json!({"userId": user}))
        .await;
    assert_eq!(done["status"], "done");
    // History: every agent's rows from the service, newest first.
    let history = app.ok("helpdesk_history", json!({"user": ENROLLED})).await;
    let outcome = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "outcome")
        .expect("the action's outcome row");
    assert_eq!(outcome["action"], "forget_browsers", "{history}");
    assert_eq!(outcome["agent"], HELPDESK_AGENT);
    assert_eq!(outcome["verifiedMethod"], "callback_directory_number");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callers_code_left_in_the_keyring_by_an_earlier_version_is_deleted_unread() {
    use mfa_core::secret_store::{IssuedFor, MemoryStore, PendingRecoveryCode, RecoveryCodeVault};
    let desk = Desk::start().await;
    let store = std::sync::Arc::new(MemoryStore::default());
    let old = RecoveryCodeVault::for_helpdesk(store.as_ref(), "demo");
    old.keep(&PendingRecoveryCode {
        account: PUSH_USER.into(),
        code: mfa_core::input::RecoveryCode::from_server("ABCDEFGHJKLMNPQRSTUVWXYZ".into()),
        issued_at: 1,
        reason: IssuedFor::Helpdesk,
    })
    .unwrap();
    let (app, _) = desk.app_with_store(store.clone()).await;
    assert!(app.ok("app_state", json!({})).await["pendingRecoveryCode"].is_null());
    assert!(old.pending().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_the_service_refuses_for_want_of_mfa_begins_nothing() {
    // A tenant whose post-login Action is not installed: no token says MFA was passed.
    let desk = Desk::start_with(|tenant| tenant.mfa_claim_action = None).await;
    let (app, _) = desk.app().await;
    let (_, refused) = desk.agent_sign_in(&app, AGENT.0, AGENT.1).await;
    assert_eq!(refused.unwrap_err()["code"], "agent_mfa_missing");
    assert_eq!(
        app.ok("helpdesk_status", json!({})).await["session"],
        Value::Null
    );
    let refused = app
        .call("helpdesk_find", json!({"query": ENROLLED}))
        .await
        .unwrap_err();
    assert_eq!(refused["code"], "not_signed_in");
}
