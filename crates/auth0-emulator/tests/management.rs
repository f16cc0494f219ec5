//! The Management API over real HTTP: the M2M token, bearer and scope checks,
//! users, and the errors of spec §12.3 word for word.

mod common;

use auth0_emulator::demo;
use base64::Engine as _;
use common::{answer, enc, Env};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn client_credentials_token() {
    let env = Env::new().await;
    let audience = env.management_audience();
    let r = env
        .m2m(&[
            ("client_id", demo::HELPDESK_CLIENT_ID),
            ("client_secret", demo::HELPDESK_CLIENT_SECRET),
            ("audience", &audience),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.unwrap();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["access_token", "expires_in", "scope", "token_type"],
        "{body}"
    );
    assert_eq!(body["expires_in"], 86400);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], demo::HELPDESK_SCOPES.join(" "));
    let c = claims(body["access_token"].as_str().unwrap());
    assert_eq!(c["aud"], audience);
    assert_eq!(c["sub"], format!("{}@clients", demo::HELPDESK_CLIENT_ID));
    assert_eq!(c["gty"], "client-credentials");
    assert_eq!(
        c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
        86400
    );

    // JSON with absent parameters as null (what Fern SDKs send), and a scope subset.
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .json(&json!({"grant_type": "client_credentials",
                      "client_id": demo::HELPDESK_READONLY_CLIENT_ID,
                      "client_secret": demo::HELPDESK_READONLY_CLIENT_SECRET,
                      "audience": audience, "scope": "read:users", "organization": null}))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, &body["scope"]),
        (StatusCode::OK, &json!("read:users"))
    );

    // HTTP Basic client authentication.
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .basic_auth(
            demo::HELPDESK_READONLY_CLIENT_ID,
            Some(demo::HELPDESK_READONLY_CLIENT_SECRET),
        )
        .form(&[
            ("grant_type", "client_credentials"),
            ("audience", &audience),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["scope"], "read:users read:authentication_methods");
}

#[tokio::test]
async fn client_credentials_errors() {
    let env = Env::new().await;
    let audience = env.management_audience();
    let unauthorized = json!({"error": "access_denied", "error_description": "Unauthorized"});
    for (id, secret) in [(demo::HELPDESK_CLIENT_ID, "wrong"), ("no-such-client", "x")] {
        let r = env
            .m2m(&[
                ("client_id", id),
                ("client_secret", secret),
                ("audience", &audience),
            ])
            .await;
        assert_eq!(
            answer(r).await,
            (StatusCode::UNAUTHORIZED, unauthorized.clone())
        );
    }

    let r = env
        .m2m(&[
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("audience", &audience),
        ])
        .await;
    assert_eq!(
        answer(r).await,
        (
            StatusCode::FORBIDDEN,
            json!({"error": "unauthorized_client",
                   "error_description": "Grant type 'client_credentials' not allowed for the client.",
                   "error_uri": "https://auth0.com/docs/clients/client-grant-types"})
        )
    );

    let env = &env;
    let helpdesk = |audience: String| async move {
        let r = env
            .m2m(&[
                ("client_id", demo::HELPDESK_CLIENT_ID),
                ("client_secret", demo::HELPDESK_CLIENT_SECRET),
                ("audience", &audience),
            ])
            .await;
        answer(r).await
    };
    // An API that exists but the client has no grant for.
    let mfa_api = env.url("/mfa/");
    let (status, body) = helpdesk(mfa_api.clone()).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &json!("access_denied"))
    );
    assert_eq!(
        body["error_description"],
        format!("Client \"mfa-desk-helpdesk\" is not authorized to access resource server \"{mfa_api}\". You need to create a \"client-grant\" associated to this API.")
    );
    let (status, body) = helpdesk("https://elsewhere.example/api".into()).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &json!("access_denied"))
    );
    let (status, body) = helpdesk(String::new()).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &json!("access_denied"))
    );

    // Scopes beyond the grant.
    let r = env
        .m2m(&[
            ("client_id", demo::HELPDESK_READONLY_CLIENT_ID),
            ("client_secret", demo::HELPDESK_READONLY_CLIENT_SECRET),
            ("audience", &audience),
            ("scope", "read:users update:users"),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::FORBIDDEN, &json!("access_denied"))
    );
    assert_eq!(
        body["error_description"],
        "Client has not been granted scopes: update:users"
    );
}

#[tokio::test]
async fn bearer_checks_answer_boom_errors() {
    let env = Env::new().await;
    let path = format!("/users/{}", enc(demo::ENROLLED_USER_ID));
    let url = env.url(&format!("/api/v2{path}"));
    let get = |auth: Option<String>| {
        let mut req = env.http.get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move { answer(req.send().await.unwrap()).await }
    };

    assert_eq!(
        get(None).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({"statusCode": 401, "error": "Unauthorized", "message": "Missing authentication"})
        )
    );
    let bad_format = (
        StatusCode::BAD_REQUEST,
        json!({"statusCode": 400, "error": "Bad Request",
               "message": "Bad HTTP authentication header format", "errorCode": "Bearer"}),
    );
    let mfa_token = env.mfa_token(demo::ENROLLED).await;
    assert_eq!(get(Some(format!("Bearer {mfa_token}"))).await, bad_format);
    assert_eq!(get(Some("Basic dXNlcjpwdw==".into())).await, bad_format);

    // A token the tenant never signed: its signature cannot verify.
    let token = env.helpdesk().await;
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[2] = "c2lnbmF0dXJl";
    let (status, body) = get(Some(format!("Bearer {}", parts.join(".")))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["message"],
        "Invalid signature received for JSON Web Token validation"
    );
    let (status, body) = get(Some("Bearer a.b.c".into())).await;
    assert_eq!(
        (status, &body["message"]),
        (StatusCode::UNAUTHORIZED, &json!("Invalid token"))
    );

    // An MFA API access token: a good JWT for another audience.
    let audience = env.url("/mfa/");
    let mfa = env.http.post(env.url("/oauth/token")).form(&[
        ("grant_type", "password"),
        ("client_id", demo::PUBLIC_CLIENT_ID),
        ("username", demo::HELPDESK_AGENT),
        ("password", demo::PASSWORD),
        ("audience", &audience),
        ("scope", "read:authenticators"),
    ]);
    let mfa_token: Value = mfa.send().await.unwrap().json().await.unwrap();
    let now = env.control.now().await.unwrap();
    let otp = auth0_emulator::totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
    let tokens: Value = env
        .token_form(&[
            ("grant_type", common::GRANT_OTP),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", mfa_token["mfa_token"].as_str().unwrap()),
            ("otp", &otp),
        ])
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        get(Some(format!("Bearer {access}"))).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({"statusCode": 401, "error": "Unauthorized",
                   "message": format!("Bad audience: {audience}"),
                   "attributes": {"error": format!("Bad audience: {audience}")}})
        )
    );

    // And a Management token is no MFA API token.
    let r = env
        .http
        .get(env.url("/mfa/authenticators"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Expiry, on the virtual clock.
    assert_eq!(get(Some(format!("Bearer {token}"))).await.0, StatusCode::OK);
    env.control.advance_clock(86_400).await.unwrap();
    let (status, body) = get(Some(format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["message"],
        "Expired token received for JSON Web Token validation"
    );
}

#[tokio::test]
async fn every_endpoint_checks_its_scope() {
    let env = Env::new().await;
    let readonly = env.readonly().await;
    let user = enc(demo::ENROLLED_USER_ID);
    let cases = [
        (
            Method::DELETE,
            format!("/users/{user}/authentication-methods/totp%7Cdev_DemoTotpEnrolled"),
            "delete:authentication_methods",
        ),
        (
            Method::DELETE,
            format!("/users/{user}/authentication-methods"),
            "delete:authentication_methods",
        ),
        (
            Method::DELETE,
            format!("/users/{user}/authenticators"),
            "delete:guardian_enrollments",
        ),
        (
            Method::POST,
            format!("/users/{user}/recovery-code-regeneration"),
            "update:users",
        ),
        (
            Method::POST,
            format!("/users/{user}/multifactor/actions/invalidate-remember-browser"),
            "update:users",
        ),
        (
            Method::POST,
            "/guardian/enrollments/ticket".to_string(),
            "create:guardian_enrollment_tickets",
        ),
    ];
    for (method, path, scope) in cases {
        let r = env
            .api(method.clone(), &path, &readonly)
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer(r).await,
            (
                StatusCode::FORBIDDEN,
                json!({"statusCode": 403, "error": "Forbidden",
                       "message": format!("Insufficient scope, expected any of: {scope}"),
                       "errorCode": "insufficient_scope"})
            ),
            "{method} {path}"
        );
    }
    // Reads need their own scope too.
    let methods_only = env
        .token_for(
            demo::HELPDESK_CLIENT_ID,
            demo::HELPDESK_CLIENT_SECRET,
            Some("read:authentication_methods"),
        )
        .await;
    for path in [
        format!("/users-by-email?email={}", demo::ENROLLED),
        format!("/users/{user}"),
    ] {
        let r = env
            .api(Method::GET, &path, &methods_only)
            .send()
            .await
            .unwrap();
        let (status, body) = answer(r).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body["message"],
            "Insufficient scope, expected any of: read:users"
        );
    }
    let users_only = env
        .token_for(
            demo::HELPDESK_CLIENT_ID,
            demo::HELPDESK_CLIENT_SECRET,
            Some("read:users"),
        )
        .await;
    let r = env
        .api(
            Method::GET,
            &format!("/users/{user}/authentication-methods"),
            &users_only,
        )
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["message"],
        "Insufficient scope, expected any of: read:authentication_methods"
    );
}

fn is_iso8601_millis(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[23] == b'Z'
        && s.bytes().filter(u8::is_ascii_digit).count() == 17
}

#[tokio::test]
async fn users_by_email_and_by_id() {
    let env = Env::new().await;
    let token = env.readonly().await;
    let found = env
        .get_json(&format!("/users-by-email?email={}", demo::ENROLLED), &token)
        .await;
    let users = found.as_array().unwrap();
    assert_eq!(users.len(), 1);
    let u = &users[0];
    assert_eq!(u["user_id"], demo::ENROLLED_USER_ID);
    assert_eq!(u["email"], demo::ENROLLED);
    assert_eq!(u["email_verified"], true);
    assert_eq!(u["name"], demo::ENROLLED);
    assert_eq!(u["nickname"], "enrolled");
    assert!(u["picture"].as_str().unwrap().starts_with("https://"));
    for key in ["created_at", "updated_at"] {
        assert!(is_iso8601_millis(u[key].as_str().unwrap()), "{key}: {u}");
    }
    assert!(u.get("last_login").is_none(), "never signed in: {u}");
    assert_eq!(
        u["identities"],
        json!([{"connection": "Username-Password-Authentication",
                "user_id": "64d0c0ffee0000000000a002", "provider": "auth0", "isSocial": false}])
    );
    let id = u["user_id"].as_str().unwrap();
    assert!(id.len() == 30 && id[6..].bytes().all(|b| b.is_ascii_hexdigit()));

    // Exact and case-sensitive; [] when none; email required.
    let upper = env
        .get_json("/users-by-email?email=ENROLLED%40example.com", &token)
        .await;
    assert_eq!(upper, json!([]));
    let r = env
        .api(Method::GET, "/users-by-email", &token)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorCode"], "invalid_query_string");

    // By id, `|` raw or percent-encoded; fields.
    let raw = env.get_json(&format!("/users/{id}"), &token).await;
    let encoded = env.get_json(&format!("/users/{}", enc(id)), &token).await;
    assert_eq!(raw, encoded);
    assert_eq!(&raw, u);
    let some = env
        .get_json(&format!("/users/{}?fields=user_id,email", enc(id)), &token)
        .await;
    assert_eq!(some, json!({"user_id": id, "email": demo::ENROLLED}));
    let without = env
        .get_json(
            &format!("/users/{}?fields=identities&include_fields=false", enc(id)),
            &token,
        )
        .await;
    assert!(without.get("identities").is_none() && without.get("email").is_some());

    // A sign-in shows as last_login.
    env.mfa_token(demo::ENROLLED).await;
    let after = env.get_json(&format!("/users/{}", enc(id)), &token).await;
    assert!(is_iso8601_millis(after["last_login"].as_str().unwrap()));
    assert_eq!(after["logins_count"], 1);

    let r = env
        .api(
            Method::GET,
            "/users/auth0%7C000000000000000000000000",
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(r).await,
        (
            StatusCode::NOT_FOUND,
            json!({"statusCode": 404, "error": "Not Found",
                   "message": "The user does not exist.", "errorCode": "inexistent_user"})
        )
    );
    // Every Management answer says charset, and unknown paths are Boom 404s.
    let r = env
        .api(Method::GET, "/nothing-here", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, &body["statusCode"]),
        (StatusCode::NOT_FOUND, &json!(404))
    );
}
