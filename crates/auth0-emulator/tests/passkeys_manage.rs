//! Passkeys after enrollment and the refusals around them (§S5): renamed and removed through
//! the My Account API, removed by the helpdesk, a hosted sign-in answered from the wrong
//! origin, for the wrong RP ID or with a sign counter that went back, the problem bodies of
//! bad enrollments, and the tenant settings (custom-domain RP ID, passkeys skipping MFA).

mod common;

use auth0_emulator::demo;
use common::passkey::*;
use common::{enc, Env};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use url::Url;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

fn assert_refused(body: &Value, pointer: &str, detail: &str) {
    assert_eq!(body["status"], 400, "{body}");
    assert_eq!(
        body["type"], "https://auth0.com/api-errors/A0E-400-0003",
        "{body}"
    );
    assert_eq!(body["detail"], "Invalid request payload input", "{body}");
    assert_eq!(body["validation_errors"][0]["pointer"], pointer, "{body}");
    let said = body["validation_errors"][0]["detail"].as_str().unwrap();
    assert!(said.contains(detail), "{body}");
}

async fn passkeys(env: &Env, token: &str) -> Vec<Value> {
    let path = "/authentication-methods?type=passkey";
    let (_, _, listed) = me(env, Method::GET, path, token, None).await;
    listed["authentication_methods"].as_array().unwrap().clone()
}

/// A new hosted sign-in's passkey options for the enrolled user.
async fn challenge(env: &Env) -> (String, Value) {
    let state = open_sign_in(env).await;
    let options = sign_in_options(env, &state, demo::ENROLLED).await;
    (state, options)
}

#[tokio::test]
async fn a_passkey_is_renamed_and_removed_and_then_signs_in_no_more() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let mut soft = SoftPasskey::new(true);
    let method = enroll(&env, &token, &mut soft).await;
    let path = format!(
        "/authentication-methods/{}",
        enc(method["id"].as_str().unwrap())
    );

    let rename = Some(json!({"name": "Work laptop"}));
    let (status, _, renamed) = me(&env, Method::PATCH, &path, &token, rename).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Work laptop");
    assert_eq!(passkeys(&env, &token).await[0]["name"], "Work laptop");
    let helpdesk = env.helpdesk().await;
    let managed_path = format!(
        "/users/{}/authentication-methods",
        enc(demo::ENROLLED_USER_ID)
    );
    let managed = env.get_json(&managed_path, &helpdesk).await;
    assert!(managed
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "Work laptop"));

    for (body, pointer) in [
        (json!({"name": ""}), "/name"),
        (
            json!({"preferred_authentication_method": "sms"}),
            "/preferred_authentication_method",
        ),
        (json!({"name": "x", "counter": 0}), "/counter"),
    ] {
        let (status, _, refused) = me(&env, Method::PATCH, &path, &token, Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused["validation_errors"][0]["pointer"], pointer,
            "{refused}"
        );
    }

    let (status, _, _) = me(&env, Method::DELETE, &path, &token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, gone) = me(&env, Method::GET, &path, &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(gone["type"], "https://auth0.com/api-errors/A0E-404-0001");
    assert!(passkeys(&env, &token).await.is_empty());

    // The removed credential is no longer offered, and its assertion is refused.
    let (state, options) = challenge(&env).await;
    assert_eq!(options["allowCredentials"], json!([]));
    let mut stale = options.clone();
    stale["allowCredentials"] = json!([{"type": "public-key", "id": method["key_id"]}]);
    let assertion = get(&mut soft, origin(&env), &stale);
    assert_eq!(
        sign_in_verify(&env, &state, &assertion).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_helpdesk_removes_a_passkey_through_the_management_api() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let method = enroll(&env, &token, &mut SoftPasskey::new(true)).await;
    let helpdesk = env.helpdesk().await;
    let path = format!(
        "/users/{}/authentication-methods/{}",
        enc(demo::ENROLLED_USER_ID),
        enc(method["id"].as_str().unwrap())
    );
    let r = env
        .api(Method::DELETE, &path, &helpdesk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(passkeys(&env, &token).await.is_empty());
}

#[tokio::test]
async fn a_sign_in_from_the_wrong_origin_rp_id_or_counter_is_refused() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let mut soft = SoftPasskey::new(true);
    enroll(&env, &token, &mut soft).await;

    let (state, options) = challenge(&env).await;
    let evil = Url::parse("https://login.evil.example").unwrap();
    let assertion = get(&mut soft, evil, &options);
    assert_eq!(
        sign_in_verify(&env, &state, &assertion).await.0,
        StatusCode::FORBIDDEN
    );

    let (state, mut options) = challenge(&env).await;
    options["rpId"] = json!("evil.example");
    let assertion = get(&mut soft, origin(&env), &options);
    assert_eq!(
        sign_in_verify(&env, &state, &assertion).await.0,
        StatusCode::FORBIDDEN
    );

    // Two sign-ins signed in order, answered in the other: the older count is refused.
    let (first, first_options) = challenge(&env).await;
    let (second, second_options) = challenge(&env).await;
    let older = get(&mut soft, origin(&env), &first_options);
    let newer = get(&mut soft, origin(&env), &second_options);
    let (status, next) = sign_in_verify(&env, &second, &newer).await;
    assert_eq!(
        (status, next),
        (StatusCode::FOUND, format!("/u/mfa?state={second}"))
    );
    assert_eq!(
        sign_in_verify(&env, &first, &older).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn bad_enrollments_answer_the_problem_bodies_of_s5_4() {
    let mut tenant = tenant();
    tenant.settings.passkeys = false;
    let env = Env::with(tenant).await;
    let token = me_token(&env).await;
    let body = Some(json!({"type": "passkey"}));
    let (status, _, off) = me(&env, Method::POST, "/authentication-methods", &token, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&off, "/type", "not enabled");
    // Nor does the sign-in page offer them.
    let state = open_sign_in(&env).await;
    let page = env
        .http
        .get(env.url(&format!("/u/login?state={state}")))
        .send()
        .await
        .unwrap();
    assert!(!page.text().await.unwrap().contains("passkey"));
    let form = [("state", state.as_str()), ("email", demo::ENROLLED)];
    let r = env
        .http
        .post(env.url("/u/passkey/options"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let env = Env::with(common::passkey::tenant()).await;
    let token = me_token(&env).await;
    for (body, pointer, detail) in [
        (
            json!({"type": "passkey", "name": "x"}),
            "/name",
            "additional properties",
        ),
        (
            json!({"type": "passkey", "connection": "other"}),
            "/connection",
            "own",
        ),
        (
            json!({"type": "passkey", "identity_user_id": "123"}),
            "/identity_user_id",
            "own",
        ),
    ] {
        let (status, _, refused) = me(
            &env,
            Method::POST,
            "/authentication-methods",
            &token,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_refused(&refused, pointer, detail);
    }
    let (session, options) = start(&env, &token).await;
    let good = create(&mut SoftPasskey::new(true), origin(&env), &options);
    let mut extra = good.clone();
    extra["extensions"] = json!({});
    let mut not_a_key = good.clone();
    not_a_key["type"] = json!("password");
    let mut too_long = good.clone();
    too_long["response"]["clientDataJSON"] = json!("A".repeat(1001));
    for (response, pointer) in [
        (extra, "/authn_response/extensions"),
        (not_a_key, "/authn_response/type"),
        (too_long, "/authn_response/response/clientDataJSON"),
    ] {
        let (status, _, refused) = verify(&env, &token, &session, &response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused["validation_errors"][0]["pointer"], pointer,
            "{refused}"
        );
    }
    // Shape errors leave the challenge to be answered.
    let (status, _, method) = verify(&env, &token, &session, &good).await;
    assert_eq!(status, StatusCode::CREATED, "{method}");
}

#[tokio::test]
async fn a_custom_domain_is_the_rp_id_and_a_tenant_may_let_passkeys_skip_mfa() {
    let mut tenant = tenant();
    tenant.settings.passkey_rp_id = Some("login.example.com".into());
    tenant.settings.passkey_skips_mfa = true;
    let env = Env::with(tenant).await;
    let token = me_token(&env).await;
    let (session, options) = start(&env, &token).await;
    assert_eq!(options["rp"]["id"], "login.example.com");
    let mut soft = SoftPasskey::new(true);
    // The emulator's own origin is not the custom domain's.
    let response = create(&mut soft, origin(&env), &options);
    let (_, _, refused) = verify(&env, &token, &session, &response).await;
    assert_refused(&refused, "/authn_response", "origin");
    // A desktop client names https://<rp id> (§S5.3 UNCONFIRMED).
    let (session, options) = start(&env, &token).await;
    let custom = Url::parse("https://login.example.com").unwrap();
    let response = create(&mut soft, custom.clone(), &options);
    let (status, _, method) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::CREATED, "{method}");
    assert_eq!(method["relying_party_id"], "login.example.com");

    let (state, options) = challenge(&env).await;
    assert_eq!(options["rpId"], "login.example.com");
    let assertion = get(&mut soft, custom, &options);
    let (status, next) = sign_in_verify(&env, &state, &assertion).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(
        next.starts_with(common::hosted::REDIRECT),
        "straight back to the app: {next}"
    );
    assert!(
        common::hosted::query_param(&next, "code").is_some(),
        "{next}"
    );
}

#[tokio::test]
async fn twenty_passkeys_are_the_most_a_person_keeps() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let mut soft = SoftPasskey::new(true);
    for _ in 0..20 {
        enroll(&env, &token, &mut soft).await;
    }
    assert_eq!(passkeys(&env, &token).await.len(), 20);
    let body = Some(json!({"type": "passkey"}));
    let (status, _, refused) =
        me(&env, Method::POST, "/authentication-methods", &token, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&refused, "/type", "most passkeys");
}

#[test]
fn a_tenant_with_impossible_passkey_settings_does_not_load() {
    let mut bad = tenant();
    bad.settings.passkey_user_verification = "always".into();
    assert!(bad.validate().is_err());
    let mut bad = tenant();
    bad.settings.passkey_rp_id = Some("https://login.example.com".into());
    assert!(bad.validate().is_err());
    let mut bad = tenant();
    bad.settings.passkey_origins = vec!["login.example.com".into()];
    assert!(bad.validate().is_err());
    let mut good = tenant();
    good.settings.passkey_rp_id = Some("login.example.com".into());
    good.settings.passkey_origins = vec!["https://login.example.com".into()];
    good.settings.passkey_user_verification = "required".into();
    assert!(good.validate().is_ok());
}
