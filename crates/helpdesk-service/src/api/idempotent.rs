//! Every changing request carries an `Idempotency-Key` header. The first request with a key
//! claims it and its answer is kept; a retry with the same key and the same request gets that
//! answer back (`Idempotent-Replayed: true`) and changes nothing. The kept answer of an issued
//! recovery code holds no code: the replay says it was already shown.

use std::future::Future;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mfa_core::ErrorCode;
use sha2::{Digest, Sha256};

use super::{AgentRequest, ApiError, AppState};
use crate::store::idempotency::{self, Claim};

pub const HEADER: &str = "idempotency-key";
const MAX_KEY: usize = 200;

/// Runs `work` once per key. `what` identifies the request (path and body) for the
/// fingerprint; `work` returns the status and JSON body to send.
pub async fn once<F>(
    state: &AppState,
    request: &AgentRequest,
    headers: &HeaderMap,
    what: &str,
    work: F,
) -> Response
where
    F: Future<Output = Result<(StatusCode, serde_json::Value), ApiError>>,
{
    let Some(key) = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY)
    else {
        return ApiError::bad_request(ErrorCode::IdempotencyKeyMissing).into_response();
    };
    let fingerprint = data_encoding::HEXLOWER.encode(&Sha256::digest(what.as_bytes()));
    let sub = &request.agent.sub;
    match idempotency::claim(&state.store, sub, key, &fingerprint).await {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Claim::Mismatch) => {
            let error = ApiError::new(422, ErrorCode::IdempotencyKeyMismatch);
            request
                .refuse(state, "idempotency", None, error)
                .await
                .into_response()
        }
        Ok(Claim::InProgress) => {
            ApiError::conflict(ErrorCode::IdempotencyKeyInProgress).into_response()
        }
        Ok(Claim::Done { status, body }) => {
            let mut response = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                [("content-type", "application/json")],
                body,
            )
                .into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Claim::New) => {
            let (status, body) = match work.await {
                Ok(answer) => answer,
                Err(error) => (
                    error.status,
                    serde_json::to_value(&error.body).unwrap_or_default(),
                ),
            };
            if let Err(e) = idempotency::finish(
                &state.store,
                sub,
                key,
                status.as_u16(),
                &kept(&body).to_string(),
            )
            .await
            {
                tracing::error!(error = %e, "an idempotent answer could not be kept");
            }
            (status, axum::Json(body)).into_response()
        }
    }
}

/// The answer as kept for replays: without the recovery code.
fn kept(body: &serde_json::Value) -> serde_json::Value {
    let mut kept = body.clone();
    if let Some(object) = kept.as_object_mut() {
        if object.remove("recovery_code").is_some() {
            object.insert("replayed".into(), serde_json::Value::Bool(true));
        }
    }
    kept
}
