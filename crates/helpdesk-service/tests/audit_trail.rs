//! The audit trail on both databases: the chain verifies, concurrent appends keep it intact,
//! and `mfa-desk-helpdesk verify-audit` (the real binary) names a row edited or deleted in the
//! database.

mod support;

use std::process::Command;

use helpdesk_service::store::audit::{self, AuditRecord, Broken, RecentCodeCheck};
use helpdesk_service::store::{now_ms, Store};
use support::db;

fn record(kind: &str, action: &str, caller: &str) -> AuditRecord {
    AuditRecord {
        kind: kind.into(),
        agent_sub: "auth0|agent".into(),
        agent_email: Some("helpdesk@example.com".into()),
        caller_id: Some(caller.into()),
        action: action.into(),
        reason: Some("lost phone".into()),
        ..Default::default()
    }
}

fn verify_audit(url: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mfa-desk-helpdesk"))
        .arg("verify-audit")
        .env("MFA_DESK_HELPDESK_STORAGE__URL", url)
        .env_remove("MFA_DESK_HELPDESK_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_keep_the_chain_and_verify_audit_names_an_edited_row() {
    for db in db::both().await {
        let store = Store::open(&db.url, 8).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let caller = format!("auth0|caller{}", i % 5);
                audit::append(&store, record("intent", "remove_method", &caller), None)
                    .await
                    .unwrap()
            }));
        }
        let mut seqs: Vec<i64> = Vec::new();
        for task in tasks {
            seqs.push(task.await.unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=40).collect::<Vec<_>>(), "{}", db.name);
        assert_eq!(audit::verify(&store).await.unwrap(), Ok(40), "{}", db.name);
        let (ok, text) = verify_audit(&db.url);
        assert!(ok, "{}: {text}", db.name);
        assert!(text.contains("intact (40 rows)"), "{text}");

        // Someone with database access rewrites who did it.
        sqlx::query("UPDATE audit SET agent_email = 'someone.else@example.com' WHERE seq = 17")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            audit::verify(&store).await.unwrap(),
            Err(Broken::Hash { seq: 17 }),
            "{}",
            db.name
        );
        let (ok, text) = verify_audit(&db.url);
        assert!(!ok, "{}: {text}", db.name);
        assert!(text.contains("BROKEN at row 17"), "{}: {text}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn deleting_rows_is_caught_in_the_middle_and_at_the_end() {
    for db in db::both().await {
        let store = Store::open(&db.url, 2).await.unwrap();
        for _ in 0..5 {
            audit::append(&store, record("lookup", "find_callers", "auth0|x"), None)
                .await
                .unwrap();
        }
        sqlx::query("DELETE FROM audit WHERE seq = 5")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            audit::verify(&store).await.unwrap(),
            Err(Broken::Head {
                head_seq: 5,
                last_seq: 4
            })
        );
        sqlx::query("DELETE FROM audit WHERE seq = 2")
            .execute(store.pool())
            .await
            .unwrap();
        let broken = audit::verify(&store).await.unwrap().unwrap_err();
        assert_eq!(
            broken,
            Broken::Gap {
                expected: 2,
                found: 3
            },
            "{}",
            db.name
        );
        let (ok, text) = verify_audit(&db.url);
        assert!(
            !ok && text.contains("row 2: missing"),
            "{}: {text}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_second_code_inside_the_window_is_refused_unless_the_first_failed() {
    for db in db::both().await {
        let store = Store::open(&db.url, 2).await.unwrap();
        let check = RecentCodeCheck {
            caller_id: "auth0|ana".into(),
            since_ms: now_ms() - 600_000,
        };
        let first = audit::append(
            &store,
            record("intent", "issue_recovery_code", "auth0|ana"),
            Some(&check),
        )
        .await
        .unwrap();
        let second = audit::append(
            &store,
            record("intent", "issue_recovery_code", "auth0|ana"),
            Some(&check),
        )
        .await;
        assert!(
            matches!(second, Err(audit::AppendError::RecentCode)),
            "{}",
            db.name
        );
        // Another caller is not affected.
        let bo = RecentCodeCheck {
            caller_id: "auth0|bo".into(),
            ..check.clone()
        };
        audit::append(
            &store,
            record("intent", "issue_recovery_code", "auth0|bo"),
            Some(&bo),
        )
        .await
        .unwrap();
        // A first attempt that definitely failed does not count.
        let mut outcome = record("outcome", "issue_recovery_code", "auth0|ana");
        outcome.intent_seq = Some(first);
        outcome.outcome = Some("error".into());
        audit::append(&store, outcome, None).await.unwrap();
        audit::append(
            &store,
            record("intent", "issue_recovery_code", "auth0|ana"),
            Some(&check),
        )
        .await
        .unwrap();
        assert_eq!(audit::verify(&store).await.unwrap(), Ok(4));
        // Bo's intent and Ana's last have no outcome: "outcome unknown".
        assert_eq!(audit::unanswered_intents(&store).await.unwrap(), vec![2, 4]);
        store.close().await;
    }
}
