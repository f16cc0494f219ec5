//! The My Account API (§S5) over real HTTP: a browser sign-in's token for
//! `<base>/me/`, every authentication-methods call and `GET /me/v1/factors`, each factor
//! type's enroll and verify, the problem bodies of refusals, and one store shared with the
//! MFA and Management APIs.

mod common;

use auth0_emulator::control_api::Channel;
use auth0_emulator::tenant::{ClientGrant, SubjectType};
use auth0_emulator::{demo, totp_code, Tenant};
use common::hosted::{tokens, SignIn};
use common::{answer, Env, GRANT_RECOVERY};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const ME_SCOPES: &str = "openid create:me:authentication_methods read:me:authentication_methods update:me:authentication_methods delete:me:authentication_methods read:me:factors";

/// The demo tenant with the My Account API activated, with or without the app's user
/// client grant (the demo has one; it is replaced or removed here).
fn tenant(grant: bool) -> Tenant {
    let mut tenant = Tenant::demo();
    tenant.settings.my_account_api = true;
    let app = tenant
        .clients
        .iter_mut()
        .find(|c| c.client_id == demo::PUBLIC_CLIENT_ID)
        .unwrap();
    app.client_grants.retain(|g| g.audience != "/me/");
    if grant {
        app.client_grants.push(ClientGrant {
            audience: "/me/".into(),
            scope: ME_SCOPES.split(' ').skip(1).map(str::to_owned).collect(),
            subject_type: SubjectType::User,
        });
    }
    tenant
}

/// A browser sign-in of the enrolled demo user asking for the My Account API: the token
/// response.
async fn sign_in(env: &Env, scope: &str) -> Value {
    let audience = env.url("/me/");
    let s = SignIn {
        email: demo::ENROLLED,
        totp_secret: Some(demo::ENROLLED_TOTP_SECRET),
        audience: &audience,
        scope,
        extra: "",
    };
    tokens(env, &s).await
}

async fn me_token(env: &Env) -> String {
    sign_in(env, ME_SCOPES).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn me(env: &Env, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
    env.http
        .request(method, env.url(&format!("/me/v1{path}")))
        .bearer_auth(token)
}

async fn send(env: &Env, method: Method, path: &str, token: &str, body: Option<Value>) -> Response {
    let request = me(env, method, path, token);
    match body {
        Some(body) => request.json(&body),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

/// Status, `Location` and body.
async fn call(
    env: &Env,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let r = send(env, method, path, token, body).await;
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let (status, body) = answer(r).await;
    (status, location, body)
}

/// A refusal's problem body: its status, `A0E` type and the pointer of its first validation error.
fn assert_problem(body: &Value, status: u16, pointer: Option<&str>) {
    assert_eq!(body["status"], status, "{body}");
    let kind = body["type"].as_str().unwrap_or_default();
    assert!(
        kind.starts_with(&format!("https://auth0.com/api-errors/A0E-{status}-")),
        "{body}"
    );
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    if let Some(pointer) = pointer {
        assert_eq!(body["validation_errors"][0]["pointer"], pointer, "{body}");
    }
}

/// The id the `Location` header names (its last segment, percent-decoded).
fn location_id(location: &str) -> String {
    let last = location.rsplit('/').next().unwrap();
    percent_encoding::percent_decode_str(last)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// `POST` then the 202's id, `auth_session` and body.
async fn start(env: &Env, token: &str, body: Value) -> (String, String, Value) {
    let (status, location, answer) = call(
        env,
        Method::POST,
        "/authentication-methods",
        token,
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    let id = location_id(&location.expect("Location"));
    assert_eq!(answer["id"], id.as_str());
    let session = answer["auth_session"].as_str().unwrap().to_owned();
    assert!(session.starts_with("Fe26.2*"), "{session}");
    (id, session, answer)
}

async fn verify(
    env: &Env,
    token: &str,
    id: &str,
    body: Value,
) -> (StatusCode, Option<String>, Value) {
    let path = format!("/authentication-methods/{}/verify", common::enc(id));
    call(env, Method::POST, &path, token, Some(body)).await
}

/// The active MFA API authenticators of the enrolled user, by id.
async fn mfa_api_ids(env: &Env) -> Vec<String> {
    let mfa_token = env.mfa_token(demo::ENROLLED).await;
    env.mfa_list(&mfa_token)
        .await
        .iter()
        .filter(|a| a["active"] == true)
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn last_code(env: &Env, channel: Channel) -> String {
    env.control
        .last_message(channel)
        .await
        .unwrap()
        .unwrap()
        .code
}

#[tokio::test]
async fn a_tenant_without_the_api_answers_404_as_recorded() {
    let mut off = Tenant::demo();
    off.settings.my_account_api = false;
    let env = Env::with(off).await;
    let r = env
        .http
        .post(env.url("/me/v1/authentication-methods"))
        .json(&json!({"type": "totp"}))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["type"], "https://auth0.com/api-errors/A0E-404-0001");
    assert_eq!(
        body["detail"],
        "The requested resource POST /me/v1/authentication-methods was not found."
    );
    // Nor is its audience an API: the browser sign-in's code exchange is refused.
    let r = env
        .token_form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", demo::ENROLLED),
            ("password", demo::PASSWORD),
            ("audience", &env.url("/me/")),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error_description"],
        format!("Service not found: {}", env.url("/me/"))
    );
}

#[tokio::test]
async fn scopes_are_what_the_user_client_grant_allows() {
    let env = Env::with(tenant(true)).await;
    let granted = sign_in(&env, ME_SCOPES).await;
    assert_eq!(granted["scope"], ME_SCOPES);
    let env = Env::with(tenant(false)).await;
    let ungranted = sign_in(&env, ME_SCOPES).await;
    assert_eq!(
        ungranted["scope"], "openid",
        "no client grant, no My Account scope"
    );
    let token = ungranted["access_token"].as_str().unwrap();
    let (status, _, body) = call(&env, Method::GET, "/authentication-methods", token, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_problem(&body, 403, None);
}

#[tokio::test]
async fn tokens_are_checked_before_anything_else() {
    let env = Env::with(tenant(true)).await;
    let (status, _, body) = call(&env, Method::GET, "/authentication-methods", "nope", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["type"], "https://auth0.com/api-errors/A0E-401-0001");
    assert_eq!(body["detail"], "Missing or invalid token.");

    let mfa_audience = env.url("/mfa/");
    let s = SignIn {
        email: demo::ENROLLED,
        totp_secret: Some(demo::ENROLLED_TOTP_SECRET),
        audience: &mfa_audience,
        scope: "openid read:authenticators",
        extra: "",
    };
    let mfa_api_token = tokens(&env, &s).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, body) = call(
        &env,
        Method::GET,
        "/authentication-methods",
        &mfa_api_token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "another API's token");
    assert_problem(&body, 401, None);

    env.control.advance_clock(30).await.unwrap(); // a fresh TOTP step for the next sign-in
    let token = me_token(&env).await;
    env.control.advance_clock(86_401).await.unwrap();
    let (status, _, body) = call(&env, Method::GET, "/authentication-methods", &token, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an expired token");
    assert_eq!(body["type"], "https://auth0.com/api-errors/A0E-401-0003");
}

#[tokio::test]
async fn list_get_and_factors_show_the_shared_store() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (status, _, body) = call(&env, Method::GET, "/authentication-methods", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    let methods = body["authentication_methods"].as_array().unwrap();
    let kinds: Vec<&str> = methods
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["totp", "phone", "recovery-code"], "{body}");
    let phone = &methods[1];
    assert_eq!(phone["phone_number"], demo::ENROLLED_PHONE, "not masked");
    assert_eq!(phone["preferred_authentication_method"], "sms");
    assert_eq!(phone["usage"], json!(["secondary"]));
    assert!(phone["id"].as_str().unwrap().starts_with("phone|dev_"));

    let (_, _, only) = call(
        &env,
        Method::GET,
        "/authentication-methods?type=phone",
        &token,
        None,
    )
    .await;
    assert_eq!(only["authentication_methods"].as_array().unwrap().len(), 1);
    let path = format!(
        "/authentication-methods/{}",
        common::enc(phone["id"].as_str().unwrap())
    );
    let (status, _, one) = call(&env, Method::GET, &path, &token, None).await;
    assert_eq!((status, &one), (StatusCode::OK, phone));
    let (status, _, missing) = call(
        &env,
        Method::GET,
        "/authentication-methods/totp%7Cdev_nothere",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_problem(&missing, 404, None);

    let (status, _, factors) = call(&env, Method::GET, "/factors", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    let types: Vec<&str> = factors["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "totp",
            "phone",
            "email",
            "push-notification",
            "recovery-code"
        ]
    );
}

#[tokio::test]
async fn totp_enrolls_verifies_once_and_shows_in_the_mfa_api() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (id, session, body) = start(&env, &token, json!({"type": "totp"})).await;
    assert!(id.starts_with("totp|dev_"));
    let secret = body["manual_input_code"].as_str().unwrap();
    assert!(body["barcode_uri"]
        .as_str()
        .unwrap()
        .contains(&format!("secret={secret}")));
    assert!(
        !mfa_api_ids(&env).await.contains(&id),
        "not active before verify"
    );

    let (status, _, wrong) = verify(
        &env,
        &token,
        &id,
        json!({"auth_session": session, "otp_code": "000000"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&wrong, 400, Some("/otp_code"));

    let code = totp_code(secret, env.control.now().await.unwrap()).unwrap();
    let body = json!({"auth_session": session, "otp_code": code});
    let (status, location, confirmed) = verify(&env, &token, &id, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{confirmed}");
    assert_eq!(location_id(&location.unwrap()), id);
    assert_eq!(confirmed["confirmed"], true);
    assert_eq!(confirmed["type"], "totp");
    assert!(
        mfa_api_ids(&env).await.contains(&id),
        "the MFA API lists it"
    );

    let (status, _, replayed) = verify(&env, &token, &id, body).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an auth_session works once"
    );
    assert_problem(&replayed, 400, Some("/auth_session"));
}

#[tokio::test]
async fn phone_enrolls_with_its_preference_then_is_renamed_switched_and_removed() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    for (body, pointer) in [
        (
            json!({"type": "phone", "phone_number": "555-0100"}),
            "/phone_number",
        ),
        (
            json!({"type": "phone", "phone_number": "+15555550199", "preferred_authentication_method": "fax"}),
            "/preferred_authentication_method",
        ),
        (
            json!({"type": "phone", "phone_number": "+15555550199", "extra": 1}),
            "/extra",
        ),
        (json!({"type": "fax"}), "/type"),
    ] {
        let (status, _, refused) = call(
            &env,
            Method::POST,
            "/authentication-methods",
            &token,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_problem(&refused, 400, Some(pointer));
    }
    assert!(
        env.control.outbox().await.unwrap().is_empty(),
        "nothing sent"
    );

    let body = json!({"type": "phone", "phone_number": "+15555550199", "preferred_authentication_method": "voice"});
    let (id, session, _) = start(&env, &token, body).await;
    let code = last_code(&env, Channel::Voice).await;
    let (status, _, confirmed) = verify(
        &env,
        &token,
        &id,
        json!({"auth_session": session, "otp_code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{confirmed}");
    assert_eq!(confirmed["preferred_authentication_method"], "voice");
    let suffix = id.strip_prefix("phone|").unwrap();
    let listed = mfa_api_ids(&env).await;
    assert!(
        listed.contains(&format!("sms|{suffix}")) && listed.contains(&format!("voice|{suffix}"))
    );

    let path = format!("/authentication-methods/{}", common::enc(&id));
    let patch = json!({"name": "Work phone", "preferred_authentication_method": "sms"});
    let (status, _, patched) = call(&env, Method::PATCH, &path, &token, Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        (
            patched["name"].as_str(),
            patched["preferred_authentication_method"].as_str()
        ),
        (Some("Work phone"), Some("sms"))
    );
    let (status, _, refused) = call(
        &env,
        Method::PATCH,
        &path,
        &token,
        Some(json!({"name": ""})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&refused, 400, Some("/name"));
    let r = me(&env, Method::PATCH, &path, &token)
        .body("name=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let r = send(&env, Method::DELETE, &path, &token, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let listed = mfa_api_ids(&env).await;
    assert!(
        !listed.iter().any(|a| a.ends_with(suffix)),
        "both channels went: {listed:?}"
    );
    let r = send(&env, Method::DELETE, &path, &token, None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn email_and_push_enroll_and_verify() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (status, _, refused) = call(
        &env,
        Method::POST,
        "/authentication-methods",
        &token,
        Some(json!({"type": "email", "email": "not an address"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&refused, 400, Some("/email"));
    let (id, session, _) = start(
        &env,
        &token,
        json!({"type": "email", "email": "ana@example.com"}),
    )
    .await;
    let code = last_code(&env, Channel::Email).await;
    let (status, _, confirmed) = verify(
        &env,
        &token,
        &id,
        json!({"auth_session": session, "otp_code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(confirmed["email"], "ana@example.com");

    let (id, session, body) = start(&env, &token, json!({"type": "push-notification"})).await;
    assert!(body["barcode_uri"]
        .as_str()
        .unwrap()
        .contains("enrollment_tx_id="));
    let (status, _, early) = verify(&env, &token, &id, json!({"auth_session": session})).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "Guardian has not answered yet"
    );
    assert_problem(&early, 400, None);
    env.control
        .approve_push(None)
        .await
        .unwrap()
        .expect("a pending push");
    let (status, _, confirmed) = verify(&env, &token, &id, json!({"auth_session": session})).await;
    assert_eq!(status, StatusCode::CREATED, "{confirmed}");
    assert_eq!(confirmed["type"], "push-notification");
    assert!(mfa_api_ids(&env).await.contains(&id));
}

#[tokio::test]
async fn a_new_recovery_code_replaces_a_removed_one_and_signs_in() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (status, _, refused) = call(
        &env,
        Method::POST,
        "/authentication-methods",
        &token,
        Some(json!({"type": "recovery-code"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "one recovery code at a time"
    );
    assert_problem(&refused, 400, Some("/type"));

    let (_, _, list) = call(
        &env,
        Method::GET,
        "/authentication-methods?type=recovery-code",
        &token,
        None,
    )
    .await;
    let old = list["authentication_methods"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = send(
        &env,
        Method::DELETE,
        &format!("/authentication-methods/{}", common::enc(&old)),
        &token,
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (id, session, body) = start(&env, &token, json!({"type": "recovery-code"})).await;
    let code = body["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 24);
    let (status, _, _) = verify(
        &env,
        &token,
        &id,
        json!({"auth_session": session, "otp_code": "1"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a recovery code's verify takes no code"
    );
    let (status, _, _) = verify(&env, &token, &id, json!({"auth_session": session})).await;
    assert_eq!(status, StatusCode::CREATED);

    let mfa_token = env.mfa_token(demo::ENROLLED).await;
    let r = env
        .token_form(&[
            ("grant_type", GRANT_RECOVERY),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", &mfa_token),
            ("recovery_code", &code),
        ])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the MFA API accepts the new code"
    );
}

#[tokio::test]
async fn an_auth_session_expires_and_belongs_to_its_method() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (id, session, body) = start(&env, &token, json!({"type": "totp"})).await;
    let (other, _, _) = start(&env, &token, json!({"type": "totp"})).await;
    let secret = body["manual_input_code"].as_str().unwrap();
    let code = totp_code(secret, env.control.now().await.unwrap()).unwrap();
    let (status, _, _) = verify(
        &env,
        &token,
        &other,
        json!({"auth_session": session, "otp_code": code}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "another method's auth_session"
    );
    env.control.advance_clock(301).await.unwrap();
    let code = totp_code(secret, env.control.now().await.unwrap()).unwrap();
    let (status, _, expired) = verify(
        &env,
        &token,
        &id,
        json!({"auth_session": session, "otp_code": code}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "expired after five minutes"
    );
    assert_problem(&expired, 400, Some("/auth_session"));
}

#[tokio::test]
async fn bodies_must_be_json_and_errors_take_the_tenant_s_content_type() {
    let mut problem_json = tenant(true);
    problem_json.settings.my_account_error_content_type = "application/problem+json".into();
    for (tenant, content_type) in [
        (tenant(true), "application/json"),
        (problem_json, "application/problem+json"),
    ] {
        let env = Env::with(tenant).await;
        let token = me_token(&env).await;
        let r = me(&env, Method::POST, "/authentication-methods", &token)
            .header("content-type", "text/plain")
            .body(r#"{"type":"totp"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(r.headers()["content-type"], content_type);
        let (_, body) = answer(r).await;
        assert_problem(&body, 415, None);
    }
}

#[tokio::test]
async fn an_unknown_path_under_me_is_a_404_problem() {
    let env = Env::with(tenant(true)).await;
    let token = me_token(&env).await;
    let (status, _, body) = call(&env, Method::GET, "/consents", &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["detail"],
        "The requested resource GET /me/v1/consents was not found."
    );
}
