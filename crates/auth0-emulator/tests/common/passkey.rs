//! The passkey tests' side of the wire: a tenant with the My Account API and passkeys on,
//! webauthn-authenticator-rs's software passkey as the person's authenticator, and the
//! client's part of each ceremony (what a browser does between the server's options and its
//! answer), with ways to get it wrong on purpose.

use auth0_emulator::tenant::{ClientGrant, SubjectType};
use auth0_emulator::{demo, Tenant};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use url::Url;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::AuthenticatorBackend;
use webauthn_rs_core::proto::{
    PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions,
};

use super::hosted::{no_redirects, tokens, SignIn};
use super::{answer, Env};

pub const ME_SCOPES: &str = "openid create:me:authentication_methods read:me:authentication_methods update:me:authentication_methods delete:me:authentication_methods read:me:factors";

/// What the verify request says it is.
pub const USER_AGENT: &str = "MFA-Desk-Test/1.0";

/// The demo tenant, the My Account API activated with the app's user grant, passkeys on.
pub fn tenant() -> Tenant {
    let mut tenant = Tenant::demo();
    tenant.settings.my_account_api = true;
    tenant.settings.passkeys = true;
    let app = tenant
        .clients
        .iter_mut()
        .find(|c| c.client_id == demo::PUBLIC_CLIENT_ID)
        .unwrap();
    app.client_grants.push(ClientGrant {
        audience: "/me/".into(),
        scope: ME_SCOPES.split(' ').skip(1).map(str::to_owned).collect(),
        subject_type: SubjectType::User,
    });
    tenant
}

/// A My Account token of the enrolled demo user, from a browser sign-in.
pub async fn me_token(env: &Env) -> String {
    let audience = env.url("/me/");
    let s = SignIn {
        email: demo::ENROLLED,
        totp_secret: Some(demo::ENROLLED_TOTP_SECRET),
        audience: &audience,
        scope: ME_SCOPES,
        extra: "",
    };
    tokens(env, &s).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Status, `Location` and body of a My Account call.
pub async fn me(
    env: &Env,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = env
        .http
        .request(method, env.url(&format!("/me/v1{path}")))
        .bearer_auth(token)
        .header("user-agent", USER_AGENT);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let (status, body) = answer(r).await;
    (status, location, body)
}

/// The emulator's own origin, where its hosted pages run.
pub fn origin(env: &Env) -> Url {
    Url::parse(&env.url("/")).unwrap()
}

/// `POST {"type":"passkey"}`: the 202's `auth_session` and creation options.
pub async fn start(env: &Env, token: &str) -> (String, Value) {
    let body = Some(json!({"type": "passkey"}));
    let (status, location, answer) =
        me(env, Method::POST, "/authentication-methods", token, body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    assert_eq!(
        location.as_deref(),
        Some(
            env.url("/me/v1/authentication-methods/passkey%7Cnew")
                .as_str()
        )
    );
    let session = answer["auth_session"].as_str().unwrap().to_owned();
    (session, answer["authn_params_public_key"].clone())
}

/// The software passkey's `navigator.credentials.create`, answered from `origin`, as the
/// `authn_response` §S5.3 gives (the library's `extensions` under its WebAuthn name).
pub fn create(soft: &mut SoftPasskey, origin: Url, options: &Value) -> Value {
    // The library's type wants WebAuthn level 1's `requireResidentKey`, which a browser
    // fills in. The software passkey cannot keep a discoverable credential, so it is asked
    // for a server-side one (as a browser would fall back to a key without resident
    // storage): the server cannot tell, and the sign-in names the credential anyway.
    let mut options = options.clone();
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    options["authenticatorSelection"]["residentKey"] = json!("discouraged");
    options["authenticatorSelection"]["requireResidentKey"] = json!(false);
    let options: PublicKeyCredentialCreationOptions = serde_json::from_value(options).unwrap();
    let credential = AuthenticatorBackend::perform_register(soft, origin, options, 60_000).unwrap();
    let mut response = serde_json::to_value(credential).unwrap();
    let o = response.as_object_mut().unwrap();
    let extensions = o.remove("extensions").unwrap_or(json!({}));
    o.insert("clientExtensionResults".into(), extensions);
    o.insert("authenticatorAttachment".into(), json!("platform"));
    response
}

/// `POST …/passkey%7Cnew/verify`.
pub async fn verify(
    env: &Env,
    token: &str,
    session: &str,
    response: &Value,
) -> (StatusCode, Option<String>, Value) {
    let body = json!({"auth_session": session, "authn_response": response});
    let path = "/authentication-methods/passkey%7Cnew/verify";
    me(env, Method::POST, path, token, Some(body)).await
}

/// A whole enrollment from the emulator's origin: the confirmed method.
pub async fn enroll(env: &Env, token: &str, soft: &mut SoftPasskey) -> Value {
    let (session, options) = start(env, token).await;
    let response = create(soft, origin(env), &options);
    let (status, _, method) = verify(env, token, &session, &response).await;
    assert_eq!(status, StatusCode::CREATED, "{method}");
    method
}

/// A hosted sign-in up to its first page: the sign-in's `state`.
pub async fn open_sign_in(env: &Env) -> String {
    let path = format!(
        "/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=openid",
        demo::PUBLIC_CLIENT_ID,
        super::hosted::REDIRECT,
    );
    let r = no_redirects().get(env.url(&path)).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    location.strip_prefix("/u/login?state=").unwrap().to_owned()
}

/// `POST /u/passkey/options` for `email`: the request options.
pub async fn sign_in_options(env: &Env, state: &str, email: &str) -> Value {
    let form = [("state", state), ("email", email)];
    let r = env
        .http
        .post(env.url("/u/passkey/options"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["publicKey"].clone()
}

/// The software passkey's `navigator.credentials.get`, answered from `origin`.
pub fn get(soft: &mut SoftPasskey, origin: Url, options: &Value) -> Value {
    let options: PublicKeyCredentialRequestOptions =
        serde_json::from_value(options.clone()).unwrap();
    let assertion = AuthenticatorBackend::perform_auth(soft, origin, options, 60_000).unwrap();
    serde_json::to_value(assertion).unwrap()
}

/// `POST /u/passkey/verify`: status and `Location`.
pub async fn sign_in_verify(env: &Env, state: &str, assertion: &Value) -> (StatusCode, String) {
    let credential = assertion.to_string();
    let form = [("state", state), ("credential", credential.as_str())];
    let r = no_redirects()
        .post(env.url("/u/passkey/verify"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location)
}
