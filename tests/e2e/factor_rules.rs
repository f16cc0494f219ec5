//! The tenant's own factor rules (`mfa_requirements`, spec §2.2) in the real app: an Action
//! that lets new people enroll only an authenticator app or email, and lets enrolled people
//! verify only with the authenticator app. The screens offer nothing else, in each language.

use anyhow::{ensure, Result};
use auth0_emulator::tenant::{ActionFactorRules, FactorRuleType};

use super::harness::{run, tid, E2e, Lang, ENROLLED};
use super::tenant;

fn limited_tenant() -> auth0_emulator::Tenant {
    let mut tenant = tenant();
    tenant.settings.action_factor_rules = Some(ActionFactorRules {
        enroll: Some(vec![FactorRuleType::Otp, FactorRuleType::Email]),
        challenge: Some(vec![FactorRuleType::Otp]),
    });
    tenant
}

async fn offers_only_what_the_action_allows(e: &mut E2e) -> Result<()> {
    let email = e.create_user("rules").await?;
    e.sign_in(&email).await?;
    e.wait_screen("enroll").await?;
    e.wait_for("enroll-step-kind").await?;
    e.expect_heading("enroll.titleFirst").await?;
    for (kind, offered) in [
        ("otp", true),
        ("email", true),
        ("sms", false),
        ("voice", false),
        ("push", false),
    ] {
        let shown = e.is_visible(&tid(&format!("enroll-kind-{kind}"))).await;
        ensure!(
            shown == offered,
            "enroll kind {kind}: shown {shown}, the Action allows it: {offered}"
        );
    }
    e.shot("enroll-action-kinds").await?;
    e.sign_out().await?;

    // ENROLLED has an authenticator app, a phone (SMS and voice) and a recovery code.
    e.sign_in(ENROLLED).await?;
    e.wait_for("verify-step-pick").await?;
    let method = |kind: &str| format!("{}[data-kind=\"{kind}\"]", tid("verify-method"));
    ensure!(
        e.is_visible(&method("otp")).await,
        "the authenticator app is not offered"
    );
    for kind in ["sms", "voice"] {
        ensure!(
            !e.is_visible(&method(kind)).await,
            "{kind} is offered although the Action refuses it"
        );
    }
    ensure!(
        !e.is_visible(&tid("use-recovery")).await,
        "the recovery code is offered although the Action refuses it"
    );
    e.shot("verify-action-kinds").await?;
    e.pick_method("otp").await?;
    e.submit_code(&e.totp_now(ENROLLED).await?).await?;
    e.wait_home_row("otp").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_rules_limit_the_offered_kinds_en() {
    run(
        "factor_rules_en",
        Lang::En,
        limited_tenant(),
        offers_only_what_the_action_allows,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_rules_limit_the_offered_kinds_ja() {
    run(
        "factor_rules_ja",
        Lang::Ja,
        limited_tenant(),
        offers_only_what_the_action_allows,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_rules_limit_the_offered_kinds_fr() {
    run(
        "factor_rules_fr",
        Lang::Fr,
        limited_tenant(),
        offers_only_what_the_action_allows,
    )
    .await;
}
