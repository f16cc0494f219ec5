//! The axum router: request parsing glue between HTTP and `State`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State as AxState};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::{json_response, ApiError, ApiResult};
use crate::state::Shared;
use crate::token::TokenRequest;

/// Bodies above this get 413.
pub const MAX_BODY: usize = 64 * 1024;

type App = AxState<Arc<Shared>>;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth/token", post(token))
        .route("/bc-authorize", post(bc_authorize))
        .route("/oauth/device/code", post(device_code))
        .route("/mfa/authenticators", get(list_authenticators))
        .route("/mfa/authenticators/{id}", delete(delete_authenticator))
        .route("/mfa/associate", post(associate))
        .route("/mfa/challenge", post(challenge))
        .merge(crate::control::router())
        .merge(crate::management::router())
        .merge(crate::my_account::router())
        .merge(crate::enrollment_page::router())
        .merge(crate::authorize::router())
        .merge(crate::well_known::router())
        .merge(crate::device::activate::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

fn is_management(uri: &Uri) -> bool {
    uri.path().starts_with("/api/v2/")
}

async fn not_found(method: Method, uri: Uri) -> Response {
    if is_management(&uri) {
        return crate::management::not_found();
    }
    if uri.path().starts_with("/me/") {
        return crate::my_account::not_found(&method, &uri);
    }
    ApiError::not_found("Not found").into_response()
}

async fn method_not_allowed(uri: Uri) -> Response {
    if is_management(&uri) {
        return crate::management::not_found();
    }
    ApiError::new(405, "method_not_allowed", "Method not allowed").into_response()
}

async fn read_body(body: Body) -> ApiResult<Bytes> {
    axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "request_entity_too_large", "Request body too large."))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
}

/// The body as a JSON object: JSON when the Content-Type says so, else
/// `application/x-www-form-urlencoded`. Non-string JSON scalars keep their
/// textual form so `"expires": 5` and `expires=5` read the same.
fn body_object(headers: &HeaderMap, bytes: &[u8]) -> ApiResult<Map<String, Value>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if is_json(headers) {
        return match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(ApiError::new(400, "invalid_request", "Invalid JSON body.")),
        };
    }
    Ok(url::form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect())
}

/// `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1:
/// both halves form-encoded first).
fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((unescape(id), unescape(secret)))
}

fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn respond<T: Serialize>(result: ApiResult<T>) -> Response {
    match result {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}

/// A form or JSON body of string parameters, with HTTP Basic credentials.
async fn token_request(headers: &HeaderMap, body: Body) -> ApiResult<TokenRequest> {
    let bytes = read_body(body).await?;
    let object = body_object(headers, &bytes)?;
    let params = object
        .into_iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            Value::Number(_) | Value::Bool(_) => Some((k, v.to_string())),
            _ => None,
        })
        .collect();
    Ok(TokenRequest {
        params,
        basic: basic_auth(headers),
    })
}

async fn device_code(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let parsed = token_request(&headers, body).await;
    respond(parsed.and_then(|req| app.lock().device_authorization(&req)))
}

async fn bc_authorize(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let parsed = token_request(&headers, body).await;
    respond(parsed.and_then(|req| app.lock().bc_authorize(&req)))
}

async fn token(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let parsed = token_request(&headers, body).await;
    respond(parsed.and_then(|req| app.lock().token(&req)))
}

async fn list_authenticators(AxState(app): App, headers: HeaderMap) -> Response {
    respond(
        app.lock()
            .list_authenticators(authorization(&headers).as_deref()),
    )
}

async fn delete_authenticator(
    AxState(app): App,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    // axum has already percent-decoded `sms%7Cdev_…` into `sms|dev_…`.
    match app
        .lock()
        .delete_authenticator(authorization(&headers).as_deref(), &id)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn associate(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let body = match read_body(body)
        .await
        .and_then(|b| body_object(&headers, &b))
    {
        Ok(b) => Value::Object(b),
        Err(e) => return e.into_response(),
    };
    respond(
        app.lock()
            .associate(authorization(&headers).as_deref(), &body),
    )
}

async fn challenge(AxState(app): App, headers: HeaderMap, body: Body) -> Response {
    let body = match read_body(body)
        .await
        .and_then(|b| body_object(&headers, &b))
    {
        Ok(b) => Value::Object(b),
        Err(e) => return e.into_response(),
    };
    respond(app.lock().challenge(&body, basic_auth(&headers).as_ref()))
}
