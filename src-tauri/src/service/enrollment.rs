//! Starting an enrollment: associate the factor, keep a first recovery code before anything
//! else happens (Auth0 shows it once), and say what the screen needs, including whether SMS
//! and voice can be switched.

use mfa_core::flow::{EnrollRequest, EnrollmentStarted, MfaSession, PUSH_QR_LIFETIME};
use mfa_core::secret::ExposeSecret;
use mfa_core::secret_store::{IssuedFor, PendingRecoveryCode};

use super::recovery_code::RecoveryCodes;
use super::resend_available_at;
use super::session::SignedInSession;
use crate::command_error::CommandResult;
use crate::state::Tenant;
use crate::views::{now_secs, EnrollmentView, OtpSetupView, PushSetupView};

/// Associates `request` (already checked against the tenant's factors) on the signed-in
/// session. The session keeps the enrollment in progress for "send again" and Copy.
pub async fn start(
    session: &SignedInSession,
    tenant: &Tenant,
    codes: &RecoveryCodes,
    request: EnrollRequest,
) -> CommandResult<EnrollmentView> {
    let (started, account) = session
        .with(tenant, async |session: &mut MfaSession, client| {
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
    if let Some(code) = recovery_code {
        // Kept before anything else happens: Auth0 shows this code once.
        let pending = PendingRecoveryCode {
            account: account.clone(),
            code,
            issued_at: now_secs(),
            reason: IssuedFor::Enrollment,
        };
        codes.keep(pending).await?;
    }
    Ok(EnrollmentView {
        kind,
        sent_to: masked_destination,
        otp: otp.map(|setup| OtpSetupView::new(&setup, &tenant.name, &account)),
        push: push_uri.map(|uri| PushSetupView {
            qr_data_url: mfa_core::qr::svg_data_url(uri.expose_secret()).unwrap_or_default(),
            expires_at: now_secs() + PUSH_QR_LIFETIME.as_secs(),
        }),
        resend_available_at: resend_available_at(kind),
        switch_to: request.switchable_channel(&tenant.factors),
    })
}
