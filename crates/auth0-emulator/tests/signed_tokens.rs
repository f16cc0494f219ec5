//! §S1: RS256 tokens for a custom API with RBAC, the JWKS and discovery
//! documents, key rotation, and the post-login Action's MFA claim, checked
//! with `jsonwebtoken` as the helpdesk service will check them.

mod common;

use auth0_emulator::demo;
use common::hosted::{self, SignIn};
use common::jwt::{claims, jwks, verify, Refused};
use common::{answer, Env};
use jsonwebtoken::errors::ErrorKind;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ALL_HELPDESK: &str = "openid helpdesk:read helpdesk:act helpdesk:reset helpdesk:approve";

fn agent_sign_in<'a>(email: &'a str, secret: &'a str, scope: &'a str) -> SignIn<'a> {
    SignIn {
        email,
        totp_secret: Some(secret),
        audience: demo::HELPDESK_API,
        scope,
        extra: "&nonce=n-0S6_WzA2Mj",
    }
}

#[tokio::test]
async fn jwks_and_discovery_are_served_as_auth0_serves_them() {
    let env = Env::new().await;
    let r = env
        .http
        .get(env.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(h["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        h["cache-control"],
        "public, max-age=15, stale-while-revalidate=15, stale-if-error=86400"
    );
    assert_eq!(h["access-control-allow-origin"], "*");
    let text = r.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    let keys = body["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "current and next");
    // Field order as recorded (§S1.4).
    let first = text.find("\"alg\"").unwrap();
    let order: Vec<usize> = [
        "\"kty\"", "\"use\"", "\"n\"", "\"e\"", "\"kid\"", "\"x5t\"", "\"x5c\"",
    ]
    .iter()
    .map(|f| text[first..].find(f).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    for k in keys {
        assert_eq!(
            (k["alg"].as_str(), k["kty"].as_str(), k["use"].as_str()),
            (Some("RS256"), Some("RSA"), Some("sig"))
        );
        assert_eq!(k["e"], "AQAB");
        assert_eq!(k["kid"].as_str().unwrap().len(), 21);
        assert_eq!(k["x5c"].as_array().unwrap().len(), 1);
    }
    assert_ne!(keys[0]["kid"], keys[1]["kid"]);
    assert_ne!(keys[0]["n"], keys[1]["n"]);

    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        let doc: Value = env
            .http
            .get(env.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(doc["issuer"], env.url("/"));
        assert_eq!(doc["jwks_uri"], env.url("/.well-known/jwks.json"));
        assert_eq!(doc["token_endpoint"], env.url("/oauth/token"));
        assert_eq!(
            doc["device_authorization_endpoint"],
            env.url("/oauth/device/code")
        );
        assert_eq!(
            doc["backchannel_authentication_endpoint"],
            env.url("/bc-authorize")
        );
        assert!(
            doc.get("grant_types_supported").is_none(),
            "Auth0 sends none"
        );
    }
}

#[tokio::test]
async fn an_agent_gets_a_helpdesk_token_cut_to_their_role_with_the_mfa_claim() {
    let env = Env::new().await;
    let sign_in = agent_sign_in(
        demo::HELPDESK_AGENT,
        demo::HELPDESK_AGENT_TOTP_SECRET,
        ALL_HELPDESK,
    );
    let before = env.control.now().await.unwrap();
    let body = hosted::tokens(&env, &sign_in).await;
    assert_eq!(body["expires_in"], 86_400);
    assert_eq!(body["scope"], "openid helpdesk:read helpdesk:act");
    let access = body["access_token"].as_str().unwrap();
    let c = verify(&env, access, demo::HELPDESK_API).await.unwrap();
    assert_eq!(c["iss"], env.url("/"));
    assert_eq!(c["sub"], demo::HELPDESK_AGENT_USER_ID);
    assert_eq!(c["aud"], json!([demo::HELPDESK_API, env.url("/userinfo")]));
    assert_eq!(c["azp"], demo::PUBLIC_CLIENT_ID);
    assert_eq!(c["scope"], "openid helpdesk:read helpdesk:act");
    assert_eq!(c["permissions"], json!(["helpdesk:read", "helpdesk:act"]));
    assert_eq!(
        c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
        86_400
    );
    assert!(c.get("gty").is_none(), "no gty for authorization_code");
    assert_eq!(c[demo::HELPDESK_MFA_CLAIM], json!(["mfa"]));

    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], demo::PUBLIC_CLIENT_ID);
    assert_eq!(id["amr"], json!(["mfa"]));
    assert_eq!(
        id["acr"],
        "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
    );
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert!(id["auth_time"].as_u64().unwrap() >= before);
    // The ID token is signed with the same published key.
    let header = jsonwebtoken::decode_header(body["id_token"].as_str().unwrap()).unwrap();
    assert!(jwks(&env).await.find(&header.kid.unwrap()).is_some());
}

#[tokio::test]
async fn the_lead_holds_every_permission_even_unrequested() {
    let env = Env::new().await;
    let sign_in = agent_sign_in(demo::LEAD, demo::LEAD_TOTP_SECRET, "helpdesk:approve");
    let body = hosted::tokens(&env, &sign_in).await;
    let c = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        demo::HELPDESK_API,
    )
    .await
    .unwrap();
    // No openid: `aud` is a string and there is no ID token (§S1.2).
    assert_eq!(c["aud"], demo::HELPDESK_API);
    assert!(body.get("id_token").is_none());
    assert_eq!(c["scope"], "helpdesk:approve");
    assert_eq!(c["permissions"], json!(demo::HELPDESK_PERMISSIONS));
}

#[tokio::test]
async fn a_user_without_a_role_gets_no_helpdesk_permission() {
    let env = Env::new().await;
    let sign_in = agent_sign_in(demo::ENROLLED, demo::ENROLLED_TOTP_SECRET, ALL_HELPDESK);
    let body = hosted::tokens(&env, &sign_in).await;
    assert_eq!(body["scope"], "openid");
    let c = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        demo::HELPDESK_API,
    )
    .await
    .unwrap();
    assert_eq!(c["permissions"], json!([]));
}

#[tokio::test]
async fn password_then_mfa_grant_carries_the_claim_but_no_id_token_amr() {
    let env = Env::new().await;
    let r = env
        .token_form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", demo::HELPDESK_AGENT),
            ("password", demo::PASSWORD),
            ("audience", demo::HELPDESK_API),
            ("scope", "openid helpdesk:read"),
        ])
        .await;
    let (_, body) = answer(r).await;
    let mfa_token = body["mfa_token"].as_str().expect("mfa_required").to_owned();
    let now = env.control.now().await.unwrap();
    let otp = auth0_emulator::totp_code(demo::HELPDESK_AGENT_TOTP_SECRET, now).unwrap();
    let r = env
        .token_form(&[
            ("grant_type", common::GRANT_OTP),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("mfa_token", &mfa_token),
            ("otp", &otp),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        demo::HELPDESK_API,
    )
    .await
    .unwrap();
    assert_eq!(c["gty"], "password");
    assert_eq!(c[demo::HELPDESK_MFA_CLAIM], json!(["mfa"]));
    // §S1.6: tokens minted through the MFA API carry no amr.
    let id = claims(body["id_token"].as_str().unwrap());
    assert!(id.get("amr").is_none() && id.get("acr").is_none(), "{id}");
    assert!(id["auth_time"].is_u64());
}

#[tokio::test]
async fn the_action_forces_mfa_for_the_api_and_refreshes_carry_no_claim() {
    let mut tenant = auth0_emulator::Tenant::demo();
    tenant.settings.mfa_policy = auth0_emulator::MfaPolicy::IfEnrolled;
    tenant.apis[0].allow_offline_access = true;
    let env = Env::with(tenant).await;
    // The tenant asks no MFA of a user without factors, the Action does.
    let mut sign_in = SignIn {
        email: demo::NEW_HIRE,
        totp_secret: None,
        audience: &env.url("/userinfo"),
        scope: "openid",
        extra: "",
    };
    let location = hosted::callback(&env, &sign_in).await;
    assert!(
        hosted::query_param(&location, "code").is_some(),
        "{location}"
    );
    let helpdesk = SignIn {
        audience: demo::HELPDESK_API,
        scope: "openid offline_access",
        ..sign_in
    };
    let location = hosted::callback(&env, &helpdesk).await;
    assert!(location.starts_with("/u/mfa-enroll?"), "{location}");
    // So does a step-up request (`acr_values`, §S6), whatever the audience.
    let step_up = SignIn {
        extra: "&acr_values=http%3A%2F%2Fschemas.openid.net%2Fpape%2Fpolicies%2F2007%2F06%2Fmulti-factor",
        ..sign_in
    };
    let location = hosted::callback(&env, &step_up).await;
    assert!(location.starts_with("/u/mfa-enroll?"), "{location}");

    sign_in = SignIn {
        email: demo::HELPDESK_AGENT,
        totp_secret: Some(demo::HELPDESK_AGENT_TOTP_SECRET),
        ..helpdesk
    };
    let body = hosted::tokens(&env, &sign_in).await;
    assert_eq!(body["scope"], "openid offline_access");
    let refresh = body["refresh_token"]
        .as_str()
        .expect("offline access allowed");
    let r = env
        .token_form(&[
            ("grant_type", "refresh_token"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("refresh_token", refresh),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = verify(
        &env,
        body["access_token"].as_str().unwrap(),
        demo::HELPDESK_API,
    )
    .await
    .unwrap();
    assert_eq!(c["gty"], "refresh_token");
    assert!(c.get(demo::HELPDESK_MFA_CLAIM).is_none(), "{c}");
    let id = claims(body["id_token"].as_str().unwrap());
    assert!(
        id.get("amr").is_none() && id.get("auth_time").is_none(),
        "{id}"
    );
}

#[tokio::test]
async fn client_credentials_tokens_are_rs256_with_gty_and_clients_subject() {
    let env = Env::new().await;
    let token = env
        .token_for(
            demo::HELPDESK_SERVICE_CLIENT_ID,
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
            None,
        )
        .await;
    let audience = env.management_audience();
    let c = verify(&env, &token, &audience).await.unwrap();
    assert_eq!(c["aud"], audience);
    assert_eq!(c["gty"], "client-credentials");
    assert_eq!(
        c["sub"],
        format!("{}@clients", demo::HELPDESK_SERVICE_CLIENT_ID)
    );
    assert_eq!(c["scope"], demo::HELPDESK_SERVICE_SCOPES.join(" "));
    // A token for another audience is refused by the service's check.
    assert_eq!(
        verify(&env, &token, demo::HELPDESK_API).await,
        Err(Refused::Invalid(ErrorKind::InvalidAudience))
    );
    // And the Management API still takes it.
    let users = env
        .get_json(
            &format!("/users/{}", common::enc(demo::LEAD_USER_ID)),
            &token,
        )
        .await;
    assert_eq!(users["email"], demo::LEAD);
}

#[tokio::test]
async fn tokens_survive_one_rotation_and_are_refused_after_the_second() {
    let env = Env::new().await;
    let sign_in = agent_sign_in(
        demo::HELPDESK_AGENT,
        demo::HELPDESK_AGENT_TOTP_SECRET,
        "openid helpdesk:read",
    );
    let old = hosted::tokens(&env, &sign_in).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let kids = env.control.signing_keys().await.unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&old).unwrap().kid.as_deref(),
        Some(kids.current.as_str())
    );

    let after_one = env.control.rotate_signing_key().await.unwrap();
    assert_eq!(after_one.current, kids.next);
    assert_eq!(after_one.previous.as_deref(), Some(kids.current.as_str()));
    assert_eq!(jwks(&env).await.keys.len(), 3);
    verify(&env, &old, demo::HELPDESK_API)
        .await
        .expect("previous key still published");
    env.control.advance_clock(30).await.unwrap(); // a TOTP code is used once
    let fresh = hosted::tokens(&env, &sign_in).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        jsonwebtoken::decode_header(&fresh).unwrap().kid,
        Some(after_one.current.clone())
    );

    env.control.rotate_signing_key().await.unwrap();
    assert_eq!(
        verify(&env, &old, demo::HELPDESK_API).await,
        Err(Refused::UnknownKid)
    );
    verify(&env, &fresh, demo::HELPDESK_API)
        .await
        .expect("signed by the now previous key");

    // A token re-labelled with a published kid fails the signature check.
    let published = env.control.signing_keys().await.unwrap().current;
    let forged = relabel(&old, &published);
    assert_eq!(
        verify(&env, &forged, demo::HELPDESK_API).await,
        Err(Refused::Invalid(ErrorKind::InvalidSignature))
    );
}

/// `token` with its header's kid replaced (signature unchanged).
fn relabel(token: &str, kid: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut header: Value = serde_json::from_slice(&b64.decode(parts[0]).unwrap()).unwrap();
    header["kid"] = json!(kid);
    let header = b64.encode(serde_json::to_vec(&header).unwrap());
    format!("{header}.{}.{}", parts[1], parts[2])
}

#[tokio::test]
async fn an_unknown_audience_is_service_not_found() {
    let env = Env::new().await;
    let r = env
        .token_form(&[
            ("grant_type", "password"),
            ("client_id", demo::PUBLIC_CLIENT_ID),
            ("username", demo::NEW_HIRE),
            ("password", demo::PASSWORD),
            ("audience", "https://nowhere.example/"),
        ])
        .await;
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error":"access_denied","error_description":"Service not found: https://nowhere.example/"})
    );

    let sign_in = SignIn {
        email: demo::NEW_HIRE,
        totp_secret: None,
        audience: "https://nowhere.example/",
        scope: "openid",
        extra: "",
    };
    let location = hosted::callback(&env, &sign_in).await;
    assert_eq!(
        hosted::query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        hosted::query_param(&location, "error_description").as_deref(),
        Some("Service not found: https://nowhere.example/")
    );
}

#[tokio::test]
async fn prompt_none_cannot_be_answered_without_a_session() {
    let env = Env::new().await;
    let sign_in = SignIn {
        email: demo::NEW_HIRE,
        totp_secret: None,
        audience: demo::HELPDESK_API,
        scope: "openid",
        extra: "&prompt=none",
    };
    let location = hosted::callback(&env, &sign_in).await;
    assert_eq!(
        hosted::query_param(&location, "error").as_deref(),
        Some("login_required")
    );
}

#[tokio::test]
async fn the_management_api_lists_rotates_and_revokes_signing_keys() {
    let mut tenant = auth0_emulator::Tenant::demo();
    let service = tenant
        .clients
        .iter_mut()
        .find(|c| c.client_id == demo::HELPDESK_SERVICE_CLIENT_ID)
        .unwrap();
    let scopes = [
        "read:signing_keys",
        "create:signing_keys",
        "update:signing_keys",
    ];
    service.client_grants[0]
        .scope
        .extend(scopes.map(String::from));
    let env = Env::with(tenant).await;
    let token = env
        .token_for(
            demo::HELPDESK_SERVICE_CLIENT_ID,
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
            None,
        )
        .await;
    let before = env.control.signing_keys().await.unwrap();
    let keys = env.get_json("/keys/signing", &token).await;
    let flags: Vec<(bool, bool, bool)> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["current"].as_bool().unwrap(),
                k["next"].as_bool().unwrap(),
                k["previous"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [(true, false, false), (false, true, false)]);
    assert_eq!(keys[0]["kid"], before.current.as_str());
    assert!(keys[0]["cert"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(keys[0]["fingerprint"].as_str().unwrap().len(), 59);
    assert!(keys[0]["current_since"].is_string() && keys[1].get("current_since").is_none());

    let old_token = token.clone();
    let r = env
        .api(reqwest::Method::POST, "/keys/signing/rotate", &token)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["kid"], before.next.as_str());

    let revoke = |kid: &str| format!("/keys/signing/{kid}/revoke");
    let r = env
        .api(reqwest::Method::PUT, &revoke(&before.next), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "the current key stays");
    let r = env
        .api(reqwest::Method::PUT, &revoke("nope"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = env
        .api(reqwest::Method::PUT, &revoke(&before.current), &token)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["kid"], before.current.as_str());
    // Revoked: out of the JWKS, tokens it signed refused; listed as revoked.
    assert_eq!(jwks(&env).await.keys.len(), 2);
    assert_eq!(
        verify(&env, &old_token, &env.management_audience()).await,
        Err(Refused::UnknownKid)
    );
    let fresh = env
        .token_for(
            demo::HELPDESK_SERVICE_CLIENT_ID,
            demo::HELPDESK_SERVICE_CLIENT_SECRET,
            None,
        )
        .await;
    let keys = env.get_json("/keys/signing", &fresh).await;
    let revoked = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == before.current.as_str())
        .unwrap();
    assert_eq!(
        (
            revoked["revoked"].as_bool(),
            revoked["current_until"].is_string()
        ),
        (Some(true), true)
    );

    let plain = env
        .token_for(demo::HELPDESK_CLIENT_ID, demo::HELPDESK_CLIENT_SECRET, None)
        .await;
    let r = env
        .api(reqwest::Method::GET, "/keys/signing", &plain)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
