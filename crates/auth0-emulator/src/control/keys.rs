//! `GET /__emulator/keys` and `POST /__emulator/keys/rotate`: the signing
//! keys' kids, and a rotation (§S1.4) so clients can be tested against it.

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::ok;
use crate::control_api::SigningKeyIds;
use crate::state::{Shared, State};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__emulator/keys", get(list))
        .route("/__emulator/keys/rotate", post(rotate))
}

fn ids(st: &State) -> SigningKeyIds {
    SigningKeyIds {
        current: st.keys.current.kid.clone(),
        next: st.keys.next.kid.clone(),
        previous: st.keys.previous.as_ref().map(|k| k.kid.clone()),
    }
}

async fn list(AxState(app): AxState<Arc<Shared>>) -> Response {
    ok(&ids(&app.lock()))
}

async fn rotate(AxState(app): AxState<Arc<Shared>>) -> Response {
    let mut st = app.lock();
    let now = st.clock.now_ms();
    st.keys.rotate(now);
    ok(&ids(&st))
}
