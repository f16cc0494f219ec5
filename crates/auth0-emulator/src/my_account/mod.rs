//! The My Account API (§S5): a signed-in person's own authentication methods at
//! `/me/v1/*`, for access tokens whose audience is `<base_url>/me/`, over the one
//! authenticator store the MFA and Management APIs share.

mod body;
mod enroll;
mod methods;
mod passkey;
mod problem;
mod sessions;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use crate::state::{Shared, State};
use crate::tokens::AccessTokenRec;
use problem::{MeResult, Problem};

pub use sessions::Sessions;

/// The scopes of the My Account API's authentication-methods and factors (§S5.1).
pub const SCOPES: &[&str] = &[
    "create:me:authentication_methods",
    "read:me:authentication_methods",
    "update:me:authentication_methods",
    "delete:me:authentication_methods",
    "read:me:factors",
];

/// Bodies above this are refused (the passkey verify body, the largest, is under 4 KB).
const MAX_BODY: usize = 64 * 1024;

type App = AxState<Arc<Shared>>;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/me/v1/authentication-methods", get(list).post(start))
        .route(
            "/me/v1/authentication-methods/{id}",
            get(get_one).patch(patch).delete(remove),
        )
        .route("/me/v1/authentication-methods/{id}/verify", post(verify))
        .route("/me/v1/factors", get(factors))
}

/// The answer for any other `/me/…` path.
pub fn not_found(method: &Method, uri: &Uri) -> Response {
    Problem::not_found(format!(
        "The requested resource {method} {} was not found.",
        uri.path()
    ))
    .into_response()
}

impl State {
    /// `<base_url>/me/`: the My Account API's audience (§S5.1, trailing slash).
    pub fn my_account_audience(&self) -> String {
        format!("{}/me/", self.base_url)
    }

    /// §S5.1: the final scopes are those requested ∩ the client's user client grant for
    /// the API ∩ the API's own; OIDC scopes stay. No grant, no My Account scope.
    pub fn my_account_scope(&self, client_id: &str, requested: &str) -> String {
        let audience = self.my_account_audience();
        let granted = self
            .tenant
            .client(client_id)
            .and_then(|c| c.user_grant_for(&audience, &self.base_url))
            .map(|g| g.scope.clone())
            .unwrap_or_default();
        let kept: Vec<&str> = requested
            .split_whitespace()
            .filter(|s| !SCOPES.contains(s) || granted.iter().any(|g| g == s))
            .collect();
        kept.join(" ")
    }

    /// The person a My Account token speaks for, when it carries `scope`.
    fn me(&self, headers: &HeaderMap, scope: &str) -> MeResult<usize> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(Problem::unauthorized)?;
        let rec: &AccessTokenRec = self
            .tokens
            .access_tokens
            .get(token)
            .ok_or_else(Problem::unauthorized)?;
        if rec.expires_ms <= self.clock.now_ms() {
            return Err(Problem::invalid_token("The access token is expired."));
        }
        if rec.audience != self.my_account_audience() {
            return Err(Problem::invalid_token(
                "The access token's audience is not this API.",
            ));
        }
        if !rec.has_scope(scope) {
            return Err(Problem::insufficient_scope(scope));
        }
        self.user_index(&rec.user_id)
            .ok_or_else(Problem::unauthorized)
    }
}

/// Every call: 404 when the tenant has not activated the API (§S5.1), the token and its
/// scope, then the call itself; problems in the tenant's error Content-Type.
fn call(
    app: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    scope: &str,
    f: impl FnOnce(&mut State, usize) -> MeResult<Response>,
) -> Response {
    let mut st = app.lock();
    let content_type = match st.tenant.settings.my_account_error_content_type.as_str() {
        "application/problem+json" => "application/problem+json",
        _ => "application/json",
    };
    if !st.tenant.settings.my_account_api {
        return not_found(method, uri);
    }
    let result = st.me(headers, scope).and_then(|ui| f(&mut st, ui));
    match result {
        Ok(response) => response,
        Err(problem) => problem.with_content_type(content_type).into_response(),
    }
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    crate::errors::json_response(status, value)
}

/// What an id keeps unencoded in `Location`: RFC 3986's unreserved characters, so
/// `passkey|dev_…` reads `passkey%7Cdev_…` as §S5.3 shows it.
const ID_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `Location: <base>/me/v1/authentication-methods/<id, percent-encoded>` (§S5.2).
fn with_location(mut response: Response, base_url: &str, id: &str) -> Response {
    let encoded = percent_encoding::utf8_percent_encode(id, ID_IN_PATH);
    let location = format!("{base_url}/me/v1/authentication-methods/{encoded}");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A JSON body, or 415 when the Content-Type is not JSON (§S5.2).
async fn json_body(headers: &HeaderMap, body: Body) -> MeResult<Value> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return Err(Problem::unsupported_media_type());
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| Problem::validation("/", "the body is too large"))?;
    serde_json::from_slice(&bytes).map_err(|_| Problem::validation("/", "the body is not JSON"))
}

async fn list(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let wanted: Option<String> = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "type")
            .map(|(_, v)| v.into_owned())
    });
    call(
        &app,
        &method,
        &uri,
        &headers,
        "read:me:authentication_methods",
        |st, ui| {
            let methods: Vec<_> = methods::methods_of(&st.users[ui])
                .into_iter()
                .filter(|m| wanted.as_deref().is_none_or(|t| t == m.kind))
                .collect();
            Ok(json(
                StatusCode::OK,
                &serde_json::json!({ "authentication_methods": methods }),
            ))
        },
    )
}

async fn get_one(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(
        &app,
        &method,
        &uri,
        &headers,
        "read:me:authentication_methods",
        |st, ui| {
            Ok(json(
                StatusCode::OK,
                &methods::find_method(&st.users[ui], &id)?,
            ))
        },
    )
}

async fn start(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = json_body(&headers, body).await;
    call(
        &app,
        &method,
        &uri,
        &headers,
        "create:me:authentication_methods",
        |st, ui| {
            let started = st.start_method(ui, &body?)?;
            let response = json(StatusCode::ACCEPTED, &started.body);
            Ok(with_location(response, &st.base_url, &started.method_id))
        },
    )
}

async fn verify(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let body = json_body(&headers, body).await;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    call(
        &app,
        &method,
        &uri,
        &headers,
        "create:me:authentication_methods",
        |st, ui| {
            let confirmed = st.verify_method(ui, &id, &body?, &user_agent)?;
            let response = json(StatusCode::CREATED, &confirmed);
            Ok(with_location(response, &st.base_url, &confirmed.id))
        },
    )
}

async fn patch(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let body = json_body(&headers, body).await;
    call(
        &app,
        &method,
        &uri,
        &headers,
        "update:me:authentication_methods",
        |st, ui| Ok(json(StatusCode::OK, &st.patch_method(ui, &id, &body?)?)),
    )
}

async fn remove(
    AxState(app): App,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    call(
        &app,
        &method,
        &uri,
        &headers,
        "delete:me:authentication_methods",
        |st, ui| {
            st.delete_method(ui, &id)?;
            Ok(StatusCode::NO_CONTENT.into_response())
        },
    )
}

async fn factors(AxState(app): App, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    call(&app, &method, &uri, &headers, "read:me:factors", |st, _| {
        Ok(json(StatusCode::OK, &st.my_factors()))
    })
}
