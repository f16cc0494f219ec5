//! Start-up state, sign-in and sign-out.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::command_error::CommandResult;
use crate::service::screen_guard::guard_screen;
use crate::service::session::forget_legacy_refresh_token;
use crate::service::{browser_sign_in, recovery_code};
use crate::state::{AppState, ConfigProblem, Helpdesk};
use crate::views::{RecoveryCodeView, SignInView};
use mfa_core::flow::MfaSession;
use mfa_core::input::IdentifierKind;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantView {
    domain: String,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInView {
    account: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStateView {
    tenant: Option<TenantView>,
    /// `email` or `username`: the sign-in field's label and check follow it.
    sign_in_identifier: IdentifierKind,
    demo: bool,
    factors: Vec<&'static str>,
    /// `"password"` or `"browser"`: which sign-in screen to show.
    sign_in: &'static str,
    locale: String,
    locale_managed: bool,
    helpdesk: Option<Helpdesk>,
    /// IT turned helpdesk mode on (or this is the demo): the sign-in screen offers it.
    helpdesk_mode: bool,
    pending_recovery_code: Option<RecoveryCodeView>,
    signed_in: Option<SignedInView>,
    keyring_error: Option<mfa_core::ErrorCode>,
    config_error: Option<ConfigProblem>,
}

/// Everything the UI needs at start-up. A recovery code that was never confirmed (the app
/// crashed or was closed while showing it) comes back here, before anything else.
#[tauri::command]
pub async fn app_state<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<AppStateView> {
    recovery_code::load_pending(&state).await;
    let pending_recovery_code = recovery_code::shown(&state);
    guard_screen(&app, &state);
    let tenant = state.tenant.as_ref();
    let signed_in = state.session.lock().await.as_ref().map(|s| SignedInView {
        account: s.account().to_owned(),
    });
    Ok(AppStateView {
        tenant: tenant.map(|t| TenantView {
            domain: t.domain.clone(),
            name: t.name.clone(),
        }),
        sign_in_identifier: tenant.map(|t| t.sign_in_identifier).unwrap_or_default(),
        demo: state.demo.is_some(),
        factors: tenant
            .map(|t| t.factors.iter().map(|f| f.as_str()).collect())
            .unwrap_or_default(),
        sign_in: tenant.map_or("password", |t| t.sign_in.as_str()),
        locale: state.locale.clone(),
        locale_managed: state.locale_managed,
        helpdesk: state.helpdesk.clone(),
        helpdesk_mode: state.helpdesk_setup.is_some(),
        pending_recovery_code,
        signed_in,
        keyring_error: state.keyring_problem,
        config_error: state.config_problem.clone(),
    })
}

/// The webview painted its first screen: logged once for the start-up benchmark
/// (`scripts/bench-startup`) and for anyone wondering why a start felt slow.
#[tauri::command]
pub fn first_screen_shown() {
    static SHOWN: std::sync::Once = std::sync::Once::new();
    SHOWN.call_once(|| {
        tracing::info!(
            since_start_ms = crate::since_start_ms(),
            "first screen interactive"
        );
    });
}

#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CommandResult<SignInView> {
    let tenant = state.tenant()?;
    let session = MfaSession::sign_in_as(
        &tenant.client,
        tenant.sign_in_identifier,
        &username,
        password,
    )
    .await?;
    let view = SignInView::new(&session);
    *state.session.lock().await = Some(session);
    forget_legacy_refresh_token(&state, &view.account).await;
    Ok(view)
}

/// Forgets the session. Tokens only ever lived in memory; a recovery code the person has
/// not confirmed stays in the keyring on purpose: losing it would lock them out.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<()> {
    // The MFA session, and a helpdesk session if an agent was signed in.
    crate::service::helpdesk::end(&state).await;
    state.wizard().end_enrollment();
    browser_sign_in::cancel(&state).await;
    Ok(())
}
