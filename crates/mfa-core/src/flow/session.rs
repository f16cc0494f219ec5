//! The state of one person's sign-in: the short-lived `mfa_token`, the tokens once a factor
//! is verified, and the enrollment or challenge in progress.

use crate::client::{Auth0Client, MfaCredential, SignInOutcome};
use crate::error::{ApiError, FlowError};
use crate::flow::enroll_request::EnrollRequest;
use crate::input::{self, IdentifierKind, SignInName};
use crate::model::{Authenticator, FactorKind, MfaRequirements, TokenSet};
use crate::secret::{AccessToken, MfaToken, OobCode, SecretString};

/// What the person has to do after signing in (`"enroll"`, `"verify"`, `"done"` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NextStep {
    /// No active factor yet: enroll one (the `mfa_token` may be used to associate).
    Enroll,
    /// Prove one of the active factors (or use the recovery code).
    Verify,
    /// Signed in with MFA done: manage authenticators.
    Done,
}

/// An enrollment or challenge waiting for its code or push answer. There is one at a time:
/// starting another replaces it, and a verification ends it.
#[derive(Debug)]
pub(crate) struct Pending {
    pub kind: FactorKind,
    /// For SMS, voice, email and push; an authenticator app has none.
    pub oob_code: Option<OobCode>,
    /// Set when the step is an enrollment rather than a challenge.
    pub enrollment: Option<PendingEnrollment>,
    /// A My Account enrollment: its method id and `auth_session` (§S5.3).
    pub my_account: Option<crate::my_account::MethodStarted>,
}

/// What an enrollment in progress remembers between two requests.
#[derive(Debug)]
pub(crate) struct PendingEnrollment {
    /// What was asked for, so "send again" and "call me instead" reach the same destination.
    pub request: EnrollRequest,
    /// The authenticator app's key, for its Copy button: the webview shows the key but never
    /// hands it back, so Copy can put nothing else on the clipboard.
    pub otp_secret: Option<SecretString>,
}

#[derive(Debug)]
pub struct MfaSession {
    pub(crate) account: String,
    pub(crate) mfa_token: Option<MfaToken>,
    pub(crate) requirements: MfaRequirements,
    pub(crate) authenticators: Vec<Authenticator>,
    pub(crate) tokens: Option<TokenSet>,
    pub(crate) pending: Option<Pending>,
    /// The access token in `tokens` is for the My Account API (§S5), which then manages the
    /// person's methods; otherwise the MFA API does.
    pub(crate) through_my_account: bool,
}

impl MfaSession {
    /// Signs in with an email address and a password; see [`MfaSession::sign_in_as`].
    pub async fn sign_in(
        client: &Auth0Client,
        email: &str,
        password: String,
    ) -> Result<Self, FlowError> {
        Self::sign_in_as(client, IdentifierKind::Email, email, password).await
    }

    /// Signs in with a password and, when Auth0 asks for MFA, lists the person's
    /// authenticators with the `mfa_token` to decide between enrolling and verifying. The
    /// name (checked as `kind` says) and the password are checked before anything is sent:
    /// every refused attempt would count toward Auth0's brute-force block.
    pub async fn sign_in_as(
        client: &Auth0Client,
        kind: IdentifierKind,
        name: &str,
        password: String,
    ) -> Result<Self, FlowError> {
        let name = SignInName::parse(kind, name)?;
        let password = input::password(password)?;
        let mut session = Self {
            account: name.into_string(),
            mfa_token: None,
            requirements: MfaRequirements::default(),
            authenticators: Vec::new(),
            tokens: None,
            pending: None,
            through_my_account: false,
        };
        match client.sign_in(&session.account, &password).await? {
            SignInOutcome::Tokens(tokens) => session.tokens = Some(tokens),
            SignInOutcome::MfaRequired(required) => {
                session.mfa_token = Some(required.mfa_token);
                session.requirements = required.requirements;
                session.refresh_authenticators(client).await?;
            }
        }
        Ok(session)
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn next_step(&self) -> NextStep {
        if self.tokens.is_some() {
            NextStep::Done
        } else if self.active_factors().next().is_some() || self.has_recovery_code() {
            // With only a recovery code left (after the helpdesk's stolen-phone playbook, say)
            // the person signs in with it: Auth0 wants MFA from anyone enrolled.
            NextStep::Verify
        } else {
            NextStep::Enroll
        }
    }

    /// Every authenticator Auth0 listed, including inactive leftovers of abandoned enrollments.
    pub fn authenticators(&self) -> &[Authenticator] {
        &self.authenticators
    }

    /// Active factors a person can verify with (the recovery code is offered separately).
    pub fn active_factors(&self) -> impl Iterator<Item = &Authenticator> {
        self.authenticators.iter().filter(|a| {
            a.active && !matches!(a.kind(), FactorKind::RecoveryCode | FactorKind::Unknown)
        })
    }

    pub fn has_recovery_code(&self) -> bool {
        self.authenticators
            .iter()
            .any(|a| a.active && a.kind() == FactorKind::RecoveryCode)
    }

    /// `mfa_requirements` from the sign-in, when the tenant customises factors with Actions.
    pub fn requirements(&self) -> &MfaRequirements {
        &self.requirements
    }

    /// The tokens, once a factor has been verified (or when the tenant asked for no MFA).
    pub fn tokens(&self) -> Option<&TokenSet> {
        self.tokens.as_ref()
    }

    /// Which API lists the methods, for the rules of `crate::methods`.
    pub fn listing(&self) -> crate::methods::Listing {
        if self.through_my_account {
            crate::methods::Listing::MyAccount
        } else {
            crate::methods::Listing::MfaApi
        }
    }

    /// The My Account API access token: `Some` exactly when this session manages the
    /// person's methods through the My Account API (a browser sign-in on a tenant that
    /// offers it, §S5.1).
    pub fn my_account_token(&self) -> Option<&AccessToken> {
        self.tokens
            .as_ref()
            .filter(|_| self.through_my_account)
            .map(|tokens| &tokens.access_token)
    }

    pub fn is_verified(&self) -> bool {
        self.tokens.is_some()
    }

    /// Lists authenticators again: through the My Account API in a My Account session,
    /// else with the MFA-API access token once verified, otherwise with the `mfa_token`.
    pub async fn refresh_authenticators(
        &mut self,
        client: &Auth0Client,
    ) -> Result<&[Authenticator], FlowError> {
        if self.through_my_account {
            self.list_through_my_account(client).await?;
            return Ok(&self.authenticators);
        }
        let bearer = self.bearer_with_scope("read:authenticators")?;
        self.authenticators = client.list_authenticators(bearer).await?;
        Ok(&self.authenticators)
    }

    pub(crate) fn mfa_token(&self) -> Result<&MfaToken, FlowError> {
        self.mfa_token
            .as_ref()
            .ok_or(FlowError::Api(ApiError::MfaTokenExpired))
    }

    /// The access token when it carries `scope`, else the `mfa_token`.
    pub(crate) fn bearer_with_scope(&self, scope: &str) -> Result<MfaCredential<'_>, FlowError> {
        match &self.tokens {
            Some(tokens) if tokens.has_scope(scope) => Ok((&tokens.access_token).into()),
            _ => self.mfa_token().map(MfaCredential::from),
        }
    }

    /// Records the tokens a verification returned; the pending step is done.
    pub(crate) fn verified(&mut self, tokens: TokenSet) {
        self.tokens = Some(tokens);
        self.pending = None;
    }
}
