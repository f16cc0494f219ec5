//! The enroll wizard: check a phone number, associate a factor, confirm it, wait for push.

use std::sync::atomic::Ordering;

use mfa_core::flow::{EnrollRequest, EnrollmentStarted, MfaSession, PushPolling, PushStatus};
use mfa_core::input::{Email, PhoneNumber};
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};
use mfa_core::FlowError;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use super::with_session;
use crate::command_error::{CommandError, CommandResult};
use crate::state::AppState;
use crate::views::{
    authenticator_views, issuer_of, now_secs, ConfirmedView, EnrollmentView, OtpSetupView,
    PushSetupView,
};

/// Auth0 leaves five minutes to scan the Guardian QR code.
const PUSH_QR_LIFETIME_SECS: u64 = 300;
/// A resend is offered after this long; Auth0's own limits (and their 429 reset time) come on top.
pub const RESEND_COOLDOWN_SECS: u64 = 30;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView {
    e164: String,
    display: String,
}

/// Validates a phone number for the "is this number right?" step; nothing is sent.
#[tauri::command]
pub fn normalize_phone(country: String, number: String) -> CommandResult<PhoneView> {
    let phone = PhoneNumber::parse(Some(&country), &number)?;
    Ok(PhoneView {
        e164: phone.e164().to_owned(),
        display: phone.international().to_owned(),
    })
}

fn enroll_request(
    kind: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> CommandResult<EnrollRequest> {
    let phone = || PhoneNumber::parse(None, phone.unwrap_or_default());
    Ok(match kind {
        "otp" => EnrollRequest::Otp,
        "sms" => EnrollRequest::Sms(phone()?),
        "voice" => EnrollRequest::Voice(phone()?),
        "email" => EnrollRequest::Email(Email::parse(email.unwrap_or_default())?),
        "push" => EnrollRequest::Push,
        _ => return Err(CommandError::new("factor_not_allowed")),
    })
}

#[tauri::command]
pub async fn enroll_start(
    state: State<'_, AppState>,
    kind: String,
    phone: Option<String>,
    email: Option<String>,
) -> CommandResult<EnrollmentView> {
    let request = enroll_request(&kind, phone.as_deref(), email.as_deref())?;
    if !state.tenant()?.factors.contains(&request.kind()) {
        return Err(CommandError::new("factor_not_allowed"));
    }
    start(&state, request).await
}

/// Sends the code again, or switches between SMS and voice for the same phone.
#[tauri::command]
pub async fn enroll_resend(
    state: State<'_, AppState>,
    channel: Option<String>,
) -> CommandResult<EnrollmentView> {
    let previous = state
        .wizard()
        .enrollment
        .clone()
        .ok_or(CommandError::new("no_pending_code"))?;
    let request = match (previous, channel.as_deref()) {
        (EnrollRequest::Sms(phone) | EnrollRequest::Voice(phone), Some("voice")) => {
            EnrollRequest::Voice(phone)
        }
        (EnrollRequest::Sms(phone) | EnrollRequest::Voice(phone), Some("sms")) => {
            EnrollRequest::Sms(phone)
        }
        (request, _) => request,
    };
    if !state.tenant()?.factors.contains(&request.kind()) {
        return Err(CommandError::new("factor_not_allowed"));
    }
    start(&state, request).await
}

async fn start(state: &AppState, request: EnrollRequest) -> CommandResult<EnrollmentView> {
    let (started, account) = with_session(state, async |session: &mut MfaSession, client| {
        let started = session.start_enrollment(client, &request).await?;
        Ok((started, session.account().to_owned()))
    })
    .await?;
    state.wizard().enrollment = Some(request);
    let EnrollmentStarted {
        kind,
        masked_destination,
        otp,
        push_uri,
        recovery_code,
    } = started;
    if let Some(code) = recovery_code {
        // Kept before anything else happens: Auth0 shows this code once.
        keep_recovery_code(
            state,
            PendingRecoveryCode {
                account: account.clone(),
                code,
                issued_at: now_secs(),
                reason: IssuedFor::Enrollment,
            },
        );
    }
    let tenant_name = &state.tenant()?.name;
    let otp = otp.map(|setup| {
        let issuer =
            issuer_of(setup.barcode_uri.expose_secret()).unwrap_or_else(|| tenant_name.clone());
        OtpSetupView::new(&setup, &issuer, &account)
    });
    let push = push_uri.map(|uri| PushSetupView {
        qr_data_url: mfa_core::qr::svg_data_url(uri.expose_secret()).unwrap_or_default(),
        expires_at: now_secs() + PUSH_QR_LIFETIME_SECS,
    });
    Ok(EnrollmentView {
        kind: kind.as_str(),
        sent_to: masked_destination,
        otp,
        push,
        resend_available_at: kind.sends_code().then(|| now_secs() + RESEND_COOLDOWN_SECS),
    })
}

/// Stores a recovery code in the keyring (falling back to memory only, never to a file) and
/// remembers it for the export dialog.
pub(crate) fn keep_recovery_code(state: &AppState, pending: PendingRecoveryCode) {
    let in_keyring = match state.vault().map(|vault| vault.keep(&pending)) {
        // Without a keyring the vault is the in-memory fallback: kept, but not safe.
        Ok(Ok(())) => state.keyring_problem.is_none(),
        Ok(Err(error)) => {
            tracing::warn!(code = error.code(), "recovery code kept in memory only");
            false
        }
        Err(_) => false,
    };
    let mut wizard = state.wizard();
    wizard.recovery_code = Some(pending);
    wizard.recovery_code_in_keyring = in_keyring;
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
    confirmed(&app, &state).await
}

/// What every successful verification leads to: the refreshed list, and the recovery code
/// to export when this was the first enrollment.
pub(crate) async fn confirmed<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> CommandResult<ConfirmedView> {
    state.wizard().enrollment = None;
    crate::commands::verify::remember_refresh_token(state).await;
    let authenticators = with_session(state, async |session: &mut MfaSession, client| {
        Ok(authenticator_views(
            session.refresh_authenticators(client).await?,
        ))
    })
    .await?;
    let tenant = state.tenant()?;
    let recovery_code = crate::commands::recovery::shown_code_view(state, tenant);
    crate::commands::recovery::guard_screen(app, state);
    Ok(ConfirmedView {
        recovery_code,
        authenticators,
    })
}

/// Waits for the push answer (enrollment or verification), polling as Auth0 asks, without
/// holding the session between polls so that `push_cancel` and other commands get through.
#[tauri::command]
pub async fn push_wait<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<ConfirmedView> {
    state.push_cancelled.store(false, Ordering::Relaxed);
    let mut polling = PushPolling::default();
    loop {
        let status = with_session(&state, async |session: &mut MfaSession, client| {
            session.poll_push(client).await
        })
        .await?;
        if status == PushStatus::Approved {
            return confirmed(&app, &state).await;
        }
        let deadline = tokio::time::Instant::now() + polling.next_delay(status);
        while tokio::time::Instant::now() < deadline {
            if state.push_cancelled.load(Ordering::Relaxed) {
                return Err(FlowError::Cancelled.into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

#[tauri::command]
pub async fn push_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.push_cancelled.store(true, Ordering::Relaxed);
    Ok(())
}
