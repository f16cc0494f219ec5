//! The example site package (packaging/linux/site-config/), built by its documented command
//! and installed beside the app's .deb by scripts/check-package: with no other configuration
//! on the machine, its drop-in alone gives the installed app its tenant, organisation and
//! language.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};

use super::harness::{run_with, tid, E2e, Lang, Options};
use super::tenant;

/// Where the site package installs its drop-in (`50-<site>.json`).
const DROP_IN: &str = "/etc/mfa-desk/config.d/50-acme.json";

/// The drop-in the package was built from, as the repository holds it.
fn site_settings() -> serde_json::Value {
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/linux/site-config/50-acme.json"
    );
    serde_json::from_str(&std::fs::read_to_string(source).expect("the example drop-in"))
        .expect("the example drop-in is JSON")
}

async fn shows_the_site(e: &mut E2e) -> Result<()> {
    let site = site_settings();
    let installed =
        std::fs::read_to_string(DROP_IN).with_context(|| format!("reading {DROP_IN}"))?;
    ensure!(
        serde_json::from_str::<serde_json::Value>(&installed)? == site,
        "{DROP_IN} is not the example drop-in"
    );
    ensure!(
        !Path::new("/etc/mfa-desk/config.json").exists(),
        "a system file is present: the drop-in must configure the app alone"
    );

    e.wait_screen("signin").await?;
    let card = e.text("signin-tenant").await?;
    for key in ["organization", "domain"] {
        let expected = site[key].as_str().expect("a text");
        ensure!(
            card.contains(expected),
            "{key} {expected:?} not shown: {card:?}"
        );
    }
    // The system says French; the site package says English, and wins.
    let language = site["language"].as_str().expect("a language");
    ensure!(
        e.html_lang().await? == language,
        "the site's language is not applied"
    );
    ensure!(
        e.is_visible(&tid("lang-managed")).await,
        "the language lock is not explained"
    );
    e.shot("signin-site-package").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/check-package after installing the .deb and the site package"]
async fn site_package_gives_the_app_its_tenant() {
    let app =
        PathBuf::from(std::env::var("MFA_DESK_INSTALLED_APP").expect("MFA_DESK_INSTALLED_APP"));
    let options = Options {
        args: Some(vec![]),
        app: Some(app),
        real_system_config: true,
        ..Options::default()
    };
    run_with("site_package", Lang::Fr, tenant(), options, shows_the_site).await;
}
