//! `/.well-known/jwks.json` and the OpenID discovery document, served as
//! Auth0 serves them (§S1.4, §S1.5), every URL on the emulator's base URL.

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::errors::json_response;
use crate::state::Shared;

type App = AxState<Arc<Shared>>;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/.well-known/openid-configuration", get(discovery))
        // §S1.5: the same document, under RFC 8414's name.
        .route("/.well-known/oauth-authorization-server", get(discovery))
}

/// The recorded headers (DY-REC): cacheable for 15 s, open to any origin,
/// with the endpoint's rate limit (20 for keys, 300 for discovery).
fn public_json<T: Serialize>(value: &T, rate_limit: u32) -> Response {
    let mut resp = json_response(StatusCode::OK, value);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(
            "public, max-age=15, stale-while-revalidate=15, stale-if-error=86400",
        ),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert("x-ratelimit-limit", HeaderValue::from(rate_limit));
    resp
}

async fn jwks(AxState(app): App) -> Response {
    let jwks = app.lock().keys.jwks();
    public_json(&jwks, 20)
}

/// The discovery document, fields in Auth0's order (§S1.5), with the CIBA
/// extras (§S3) since the emulator serves `/bc-authorize`.
#[derive(Serialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    device_authorization_endpoint: String,
    userinfo_endpoint: String,
    mfa_challenge_endpoint: String,
    jwks_uri: String,
    registration_endpoint: String,
    revocation_endpoint: String,
    scopes_supported: &'static [&'static str],
    response_types_supported: &'static [&'static str],
    code_challenge_methods_supported: &'static [&'static str],
    response_modes_supported: &'static [&'static str],
    subject_types_supported: &'static [&'static str],
    id_token_signing_alg_values_supported: &'static [&'static str],
    token_endpoint_auth_methods_supported: &'static [&'static str],
    claims_supported: &'static [&'static str],
    request_uri_parameter_supported: bool,
    request_parameter_supported: bool,
    token_endpoint_auth_signing_alg_values_supported: &'static [&'static str],
    backchannel_authentication_endpoint: String,
    backchannel_token_delivery_modes_supported: &'static [&'static str],
}

async fn discovery(AxState(app): App) -> Response {
    let base = app.lock().base_url.clone();
    let at = |path: &str| format!("{base}{path}");
    let doc = Discovery {
        issuer: at("/"),
        authorization_endpoint: at("/authorize"),
        token_endpoint: at("/oauth/token"),
        device_authorization_endpoint: at("/oauth/device/code"),
        userinfo_endpoint: at("/userinfo"),
        mfa_challenge_endpoint: at("/mfa/challenge"),
        jwks_uri: at("/.well-known/jwks.json"),
        registration_endpoint: at("/oidc/register"),
        revocation_endpoint: at("/oauth/revoke"),
        scopes_supported: &[
            "openid",
            "profile",
            "offline_access",
            "name",
            "given_name",
            "family_name",
            "nickname",
            "email",
            "email_verified",
            "picture",
            "created_at",
            "identities",
            "phone",
            "address",
        ],
        response_types_supported: &[
            "code",
            "token",
            "id_token",
            "code token",
            "code id_token",
            "token id_token",
            "code token id_token",
        ],
        code_challenge_methods_supported: &["S256", "plain"],
        response_modes_supported: &["query", "fragment", "form_post"],
        subject_types_supported: &["public"],
        id_token_signing_alg_values_supported: &["HS256", "RS256", "PS256"],
        token_endpoint_auth_methods_supported: &[
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        claims_supported: &[
            "aud",
            "auth_time",
            "created_at",
            "email",
            "email_verified",
            "exp",
            "family_name",
            "given_name",
            "iat",
            "identities",
            "iss",
            "name",
            "nickname",
            "phone_number",
            "picture",
            "sub",
        ],
        request_uri_parameter_supported: false,
        request_parameter_supported: false,
        token_endpoint_auth_signing_alg_values_supported: &["RS256", "RS384", "PS256"],
        backchannel_authentication_endpoint: at("/bc-authorize"),
        backchannel_token_delivery_modes_supported: &["poll"],
    };
    public_json(&doc, 300)
}
