//! The enroll wizard: check a phone number, associate a factor, confirm it, wait for push.

use mfa_core::flow::{wait_for_approval, EnrollRequest, MfaSession, PushPolling};
use mfa_core::input::PhoneNumber;
use mfa_core::model::FactorKind;
use tauri::{AppHandle, Runtime, State};

use crate::app_state::AppState;
use crate::command_error::CommandResult;
use crate::service::clipboard::copy_then_clear;
use crate::service::session::after_verification;
use crate::service::{blocking, enrollment};
use crate::views::{ConfirmedView, EnrollmentView, PhoneView};

/// The phone step is shown: libphonenumber's metadata loads while the person types, so that
/// only people adding a phone pay for it (README, "Performance").
#[tauri::command]
pub async fn prepare_phone_check() -> CommandResult<()> {
    blocking(PhoneNumber::preload).await;
    Ok(())
}

/// Validates a phone number for the "is this number right?" step; nothing is sent. On a
/// blocking thread: the first check may still be loading the metadata.
#[tauri::command]
pub async fn normalize_phone(country: String, number: String) -> CommandResult<PhoneView> {
    let phone = blocking(move || PhoneNumber::parse(Some(&country), &number)).await?;
    Ok(PhoneView {
        e164: phone.e164().to_owned(),
        display: phone.international().to_owned(),
    })
}

#[tauri::command]
pub async fn enroll_start(
    state: State<'_, AppState>,
    kind: FactorKind,
    phone: Option<String>,
    email: Option<String>,
) -> CommandResult<EnrollmentView> {
    let tenant = state.config.tenant()?;
    let request = EnrollRequest::new(kind, phone.as_deref(), email.as_deref())?
        .offered_in(&tenant.factors)?;
    enrollment::start(&state.session, tenant, &state.codes, request).await
}

/// Sends the code again, or switches between SMS and voice for the same phone.
#[tauri::command]
pub async fn enroll_resend(
    state: State<'_, AppState>,
    channel: Option<FactorKind>,
) -> CommandResult<EnrollmentView> {
    let tenant = state.config.tenant()?;
    let previous = state.session.pending_enrollment().await?;
    let request = match channel {
        Some(channel) => previous.on_channel(channel),
        None => previous,
    }
    .offered_in(&tenant.factors)?;
    enrollment::start(&state.session, tenant, &state.codes, request).await
}

/// Copies the authenticator-app key of the enrollment in progress, cleared after a while
/// like every copied secret. The key comes from Rust's side of the enrollment.
#[tauri::command]
pub async fn copy_totp_secret(state: State<'_, AppState>) -> CommandResult<()> {
    copy_then_clear(state.session.pending_otp_secret().await?).await
}

#[tauri::command]
pub async fn enroll_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<ConfirmedView> {
    let tenant = state.config.tenant()?;
    state
        .session
        .with(tenant, async |session: &mut MfaSession, client| {
            session.confirm(client, &code).await
        })
        .await?;
    after_verification(&app, &state.session, tenant, &state.codes).await
}

/// Waits for the push answer (enrollment or verification). The session is locked only for
/// each poll, so `push_cancel` and other commands get through meanwhile.
#[tauri::command]
pub async fn push_wait<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<ConfirmedView> {
    let tenant = state.config.tenant()?;
    let cancel = state.session.start_push_wait();
    wait_for_approval(PushPolling::default(), &cancel, || {
        state
            .session
            .with(tenant, async |session: &mut MfaSession, client| {
                session.poll_push(client).await
            })
    })
    .await?;
    after_verification(&app, &state.session, tenant, &state.codes).await
}

#[tauri::command]
pub async fn push_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.session.cancel_push_wait();
    Ok(())
}
