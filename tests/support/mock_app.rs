//! The app on Tauri's mock runtime (no window), driven as its webview would drive it: one way
//! to build it and call its commands, for every command-layer test.

use std::sync::Arc;

use mfa_core::secret_store::{MemoryStore, SecretStore, StoreError};
use mfa_core::SecretString;
use mfa_desk::launch::Launch;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

pub struct MockApp {
    _app: tauri::App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
}

/// The app as `launch` starts it, with `store` for secrets.
pub async fn mock_app(launch: Launch, store: Box<dyn SecretStore>) -> MockApp {
    let state = mfa_desk::prepare_state_with(launch, store, None).await;
    let app = mfa_desk::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    MockApp { _app: app, webview }
}

impl MockApp {
    /// Invokes a command as the webview would; `Err` carries the serialized `CommandError`.
    pub async fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_in_background(cmd, args).await.unwrap()
    }

    /// As [`MockApp::call`], answering later: for commands that wait.
    pub fn call_in_background(
        &self,
        cmd: &str,
        args: Value,
    ) -> tokio::task::JoinHandle<Result<Value, Value>> {
        let webview = self.webview.clone();
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        // The mock IPC blocks until the command answers; keep it off the async runtime.
        tokio::task::spawn_blocking(move || {
            tauri::test::get_ipc_response(&webview, request)
                .map(|body| body.deserialize::<Value>().unwrap())
        })
    }

    pub async fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Signs `email` in and verifies with the authenticator app whose secret is given.
    pub async fn sign_in_with_mfa(&self, auth0: &super::Auth0, email: &str, totp_secret: &str) {
        let signed_in = self
            .ok(
                "sign_in",
                json!({"username": email, "password": super::PASSWORD}),
            )
            .await;
        let otp = signed_in["authenticators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "otp")
            .expect("an authenticator app")["id"]
            .clone();
        self.ok("verify_start", json!({"authenticatorId": otp}))
            .await;
        self.ok(
            "verify_confirm",
            json!({"code": auth0.totp(totp_secret).await}),
        )
        .await;
    }
}

/// Lets a test look into the store the app writes to.
pub struct SharedStore(pub Arc<MemoryStore>);

impl SecretStore for SharedStore {
    fn get(&self, key: &str) -> Result<Option<SecretString>, StoreError> {
        self.0.get(key)
    }
    fn set(&self, key: &str, value: &SecretString) -> Result<(), StoreError> {
        self.0.set(key, value)
    }
    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.0.delete(key)
    }
}
