//! Start-up and sign-in: what the first screen needs, and where a new session goes next.

use mfa_core::flow::{MfaSession, NextStep};
use mfa_core::input::IdentifierKind;
use mfa_core::model::FactorKind;
use mfa_core::ErrorCode;
use serde::Serialize;

use super::{MethodsView, RecoveryCodeView};
use crate::state::{AppConfig, ConfigProblem, HelpdeskContact, SignInMode};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInView {
    pub next: NextStep,
    pub account: String,
    #[serde(flatten)]
    pub methods: MethodsView,
    /// The kinds the enroll screen offers: the organisation's, less those the tenant's
    /// `enroll` rule leaves out (spec §2.2).
    pub enrollable: Vec<FactorKind>,
    /// The tenant's `challenge` rule lets the recovery code verify this sign-in.
    pub recovery_allowed: bool,
}

impl SignInView {
    /// Where a new session goes next, who it is, the authenticators listed so far and what
    /// the tenant lets this sign-in enroll (`offered`: the organisation's factors).
    pub fn new(session: &MfaSession, offered: &[FactorKind]) -> Self {
        let rules = session.requirements();
        Self {
            next: session.next_step(),
            account: session.account().to_owned(),
            methods: MethodsView::new(session),
            enrollable: rules.enrollable(offered),
            recovery_allowed: rules.may_challenge(FactorKind::RecoveryCode),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantView {
    pub domain: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInView {
    pub account: String,
}

/// Which sign-in screen to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignInMethod {
    Password,
    Browser,
}

impl From<&SignInMode> for SignInMethod {
    fn from(mode: &SignInMode) -> Self {
        match mode {
            SignInMode::Password => Self::Password,
            SignInMode::Browser(_) => Self::Browser,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpdeskContactView {
    pub text: Option<String>,
    pub url: Option<String>,
}

impl From<&HelpdeskContact> for HelpdeskContactView {
    fn from(contact: &HelpdeskContact) -> Self {
        Self {
            text: contact.text.clone(),
            url: contact.url.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigProblemView {
    pub file: String,
    pub key: String,
    pub problem: String,
}

impl From<&ConfigProblem> for ConfigProblemView {
    fn from(problem: &ConfigProblem) -> Self {
        Self {
            file: problem.file.clone(),
            key: problem.key.clone(),
            problem: problem.problem.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStateView {
    pub tenant: Option<TenantView>,
    /// `email` or `username`: the sign-in field's label and check follow it.
    pub sign_in_identifier: IdentifierKind,
    pub demo: bool,
    pub factors: Vec<FactorKind>,
    pub sign_in: SignInMethod,
    pub locale: String,
    pub locale_managed: bool,
    pub helpdesk: Option<HelpdeskContactView>,
    /// IT turned helpdesk mode on (or this is the demo): the sign-in screen offers it.
    pub helpdesk_mode: bool,
    pub pending_recovery_code: Option<RecoveryCodeView>,
    pub signed_in: Option<SignedInView>,
    pub keyring_error: Option<ErrorCode>,
    pub config_error: Option<ConfigProblemView>,
}

impl AppStateView {
    /// The configuration's part of the first screen; the caller adds what changes.
    pub fn new(config: &AppConfig, demo: bool, helpdesk_mode: bool) -> Self {
        let tenant = config.tenant.as_ref();
        Self {
            tenant: tenant.map(|t| TenantView {
                domain: t.domain.clone(),
                name: t.name.clone(),
            }),
            sign_in_identifier: tenant.map(|t| t.sign_in_identifier).unwrap_or_default(),
            demo,
            factors: tenant.map(|t| t.factors.clone()).unwrap_or_default(),
            sign_in: tenant.map_or(SignInMethod::Password, |t| (&t.sign_in).into()),
            locale: config.locale.clone(),
            locale_managed: config.locale_managed,
            helpdesk: config.helpdesk_contact.as_ref().map(Into::into),
            helpdesk_mode,
            pending_recovery_code: None,
            signed_in: None,
            keyring_error: config.keyring_problem,
            config_error: config.problem.as_ref().map(Into::into),
        }
    }
}
