//! Authentication methods over the Management API, and the one user store
//! behind it and the MFA API: what the helpdesk removes or regenerates is
//! what the user meets at the next sign-in.

mod common;

use auth0_emulator::control_api::Channel;
use auth0_emulator::demo;
use common::{answer, enc, Env, GRANT_OOB, GRANT_RECOVERY};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn methods_path(user_id: &str) -> String {
    format!("/users/{}/authentication-methods", enc(user_id))
}

#[tokio::test]
async fn lists_methods_as_the_management_api_shows_them() {
    let env = Env::new().await;
    let token = env.readonly().await;
    let list = env
        .get_json(&methods_path(demo::ENROLLED_USER_ID), &token)
        .await;
    let list = list.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids[..2],
        [demo::ENROLLED_TOTP_ID, "phone|dev_DemoPhoneEnrolld"]
    );
    assert!(ids[2].starts_with("recovery-code|dev_"), "{ids:?}");
    assert_eq!(ids.len(), 3);
    for m in list {
        assert_eq!(m["confirmed"], true);
        assert!(m["created_at"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(list[0]["type"], "totp");
    let phone = &list[1];
    let created = phone["created_at"].clone();
    assert_eq!(
        phone,
        &json!({"id": "phone|dev_DemoPhoneEnrolld", "type": "phone", "confirmed": true,
                "phone_number": "XXXXXXXX0123", "preferred_authentication_method": "sms",
                "authentication_methods": [{"id": "sms|dev_DemoPhoneEnrolld", "type": "sms"},
                                           {"id": "voice|dev_DemoPhoneEnrolld", "type": "voice"}],
                "created_at": created})
    );
    assert_eq!(list[2]["type"], "recovery-code");

    // One by id (percent-encoded), and an unknown one.
    let one = env
        .get_json(
            &format!(
                "{}/phone%7Cdev_DemoPhoneEnrolld",
                methods_path(demo::ENROLLED_USER_ID)
            ),
            &token,
        )
        .await;
    assert_eq!(&one, phone);
    let r = env
        .api(
            Method::GET,
            &format!("{}/sms%7Cdev_nothing", methods_path(demo::ENROLLED_USER_ID)),
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
                   "message": "The authentication method could not be found."})
        )
    );

    // include_totals and paging.
    let page = env
        .get_json(
            &format!(
                "{}?include_totals=true&per_page=2&page=1",
                methods_path(demo::ENROLLED_USER_ID)
            ),
            &token,
        )
        .await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["start"], 2);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["authenticators"], json!([list[2]]));
    let empty = env
        .get_json(
            &format!(
                "{}?include_totals=true",
                methods_path(demo::NEW_HIRE_USER_ID)
            ),
            &token,
        )
        .await;
    assert_eq!(
        empty,
        json!({"authenticators": [], "start": 0, "limit": 50})
    );
    let bare = env
        .get_json(&methods_path(demo::NEW_HIRE_USER_ID), &token)
        .await;
    assert_eq!(bare, json!([]));
    let r = env
        .api(
            Method::GET,
            &format!("{}?per_page=101", methods_path(demo::NEW_HIRE_USER_ID)),
            &token,
        )
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(
        (status, &body["errorCode"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_query_string"))
    );

    // Push is one method; its TOTP sibling is not listed.
    let push = env
        .get_json(&methods_path(demo::PUSH_USER_USER_ID), &token)
        .await;
    let types: Vec<&str> = push
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["push", "totp", "recovery-code"]);

    let r = env
        .api(Method::GET, &methods_path("auth0|nobody"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(r).await.1["errorCode"], "inexistent_user");
}

#[tokio::test]
async fn masks_phones_and_emails_on_reads() {
    let env = Env::new().await;
    let (email, user_id) = env.new_user("masks@example.com").await;
    let mfa = env.mfa_token(&email).await;
    let r = env
        .associate(
            &mfa,
            json!({"authenticator_types": ["oob"], "oob_channels": ["sms"], "phone_number": "+44207183875044"}),
        )
        .await;
    let sms: Value = r.json().await.unwrap();
    let code = env
        .control
        .last_message(Channel::Sms)
        .await
        .unwrap()
        .unwrap()
        .code;
    let r = env
        .token_form(&[
            ("grant_type", GRANT_OOB),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", &mfa),
            ("oob_code", sms["oob_code"].as_str().unwrap()),
            ("binding_code", &code),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A second factor by email, left unconfirmed.
    let mfa = env.mfa_token(&email).await;
    let access_free = env
        .associate(
            &mfa,
            json!({"authenticator_types": ["oob"], "oob_channels": ["email"], "email": "chuck334@example.com"}),
        )
        .await;
    assert_eq!(
        access_free.status(),
        StatusCode::FORBIDDEN,
        "already enrolled"
    );

    let token = env.readonly().await;
    let list = env.get_json(&methods_path(&user_id), &token).await;
    assert_eq!(list[0]["phone_number"], "XXXXXXXXXXX5044");

    // Email masking, on a user seeded with an email factor.
    let mut tenant = auth0_emulator::Tenant::demo();
    tenant.users.push(auth0_emulator::UserSeed {
        email: "chuck@example.com".into(),
        password: demo::PASSWORD.into(),
        user_id: Some("auth0|0123456789abcdef01234567".into()),
        connection: None,
        name: Some("Chuck".into()),
        nickname: None,
        email_verified: false,
        authenticators: vec![auth0_emulator::AuthenticatorSeed::Email {
            email: "chuck334@example.com".into(),
            id: Some("dev_f0O81fTcftc0kN2v".into()),
            active: true,
        }],
        recovery_code: None,
        roles: Vec::new(),
        permissions: Vec::new(),
        blocked: false,
    });
    let env = Env::with(tenant).await;
    let token = env.readonly().await;
    let list = env
        .get_json(&methods_path("auth0|0123456789abcdef01234567"), &token)
        .await;
    let created = list[0]["created_at"].clone();
    assert_eq!(
        list,
        json!([{"id": "email|dev_f0O81fTcftc0kN2v", "type": "email", "confirmed": true,
                "email": "chuc****@exam*******", "created_at": created}])
    );
    let user = env
        .get_json("/users/auth0%7C0123456789abcdef01234567", &token)
        .await;
    assert_eq!(
        (&user["name"], &user["email_verified"]),
        (&json!("Chuck"), &json!(false))
    );
}

#[tokio::test]
async fn a_deleted_method_is_gone_from_the_mfa_api_at_once() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let mfa = env.mfa_token(demo::ENROLLED).await;
    assert_eq!(
        env.mfa_list(&mfa).await.len(),
        4,
        "totp, sms, voice, recovery code"
    );

    let path = format!(
        "{}/phone%7Cdev_DemoPhoneEnrolld",
        methods_path(demo::ENROLLED_USER_ID)
    );
    // go-auth0 sends DELETEs with an empty JSON body.
    let r = env
        .api(Method::DELETE, &path, &token)
        .header("content-type", "application/json")
        .header("x-correlation-id", "ticket-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.bytes().await.unwrap().is_empty());
    let left: Vec<String> = env
        .mfa_list(&mfa)
        .await
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(left.len(), 2);
    assert!(left
        .iter()
        .all(|id| !id.starts_with("sms|") && !id.starts_with("voice|")));
    let r = env.api(Method::DELETE, &path, &token).send().await.unwrap();
    assert_eq!(answer(r).await.0, StatusCode::NOT_FOUND);

    // The request log has it, with its correlation id.
    let log = env.control.requests().await.unwrap();
    let deleted = log
        .iter()
        .find(|r| r.method == "DELETE")
        .expect("the DELETE was logged");
    assert_eq!(deleted.correlation_id.as_deref(), Some("ticket-42"));
    assert_eq!(deleted.path, format!("/api/v2{path}"));
    assert_eq!(deleted.status, Some(204));
    let stats = env.control.stats().await.unwrap();
    assert_eq!(
        stats.requests["/api/v2/users/{id}/authentication-methods/{id}"],
        2
    );

    // Deleting push takes its TOTP sibling along.
    let r = env
        .api(
            Method::DELETE,
            &format!(
                "{}/push%7Cdev_DemoPushPushUser",
                methods_path(demo::PUSH_USER_USER_ID)
            ),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let push_user = env
        .control
        .user_secrets(demo::PUSH_USER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(push_user.otp.len(), 1);
    assert_eq!(push_user.otp[0].secret, demo::PUSH_USER_TOTP_SECRET);
}

/// After a reset the user meets `mfa_required` and enrolls with the mfa_token as a new user.
async fn enrolls_afresh(env: &Env, email: &str) {
    let mfa = env.mfa_token(email).await;
    assert!(env.mfa_list(&mfa).await.is_empty());
    let r = env
        .associate(&mfa, json!({"authenticator_types": ["otp"]}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["recovery_codes"].as_array().unwrap().len(),
        1,
        "{body}"
    );
}

#[tokio::test]
async fn resets_let_the_user_enroll_afresh() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let r = env
        .api(
            Method::DELETE,
            &methods_path(demo::ENROLLED_USER_ID),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.bytes().await.unwrap().is_empty());
    let list = env
        .get_json(&methods_path(demo::ENROLLED_USER_ID), &token)
        .await;
    assert_eq!(list, json!([]));
    enrolls_afresh(&env, demo::ENROLLED).await;

    let r = env
        .api(
            Method::DELETE,
            &format!("/users/{}/authenticators", enc(demo::PUSH_USER_USER_ID)),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    enrolls_afresh(&env, demo::PUSH_USER).await;

    // Deleting the phone-only user's one method is a reset too.
    let r = env
        .api(
            Method::DELETE,
            &format!(
                "{}/phone%7Cdev_DemoPhoneOnlyUsr",
                methods_path(demo::PHONE_ONLY_USER_ID)
            ),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    enrolls_afresh(&env, demo::PHONE_ONLY).await;

    for path in [
        methods_path("auth0|nobody"),
        "/users/auth0%7Cnobody/authenticators".to_string(),
    ] {
        let r = env.api(Method::DELETE, &path, &token).send().await.unwrap();
        assert_eq!(answer(r).await.1["errorCode"], "inexistent_user");
    }
}

#[tokio::test]
async fn regenerated_recovery_code_replaces_the_old_one() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let path = format!(
        "/users/{}/recovery-code-regeneration",
        enc(demo::ONLY_RECOVERY_USER_ID)
    );
    // Without a body or Content-Type (Fern SDKs), with `{}` (go-auth0), with an empty JSON body.
    let bare = env.api(Method::POST, &path, &token).send().await.unwrap();
    let (status, body) = answer(bare).await;
    assert_eq!(status, StatusCode::OK);
    let first = body["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(body.as_object().unwrap().len(), 1);
    assert_eq!(first.len(), 24);
    assert!(first
        .bytes()
        .all(|b| b"123456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b)));
    let json_body = env
        .api(Method::POST, &path, &token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), StatusCode::OK);
    let empty_json = env
        .api(Method::POST, &path, &token)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    let newest: Value = empty_json.json().await.unwrap();
    let newest = newest["recovery_code"].as_str().unwrap().to_owned();

    let env = &env;
    let recover = |code: String| async move {
        let mfa = env.mfa_token(demo::ONLY_RECOVERY).await;
        env.token_form(&[
            ("grant_type", GRANT_RECOVERY),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", &mfa),
            ("recovery_code", &code),
        ])
        .await
    };
    for old in [demo::ONLY_RECOVERY_CODE.to_owned(), first] {
        let (status, body) = answer(recover(old).await).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::FORBIDDEN,
                json!({"error": "invalid_grant", "error_description": "MFA Authorization rejected."})
            )
        );
    }
    let (status, body) = answer(recover(newest).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["recovery_code"].as_str().unwrap().len(), 24);
}

#[tokio::test]
async fn invalidate_remember_browser() {
    let env = Env::new().await;
    let token = env.helpdesk().await;
    let path = |id: &str| {
        format!(
            "/users/{}/multifactor/actions/invalidate-remember-browser",
            enc(id)
        )
    };
    let r = env
        .api(Method::POST, &path(demo::ENROLLED_USER_ID), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = env
        .api(Method::POST, &path(demo::ENROLLED_USER_ID), &token)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = env
        .api(Method::POST, &path("auth0|nobody"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(r).await.0, StatusCode::NOT_FOUND);
}
