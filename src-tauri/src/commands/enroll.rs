//! The enroll wizard: check a phone number, associate a factor, confirm it, wait for push.

use mfa_core::flow::PUSH_QR_LIFETIME;
use mfa_core::flow::{
    wait_for_approval, EnrollRequest, EnrollmentStarted, MfaSession, PushPolling,
};
use mfa_core::input::PhoneNumber;
use mfa_core::model::FactorKind;
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use mfa_core::FlowError;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::command_error::CommandResult;
use crate::service::clipboard::copy_then_clear;
use crate::service::session::{after_verification, with_session};
use crate::service::{blocking, recovery_code, resend_available_at};
use crate::state::AppState;
use crate::views::{now_secs, ConfirmedView, EnrollmentView, OtpSetupView, PushSetupView};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView {
    e164: String,
    display: String,
}

/// The phone step is shown: libphonenumber's metadata (about 6 MiB and 0.1 s of CPU, once
/// per run) loads while the person types, so that only people adding a phone pay for it.
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
    let request = EnrollRequest::new(kind, phone.as_deref(), email.as_deref())?
        .offered_in(&state.tenant()?.factors)?;
    start(&state, request).await
}

/// Sends the code again, or switches between SMS and voice for the same phone.
#[tauri::command]
pub async fn enroll_resend(
    state: State<'_, AppState>,
    channel: Option<FactorKind>,
) -> CommandResult<EnrollmentView> {
    let previous = state
        .wizard()
        .enrollment
        .clone()
        .ok_or(FlowError::NothingPending)?;
    let request = match channel {
        Some(channel) => previous.on_channel(channel),
        None => previous,
    }
    .offered_in(&state.tenant()?.factors)?;
    start(&state, request).await
}

async fn start(state: &AppState, request: EnrollRequest) -> CommandResult<EnrollmentView> {
    let (started, account) = with_session(state, async |session: &mut MfaSession, client| {
        let started = session.start_enrollment(client, &request).await?;
        Ok((started, session.account().to_owned()))
    })
    .await?;
    let EnrollmentStarted {
        kind,
        masked_destination,
        otp,
        push_uri,
        recovery_code,
    } = started;
    {
        let mut wizard = state.wizard();
        wizard.enrollment = Some(request);
        wizard.otp_secret = otp.as_ref().map(|setup| setup.secret.clone());
    }
    if let Some(code) = recovery_code {
        // Kept before anything else happens: Auth0 shows this code once.
        let pending = PendingRecoveryCode {
            account: account.clone(),
            code,
            issued_at: now_secs(),
            reason: IssuedFor::Enrollment,
        };
        recovery_code::keep(state, pending).await?;
    }
    let tenant_name = &state.tenant()?.name;
    Ok(EnrollmentView {
        kind: kind.as_str(),
        sent_to: masked_destination,
        otp: otp.map(|setup| OtpSetupView::new(&setup, tenant_name, &account)),
        push: push_uri.map(|uri| PushSetupView {
            qr_data_url: mfa_core::qr::svg_data_url(uri.expose_secret()).unwrap_or_default(),
            expires_at: now_secs() + PUSH_QR_LIFETIME.as_secs(),
        }),
        resend_available_at: resend_available_at(kind),
    })
}

/// Copies the authenticator-app key of the enrollment in progress, cleared after a while
/// like every copied secret. The key comes from Rust's side of the enrollment.
#[tauri::command]
pub async fn copy_totp_secret(state: State<'_, AppState>) -> CommandResult<()> {
    let secret = state
        .wizard()
        .otp_secret
        .clone()
        .ok_or(FlowError::NothingPending)?;
    copy_then_clear(secret).await
}

#[tauri::command]
pub async fn enroll_confirm<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    code: String,
) -> CommandResult<ConfirmedView> {
    with_session(&state, async |session: &mut MfaSession, client| {
        session.confirm(client, &code).await
    })
    .await?;
    after_verification(&app, &state).await
}

/// Waits for the push answer (enrollment or verification). The session is locked only for
/// each poll, so `push_cancel` and other commands get through meanwhile.
#[tauri::command]
pub async fn push_wait<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<ConfirmedView> {
    let cancel = state.start_push_wait();
    let state = &*state;
    wait_for_approval(PushPolling::default(), &cancel, || {
        with_session(state, async |session: &mut MfaSession, client| {
            session.poll_push(client).await
        })
    })
    .await?;
    after_verification(&app, state).await
}

#[tauri::command]
pub async fn push_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.cancel_push_wait();
    Ok(())
}
