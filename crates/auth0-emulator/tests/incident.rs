//! §S4: incident response in the Management API, as the helpdesk service
//! uses it: the tenant log, sessions, refresh tokens, blocks, enrollments.

mod common;

use auth0_emulator::{demo, totp_code};
use common::hosted::{self, SignIn};
use common::jwt::claims;
use common::{answer, enc, Env, GRANT_OTP};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn service(env: &Env) -> String {
    env.token_for(
        demo::HELPDESK_SERVICE_CLIENT_ID,
        demo::HELPDESK_SERVICE_CLIENT_SECRET,
        None,
    )
    .await
}

fn types(logs: &Value) -> Vec<&str> {
    logs.as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect()
}

async fn password(env: &Env, email: &str, password: &str, scope: &str) -> (StatusCode, Value) {
    let r = env
        .token_form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", email),
            ("password", password),
            ("audience", &env.url("/mfa/")),
            ("scope", scope),
        ])
        .await;
    answer(r).await
}

/// Password, then the authenticator app: the token body.
async fn sign_in_with_otp(env: &Env, email: &str, secret: &str, scope: &str) -> Value {
    let (_, body) = password(env, email, demo::PASSWORD, scope).await;
    let mfa_token = body["mfa_token"].as_str().expect("mfa_required").to_owned();
    let now = env.control.now().await.unwrap();
    let otp = totp_code(secret, now).unwrap();
    let r = env
        .token_form(&[
            ("grant_type", GRANT_OTP),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", &mfa_token),
            ("otp", &otp),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn refresh(env: &Env, token: &str) -> (StatusCode, Value) {
    let r = env
        .token_form(&[
            ("grant_type", "refresh_token"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("refresh_token", token),
        ])
        .await;
    answer(r).await
}

#[tokio::test]
async fn the_log_records_what_the_emulator_did_with_auth0s_codes() {
    let env = Env::new().await;
    let token = service(&env).await;
    let (status, _) = password(&env, "nobody@example.com", "x", "openid").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    password(&env, demo::ENROLLED, "wrong", "openid").await;
    // Wrong code, then the right one; then the recovery code on a second sign-in.
    let (_, body) = password(&env, demo::ENROLLED, demo::PASSWORD, "openid").await;
    let mfa_token = body["mfa_token"].as_str().unwrap().to_owned();
    let form = [
        ("grant_type", GRANT_OTP),
        ("client_id", demo::PUBLIC_CLIENT_ID),
        ("mfa_token", mfa_token.as_str()),
        ("otp", "000000"),
    ];
    assert_eq!(env.token_form(&form).await.status(), StatusCode::FORBIDDEN);
    sign_in_with_otp(&env, demo::ENROLLED, demo::ENROLLED_TOTP_SECRET, "openid").await;
    let (_, body) = password(&env, demo::ENROLLED, demo::PASSWORD, "openid").await;
    let r = env
        .token_form(&[
            ("grant_type", common::GRANT_RECOVERY),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", body["mfa_token"].as_str().unwrap()),
            ("recovery_code", demo::ENROLLED_RECOVERY_CODE),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A Management API change.
    let path = format!(
        "/users/{}/recovery-code-regeneration",
        enc(demo::ENROLLED_USER_ID)
    );
    let r = env.api(Method::POST, &path, &token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let logs = env
        .get_json(
            &format!("/users/{}/logs?sort=date:1", enc(demo::ENROLLED_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(
        types(&logs),
        [
            "fp",
            "mfar",
            "gd_auth_failed",
            "mfar",
            "gd_auth_succeed",
            "s",
            "mfar",
            "gd_recovery_succeed",
            "gd_auth_succeed",
            "s",
            "sapi"
        ]
    );
    let fp = &logs[0];
    assert_eq!(fp["description"], "Wrong email or password.");
    assert_eq!(fp["user_name"], demo::ENROLLED);
    assert_eq!(fp["client_id"], demo::PUBLIC_CLIENT_ID);
    assert_eq!(fp["connection"], "Username-Password-Authentication");
    assert_eq!(fp["_id"], fp["log_id"]);
    assert_eq!(fp["log_id"].as_str().unwrap().len(), 56);
    assert!(fp["log_id"]
        .as_str()
        .unwrap()
        .chars()
        .all(|c| c.is_ascii_digit()));
    assert!(fp["date"].as_str().unwrap().ends_with('Z'));
    for key in [
        "isMobile",
        "user_agent",
        "ip",
        "details",
        "audience",
        "location_info",
        "strategy",
    ] {
        assert!(fp.get(key).is_some(), "{key} in {fp}");
    }
    let sapi = &logs[10];
    assert_eq!(sapi["details"]["request"]["method"], "post");
    assert_eq!(sapi["details"]["response"]["statusCode"], 200);

    // Newest first by default, and `q` / `search` queries on the whole tenant.
    let newest = env
        .get_json(
            &format!("/users/{}/logs", enc(demo::ENROLLED_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(types(&newest)[0], "sapi");
    let q = "type:\"fu\"";
    let fu = env
        .get_json(&format!("/logs?q={}", urlenc(q)), &token)
        .await;
    assert_eq!(types(&fu), ["fu"]);
    assert_eq!(fu[0]["details"]["username"], "nobody@example.com");
    let query = format!("user_id:\"{}\" AND type:gd_*", demo::ENROLLED_USER_ID);
    let gd = env
        .get_json(
            &format!(
                "/logs?search={}&include_totals=true&per_page=2",
                urlenc(&query)
            ),
            &token,
        )
        .await;
    assert_eq!(
        (
            gd["total"].as_u64(),
            gd["length"].as_u64(),
            gd["limit"].as_u64()
        ),
        (Some(4), Some(2), Some(2))
    );
    assert!(types(&gd["logs"]).iter().all(|t| t.starts_with("gd_")));
    // The client-credentials exchange of the service's own token is there too.
    let seccft = env
        .get_json(&format!("/logs?q={}", urlenc("type:seccft")), &token)
        .await;
    assert_eq!(seccft[0]["client_id"], demo::HELPDESK_SERVICE_CLIENT_ID);
    assert_eq!(seccft[0]["audience"], env.management_audience());

    // Checkpoint paging: everything after a log_id, oldest first.
    let first = env.get_json("/logs?from=&take=3", &token).await;
    assert_eq!(first.as_array().unwrap().len(), 3);
    let from = first[2]["log_id"].as_str().unwrap();
    let next = env
        .get_json(&format!("/logs?from={from}&take=100"), &token)
        .await;
    assert!(next
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["log_id"].as_str().unwrap() > from));
    let one = env.get_json(&format!("/logs/{from}"), &token).await;
    assert_eq!(one["log_id"], from);

    // Scope: a token without read:logs is refused.
    let readonly = env.readonly().await;
    let r = env
        .api(Method::GET, "/logs", &readonly)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["message"],
        "Insufficient scope, expected any of: read:logs,read:logs_users"
    );
}

fn urlenc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn push_sms_rate_limits_and_ciba_are_logged() {
    let env = Env::new().await;
    let token = service(&env).await;
    // A push sign-in the user denies.
    let (_, body) = password(&env, demo::PUSH_USER, demo::PASSWORD, "openid").await;
    let r = env
        .http
        .post(env.url("/mfa/challenge"))
        .json(
            &json!({"client_id": demo::PUBLIC_CLIENT_ID, "mfa_token": body["mfa_token"],
                      "challenge_type": "oob", "authenticator_id": "push|dev_DemoPushPushUser"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    env.control.deny_push(None).await.unwrap().unwrap();
    // An SMS code.
    let (_, body) = password(&env, demo::PHONE_ONLY, demo::PASSWORD, "openid").await;
    let r = env
        .http
        .post(env.url("/mfa/challenge"))
        .json(
            &json!({"client_id": demo::PUBLIC_CLIENT_ID, "mfa_token": body["mfa_token"],
                      "challenge_type": "oob"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Ten wrong passwords block the new hire.
    for _ in 0..10 {
        password(&env, demo::NEW_HIRE, "wrong", "openid").await;
    }
    // A CIBA request.
    let hint =
        json!({"format":"iss_sub","iss":env.url("/"),"sub":demo::PUSH_USER_USER_ID}).to_string();
    let r = env
        .http
        .post(env.url("/bc-authorize"))
        .form(&[
            ("client_id", demo::HELPDESK_SERVICE_CLIENT_ID),
            ("client_secret", demo::HELPDESK_SERVICE_CLIENT_SECRET),
            ("login_hint", hint.as_str()),
            ("scope", "openid"),
            ("binding_message", "call 7"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let push = env
        .get_json(
            &format!("/users/{}/logs?sort=date:1", enc(demo::PUSH_USER_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(
        types(&push),
        [
            "mfar",
            "gd_send_pn",
            "gd_auth_rejected",
            "gd_send_pn",
            "ciba_start_succeeded"
        ]
    );
    assert_eq!(push[4]["details"]["notification_channel"], "guardian-push");
    let sms = env
        .get_json(
            &format!("/users/{}/logs?sort=date:1", enc(demo::PHONE_ONLY_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(types(&sms), ["mfar", "gd_send_sms"]);
    let hire = env
        .get_json(
            &format!("/users/{}/logs", enc(demo::NEW_HIRE_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(types(&hire)[..2], ["limit_wc", "fp"]);
}

#[tokio::test]
async fn deleting_sessions_and_refresh_tokens_ends_them() {
    let env = Env::new().await;
    let token = service(&env).await;
    let sign_in = SignIn {
        email: demo::ENROLLED,
        totp_secret: Some(demo::ENROLLED_TOTP_SECRET),
        audience: &env.url("/mfa/"),
        scope: "openid offline_access",
        extra: "",
    };
    let body = hosted::tokens(&env, &sign_in).await;
    let sid = claims(body["id_token"].as_str().unwrap())["sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    env.control.advance_clock(30).await.unwrap();
    let body = sign_in_with_otp(
        &env,
        demo::ENROLLED,
        demo::ENROLLED_TOTP_SECRET,
        "openid offline_access",
    )
    .await;
    let app_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(refresh(&env, &app_refresh).await.0, StatusCode::OK);

    let sessions_path = format!("/users/{}/sessions", enc(demo::ENROLLED_USER_ID));
    let sessions = env.get_json(&sessions_path, &token).await;
    assert_eq!(sessions["sessions"].as_array().unwrap().len(), 1);
    let s = &sessions["sessions"][0];
    assert_eq!(s["id"], sid.as_str());
    assert_eq!(s["clients"], json!([{"client_id": demo::PUBLIC_CLIENT_ID}]));
    let methods: Vec<&str> = s["authentication"]["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["pwd", "mfa"]);

    let tokens_path = format!("/users/{}/refresh-tokens", enc(demo::ENROLLED_USER_ID));
    let tokens = env.get_json(&tokens_path, &token).await;
    let listed = tokens["tokens"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["session_id"], sid.as_str());
    assert_eq!(
        listed[0]["resource_servers"][0]["audience"],
        env.url("/mfa/")
    );
    assert!(listed[1]["last_exchanged_at"].is_string());

    // Sessions go; refresh tokens survive that (§S4.2).
    let r = env
        .api(Method::DELETE, &sessions_path, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(
        env.get_json(&sessions_path, &token).await,
        json!({"sessions": []})
    );
    assert_eq!(refresh(&env, &browser_refresh).await.0, StatusCode::OK);

    let r = env
        .api(Method::DELETE, &tokens_path, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    for rt in [&browser_refresh, &app_refresh] {
        let (status, body) = refresh(&env, rt).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"], "invalid_grant");
    }
    assert_eq!(
        env.get_json(&tokens_path, &token).await,
        json!({"tokens": []})
    );

    // Each needs its own scope.
    let readonly = env.readonly().await;
    for (method, path, scope) in [
        (Method::DELETE, &sessions_path, "delete:sessions"),
        (Method::DELETE, &tokens_path, "delete:refresh_tokens"),
        (Method::GET, &sessions_path, "read:sessions"),
    ] {
        let (status, body) = answer(env.api(method, path, &readonly).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body["message"],
            format!("Insufficient scope, expected any of: {scope}")
        );
    }
}

#[tokio::test]
async fn a_blocked_user_cannot_sign_in_or_refresh() {
    let env = Env::new().await;
    let token = service(&env).await;
    let body = sign_in_with_otp(
        &env,
        demo::ENROLLED,
        demo::ENROLLED_TOTP_SECRET,
        "openid offline_access",
    )
    .await;
    let rt = body["refresh_token"].as_str().unwrap().to_owned();
    let user_path = format!("/users/{}", enc(demo::ENROLLED_USER_ID));

    let r = env
        .api(Method::PATCH, &user_path, &token)
        .json(&json!({"blocked": true}))
        .send()
        .await
        .unwrap();
    let (status, user) = answer(r).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (user["blocked"].as_bool(), user["email"].as_str()),
        (Some(true), Some(demo::ENROLLED))
    );

    let (status, body) = password(&env, demo::ENROLLED, demo::PASSWORD, "openid").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"error":"unauthorized","error_description":"user is blocked"})
    );
    let (status, body) = refresh(&env, &rt).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error":"invalid_grant","error_description":"user is blocked"})
    );
    let sign_in = SignIn {
        email: demo::ENROLLED,
        totp_secret: None,
        audience: &env.url("/mfa/"),
        scope: "openid",
        extra: "",
    };
    let location = hosted::callback(&env, &sign_in).await;
    assert_eq!(
        hosted::query_param(&location, "error").as_deref(),
        Some("unauthorized")
    );
    assert_eq!(
        hosted::query_param(&location, "error_description").as_deref(),
        Some("user is blocked")
    );
    let logs = env.get_json(&format!("{user_path}/logs"), &token).await;
    assert_eq!(logs[0]["type"], "f");
    assert_eq!(logs[0]["description"], "user is blocked");

    // user-blocks lists and clears brute-force blocks only, never the admin block.
    let r = env
        .api(
            Method::DELETE,
            &format!("/user-blocks/{}", enc(demo::ENROLLED_USER_ID)),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        password(&env, demo::ENROLLED, demo::PASSWORD, "openid")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let r = env
        .api(Method::PATCH, &user_path, &token)
        .json(&json!({"blocked": false}))
        .send()
        .await
        .unwrap();
    let (status, user) = answer(r).await;
    assert_eq!(status, StatusCode::OK);
    assert!(user.get("blocked").is_none(), "{user}");
    assert_eq!(refresh(&env, &rt).await.0, StatusCode::OK);

    let r = env
        .api(Method::PATCH, &user_path, &token)
        .json(&json!({"email": "x@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let readonly = env.readonly().await;
    let r = env
        .api(Method::PATCH, &user_path, &readonly)
        .json(&json!({"blocked": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn user_blocks_list_and_clear_brute_force_blocks() {
    let env = Env::new().await;
    let token = service(&env).await;
    for _ in 0..10 {
        password(&env, demo::NEW_HIRE, "wrong", "openid").await;
    }
    let (status, body) = password(&env, demo::NEW_HIRE, demo::PASSWORD, "openid").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );

    let by_id = format!("/user-blocks?identifier={}", urlenc(demo::NEW_HIRE));
    let blocks = env.get_json(&by_id, &token).await;
    assert_eq!(
        blocks,
        json!({"blocked_for":[{"identifier": demo::NEW_HIRE, "ip": "127.0.0.1", "connection": "Username-Password-Authentication"}]})
    );
    let by_user = format!("/user-blocks/{}", enc(demo::NEW_HIRE_USER_ID));
    assert_eq!(env.get_json(&by_user, &token).await, blocks);
    let r = env
        .api(Method::DELETE, &by_id, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        env.get_json(&by_user, &token).await,
        json!({"blocked_for": []})
    );
    assert_ne!(
        password(&env, demo::NEW_HIRE, demo::PASSWORD, "openid")
            .await
            .0,
        StatusCode::TOO_MANY_REQUESTS
    );

    let r = env
        .api(Method::GET, "/user-blocks/auth0%7Cnobody", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = env
        .api(Method::GET, "/user-blocks", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn enrollments_list_guardian_factors_with_iso_dates() {
    let env = Env::new().await;
    let token = service(&env).await;
    let list = env
        .get_json(
            &format!("/users/{}/enrollments", enc(demo::PUSH_USER_USER_ID)),
            &token,
        )
        .await;
    let kinds: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["auth_method"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("pn", "guardian"), ("authenticator", "authenticator")]
    );
    assert_eq!(list[0]["id"], "dev_DemoPushPushUser");
    assert_eq!(list[0]["status"], "confirmed");
    assert!(list[0]["enrolled_at"].as_str().unwrap().ends_with('Z'));
    let phone = env
        .get_json(
            &format!("/users/{}/enrollments", enc(demo::PHONE_ONLY_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(phone[0]["phone_number"], "XXXXXXXX0188");
    let none = env
        .get_json(
            &format!("/users/{}/enrollments", enc(demo::NEW_HIRE_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(none, json!([]));
}
