//! An Action limiting the MFA factors (§2.2, `action_factor_rules`): the `mfa_required`
//! answer names them, and the hosted MFA step offers nothing else.

mod common;

use auth0_emulator::control_api::Channel;
use auth0_emulator::tenant::{ActionFactorRules, FactorRuleType};
use auth0_emulator::{demo, Tenant};
use common::hosted::{no_redirects, query_param, REDIRECT, VERIFIER};
use common::{answer, enc, Env};
use reqwest::StatusCode;
use serde_json::json;

fn limited() -> Tenant {
    let mut tenant = Tenant::demo();
    tenant.settings.action_factor_rules = Some(ActionFactorRules {
        enroll: Some(vec![FactorRuleType::Otp]),
        challenge: Some(vec![FactorRuleType::Phone]),
    });
    tenant
}

#[tokio::test]
async fn mfa_required_names_the_action_s_lists() {
    let env = Env::with(limited()).await;
    let sign_in = |email: String| {
        let env = &env;
        async move {
            let r = env
                .token_form(&[
                    ("grant_type", "password"),
                    ("client_id", demo::PUBLIC_CLIENT_ID),
                    ("username", &email),
                    ("password", demo::PASSWORD),
                ])
                .await;
            answer(r).await.1["mfa_requirements"].clone()
        }
    };
    assert_eq!(
        sign_in(demo::ENROLLED.into()).await,
        json!({"challenge": [{"type": "phone"}]})
    );
    let (new_hire, _) = env.new_user("rules@example.com").await;
    assert_eq!(
        sign_in(new_hire).await,
        json!({"enroll": [{"type": "otp"}]})
    );
}

#[tokio::test]
async fn the_hosted_mfa_step_offers_only_what_the_action_allows() {
    let env = Env::with(limited()).await;
    let http = no_redirects();
    let challenge = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(VERIFIER))
    };
    let path = format!(
        "/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge={challenge}&code_challenge_method=S256&state=xyz&audience={}&scope=openid",
        demo::PUBLIC_CLIENT_ID,
        enc(REDIRECT),
        enc(&env.url("/mfa/")),
    );
    let r = http.get(env.url(&path)).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let state = location.strip_prefix("/u/login?state=").unwrap().to_owned();
    let form = [
        ("state", state.as_str()),
        ("email", demo::ENROLLED),
        ("password", demo::PASSWORD),
        ("action", "continue"),
    ];
    let r = http
        .post(env.url("/u/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let page = http
        .get(env.url(&format!("/u/mfa?state={state}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("totp|"),
        "the authenticator app is offered:\n{page}"
    );
    assert!(
        !page.contains("recovery-code"),
        "the recovery code is offered:\n{page}"
    );
    let factor = page
        .split("name=\"factor\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        factor.starts_with("sms|") || factor.starts_with("voice|"),
        "{factor}"
    );
    let code = env
        .control
        .last_message(Channel::Sms)
        .await
        .unwrap()
        .expect("a text")
        .code;
    let form = [
        ("state", state.as_str()),
        ("factor", factor.as_str()),
        ("code", code.as_str()),
        ("action", "continue"),
    ];
    let r = http
        .post(env.url("/u/mfa"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(query_param(&location, "code").is_some(), "{location}");
}
