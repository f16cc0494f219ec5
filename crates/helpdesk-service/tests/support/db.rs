//! The two databases every storage test runs against: a SQLite file in a temporary folder,
//! and a fresh database in the throwaway PostgreSQL cluster that scripts/test starts
//! (`MFA_DESK_TEST_POSTGRES_URL`). Outside CI a missing cluster skips PostgreSQL with a note;
//! in CI (`CI=true`) it fails the test.

use sqlx::{Connection, Executor};

pub const POSTGRES_ENV: &str = "MFA_DESK_TEST_POSTGRES_URL";

/// A database for one test; the SQLite folder lives as long as this value.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("helpdesk.db").display());
    TestDb {
        name: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database, or `None` when no cluster runs (outside CI only).
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests (scripts/test starts the cluster)"
        );
        eprintln!("note: {POSTGRES_ENV} is not set; PostgreSQL skipped (scripts/test sets it)");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!("helpdesk_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    Some(TestDb {
        name: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

/// SQLite, and PostgreSQL when it runs.
pub async fn both() -> Vec<TestDb> {
    let mut dbs = vec![sqlite()];
    dbs.extend(postgres().await);
    dbs
}
