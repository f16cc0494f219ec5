//! Passkeys over real HTTP (§S5): enrolled through the My Account API with
//! webauthn-authenticator-rs's software passkey, used on the hosted sign-in page, seen by
//! the Management API (and not by the MFA API), renamed and removed; replayed challenges,
//! wrong origins, wrong RP IDs and a sign counter that goes back are refused.

mod common;

use auth0_emulator::{demo, totp_code};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::hosted::{no_redirects, query_param, REDIRECT, VERIFIER};
use common::passkey::*;
use common::{answer, enc, Env};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use url::Url;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

/// The second factor after the passkey (the demo user's authenticator app), then the code
/// exchange: the token response.
async fn finish_with_totp(env: &Env, state: &str) -> Value {
    // The code of the sign-in that got the My Account token is spent: the next one.
    let now = env.control.advance_clock(30).await.unwrap();
    let code = totp_code(demo::ENROLLED_TOTP_SECRET, now).unwrap();
    let form = [
        ("state", state),
        ("code", code.as_str()),
        ("action", "continue"),
    ];
    let r = no_redirects()
        .post(env.url("/u/mfa"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let code = query_param(&location, "code").unwrap_or_else(|| panic!("{location}"));
    let r = env
        .token_form(&[
            ("grant_type", "authorization_code"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("code", &code),
            ("code_verifier", VERIFIER),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// A 400 problem on `pointer` whose detail names the failed check.
fn assert_refused(body: &Value, pointer: &str, detail: &str) {
    let said = body["validation_errors"][0]["detail"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains(detail), "{body}");
    assert_eq!(body["status"], 400, "{body}");
    assert_eq!(
        body["type"], "https://auth0.com/api-errors/A0E-400-0003",
        "{body}"
    );
    assert_eq!(body["title"], "Validation Error", "{body}");
    assert_eq!(body["validation_errors"][0]["pointer"], pointer, "{body}");
}

#[tokio::test]
async fn a_passkey_is_offered_with_the_creation_options_of_s5_3() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let (session, options) = start(&env, &token).await;
    assert!(session.starts_with("Fe26.2*"), "{session}");
    let keys: Vec<&str> = options
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "authenticatorSelection",
            "challenge",
            "pubKeyCredParams",
            "rp",
            "timeout",
            "user"
        ]
    );
    assert!(
        URL_SAFE_NO_PAD
            .decode(options["challenge"].as_str().unwrap())
            .unwrap()
            .len()
            >= 16
    );
    assert_eq!(options["timeout"], 60000);
    assert_eq!(
        options["rp"],
        json!({"id": "127.0.0.1", "name": demo::TENANT_NAME})
    );
    assert_eq!(
        options["user"]["id"],
        URL_SAFE_NO_PAD.encode(demo::ENROLLED_USER_ID)
    );
    assert_eq!(options["user"]["name"], demo::ENROLLED);
    assert!(options["user"]["displayName"].is_string());
    assert_eq!(
        options["pubKeyCredParams"],
        json!([{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}])
    );
    assert_eq!(
        options["authenticatorSelection"],
        json!({"residentKey": "required", "userVerification": "preferred"})
    );
    // The factors a person may enrol name the passkey as a primary factor.
    let (status, _, factors) = me(&env, Method::GET, "/factors", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    let passkey = json!({"type": "passkey", "usage": ["primary"]});
    assert!(
        factors["factors"].as_array().unwrap().contains(&passkey),
        "{factors}"
    );
}

#[tokio::test]
async fn an_enrolled_passkey_is_listed_by_both_apis_and_signs_in_on_the_hosted_page() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let mut soft = SoftPasskey::new(true);
    let (session, options) = start(&env, &token).await;
    let response = create(&mut soft, origin(&env), &options);
    let (status, location, method) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::CREATED, "{method}");
    let id = method["id"].as_str().unwrap();
    assert!(id.starts_with("passkey|dev_"), "{id}");
    let expected = env.url(&format!("/me/v1/authentication-methods/{}", enc(id)));
    assert_eq!(location.as_deref(), Some(expected.as_str()));
    assert_eq!(method["type"], "passkey");
    assert_eq!(method["confirmed"], true);
    assert_eq!(method["usage"], json!(["primary"]));
    assert_eq!(method["key_id"], response["rawId"]);
    assert_eq!(method["relying_party_id"], "127.0.0.1");
    assert_eq!(
        method["user_handle"],
        URL_SAFE_NO_PAD.encode(demo::ENROLLED_USER_ID)
    );
    assert_eq!(method["identity_user_id"], "64d0c0ffee0000000000a002");
    assert_eq!(method["user_agent"], USER_AGENT);
    assert!(["single_device", "multi_device"]
        .contains(&method["credential_device_type"].as_str().unwrap()));
    assert!(method["credential_backed_up"].is_boolean() && method["created_at"].is_string());
    assert!(!method["public_key"].as_str().unwrap().is_empty());

    let (_, _, listed) = me(
        &env,
        Method::GET,
        "/authentication-methods?type=passkey",
        &token,
        None,
    )
    .await;
    assert_eq!(listed["authentication_methods"], json!([method]));
    let helpdesk = env.helpdesk().await;
    let path = format!(
        "/users/{}/authentication-methods",
        enc(demo::ENROLLED_USER_ID)
    );
    let managed = env.get_json(&path, &helpdesk).await;
    let seen = managed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(seen["type"], "passkey");
    assert_eq!(seen["relying_party_identifier"], "127.0.0.1");
    assert_eq!(seen["key_id"], method["key_id"]);
    assert_eq!(seen["aaguid"].as_str().unwrap().len(), 36);
    let mfa_token = env.mfa_token(demo::ENROLLED).await;
    let mfa_ids: Vec<Value> = env
        .mfa_list(&mfa_token)
        .await
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert!(
        !mfa_ids.contains(&json!(id)),
        "the MFA API lists no passkey: {mfa_ids:?}"
    );

    assert!(seen.get("last_auth_at").is_none(), "not used yet: {seen}");

    // The hosted page: its button, then the challenge names the credential, the assertion
    // replaces the password, the tenant's MFA follows (passkey_skips_mfa is off).
    let state = open_sign_in(&env).await;
    let page = env
        .http
        .get(env.url(&format!("/u/login?state={state}")))
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        page.contains("id=\"passkey\"") && page.contains("/u/passkey/options"),
        "{page}"
    );
    let request = sign_in_options(&env, &state, demo::ENROLLED).await;
    assert_eq!(request["rpId"], "127.0.0.1");
    assert_eq!(request["allowCredentials"][0]["id"], method["key_id"]);
    let assertion = get(&mut soft, origin(&env), &request);
    let (status, next) = sign_in_verify(&env, &state, &assertion).await;
    assert_eq!(
        (status, next.as_str()),
        (StatusCode::FOUND, format!("/u/mfa?state={state}").as_str())
    );
    let tokens = finish_with_totp(&env, &state).await;
    assert!(tokens["id_token"].is_string(), "{tokens}");
    let managed = env.get_json(&path, &helpdesk).await;
    let seen = managed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
        .clone();
    assert!(seen["last_auth_at"].is_string(), "{seen}");
    let service = env
        .token_for(
            demo::HELPDESK_SERVICE_CLIENT_ID,
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
            None,
        )
        .await;
    let logs = env
        .get_json(
            &format!("/users/{}/logs", enc(demo::ENROLLED_USER_ID)),
            &service,
        )
        .await;
    let kinds: Vec<&str> = logs
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"my_account_authentication_method_succeeded"),
        "{kinds:?}"
    );

    // The same assertion on a new sign-in answers an old challenge: refused.
    let state = open_sign_in(&env).await;
    sign_in_options(&env, &state, demo::ENROLLED).await;
    let (status, _) = sign_in_verify(&env, &state, &assertion).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let logs = env
        .get_json(
            &format!("/users/{}/logs", enc(demo::ENROLLED_USER_ID)),
            &service,
        )
        .await;
    assert!(
        logs.as_array().unwrap().iter().any(|e| e["type"] == "f"),
        "{logs}"
    );
    // And that challenge is spent: even a good answer to it now finds nothing.
    let (status, _) = sign_in_verify(&env, &state, &assertion).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_replayed_or_foreign_attestation_is_refused() {
    let env = Env::with(tenant()).await;
    let token = me_token(&env).await;
    let mut soft = SoftPasskey::new(true);
    let (session, options) = start(&env, &token).await;
    let response = create(&mut soft, origin(&env), &options);
    assert_eq!(
        verify(&env, &token, &session, &response).await.0,
        StatusCode::CREATED
    );
    // The auth_session is spent.
    let (status, _, body) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&body, "/auth_session", "invalid or expired");
    // A new enrollment's challenge is not the one the old attestation signed.
    let (session, _) = start(&env, &token).await;
    let (status, _, body) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&body, "/authn_response", "challenge");

    // A page on another origin asked for the credential.
    let (session, options) = start(&env, &token).await;
    let evil = Url::parse("https://login.evil.example").unwrap();
    let response = create(&mut soft, evil, &options);
    let (status, _, body) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&body, "/authn_response", "origin");
    // …which spent the challenge: a right answer to it is refused too.
    let response = create(&mut soft, origin(&env), &options);
    let (_, _, body) = verify(&env, &token, &session, &response).await;
    assert_refused(&body, "/auth_session", "invalid or expired");

    // The authenticator made the credential for another relying party.
    let (session, mut options) = start(&env, &token).await;
    options["rp"]["id"] = json!("evil.example");
    let response = create(&mut soft, origin(&env), &options);
    let (status, _, body) = verify(&env, &token, &session, &response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_refused(&body, "/authn_response", "another relying party");

    let (_, _, listed) = me(
        &env,
        Method::GET,
        "/authentication-methods?type=passkey",
        &token,
        None,
    )
    .await;
    assert_eq!(
        listed["authentication_methods"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
}
