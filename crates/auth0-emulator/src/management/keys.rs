//! The tenant's signing keys in the Management API (§S1.4):
//! `GET /api/v2/keys/signing`, `POST /api/v2/keys/signing/rotate`,
//! `PUT /api/v2/keys/signing/{kid}/revoke`.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::boom::Boom;
use super::call;
use crate::errors::json_response;
use crate::signing::SigningKey;
use crate::state::{Shared, State};
use crate::timefmt::iso8601;

type App = AxState<Arc<Shared>>;

/// One key (NODE `SigningKeys`). ASSUMPTION: `pkcs7` is not sent.
#[derive(Serialize)]
struct KeyView {
    kid: String,
    cert: String,
    current: bool,
    next: bool,
    previous: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_until: Option<String>,
    fingerprint: String,
    thumbprint: String,
    revoked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked_at: Option<String>,
}

/// `{cert, kid}`: the answer of rotate and revoke.
#[derive(Serialize)]
struct KeyRef {
    cert: String,
    kid: String,
}

fn view(st: &State, key: &SigningKey) -> KeyView {
    let keys = &st.keys;
    let thumbprint = keys.thumbprint_hex(key);
    let fingerprint = thumbprint
        .as_bytes()
        .chunks(2)
        .map(|pair| std::str::from_utf8(pair).expect("hex"))
        .collect::<Vec<_>>()
        .join(":");
    KeyView {
        kid: key.kid.clone(),
        cert: keys.cert_pem(key),
        current: key.kid == keys.current.kid,
        next: key.kid == keys.next.kid,
        previous: keys.previous.as_ref().is_some_and(|p| p.kid == key.kid),
        current_since: key.current_since_ms.map(iso8601),
        current_until: key.current_until_ms.map(iso8601),
        fingerprint,
        thumbprint,
        revoked: key.revoked_at_ms.is_some(),
        revoked_at: key.revoked_at_ms.map(iso8601),
    }
}

/// `GET /api/v2/keys/signing` (`read:signing_keys`)
pub async fn list(AxState(app): App, headers: HeaderMap) -> Response {
    call(&app, &headers, &["read:signing_keys"], |st| {
        let k = &st.keys;
        let all = k.published().into_iter().chain(k.retired.iter().rev());
        let views: Vec<KeyView> = all.map(|key| view(st, key)).collect();
        Ok(json_response(StatusCode::OK, &views))
    })
}

/// `POST /api/v2/keys/signing/rotate` (`create:signing_keys`, `update:signing_keys`):
/// the same rotation as `POST /__emulator/keys/rotate`; the new current key.
pub async fn rotate(AxState(app): App, headers: HeaderMap) -> Response {
    let scopes = &["create:signing_keys", "update:signing_keys"];
    call(&app, &headers, scopes, |st| {
        let now = st.clock.now_ms();
        st.keys.rotate(now);
        let current = &st.keys.current;
        let answer = KeyRef {
            cert: st.keys.cert_pem(current),
            kid: current.kid.clone(),
        };
        Ok(json_response(StatusCode::CREATED, &answer))
    })
}

/// `PUT /api/v2/keys/signing/{kid}/revoke` (`update:signing_keys`). ASSUMPTION:
/// only the previous key may be revoked; others answer 400 or 404.
pub async fn revoke(AxState(app): App, headers: HeaderMap, Path(kid): Path<String>) -> Response {
    call(&app, &headers, &["update:signing_keys"], |st| {
        let k = &st.keys;
        let known = k.published().iter().any(|key| key.kid == kid)
            || k.retired.iter().any(|key| key.kid == kid);
        if !known {
            return Err(Boom::new(404, "Signing key not found"));
        }
        let cert = {
            let key = k.previous.as_ref().filter(|p| p.kid == kid);
            key.map(|p| k.cert_pem(p))
        };
        let now = st.clock.now_ms();
        match cert {
            Some(cert) if st.keys.revoke(&kid, now) => {
                Ok(json_response(StatusCode::OK, &KeyRef { cert, kid }))
            }
            _ => Err(Boom::new(
                400,
                "Only the previous signing key can be revoked",
            )),
        }
    })
}
