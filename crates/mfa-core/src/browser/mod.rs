//! Signing in through the system browser (spec §2.4, RFC 8252): for people whose organisation
//! signs them in with single sign-on, passwordless or passkeys, where the password grant
//! cannot work. Auth0's hosted page does the sign-in and the MFA step; the app receives a
//! code on a loopback redirect, redeems it with PKCE, and gets an MFA-API access token with
//! which it lists, adds and removes the person's authenticators.
//!
//! One [`BrowserSignIn`] is one attempt: [`BrowserSignIn::start`] binds the listener and
//! builds the address to open (the caller opens it: the core opens no window),
//! [`BrowserSignIn::wait`] waits for the callback, and [`BrowserSignIn::finish`] redeems the
//! code and builds the [`MfaSession`]. Dropping it at any point closes the listener and
//! leaves nothing behind.

mod authorize;
mod fresh;
mod loopback;
mod page;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use url::Url;

pub use crate::error::BrowserError;
pub use crate::oauth::{NoRandomness, OAuthState, PkceVerifier};
pub use authorize::{authorize_url, AuthorizeRequest};
pub use fresh::{check_fresh, FreshApiSignIn, MULTI_FACTOR_ACR};
pub use loopback::{Callback, Loopback, CALLBACK_PATH};
pub use page::{CallbackTexts, PageKind};

use crate::client::Auth0Client;
use crate::error::FlowError;
use crate::flow::MfaSession;
use crate::model::TokenSet;
use crate::secret::AuthorizationCode;

/// What IT configured for browser sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserOptions {
    /// Auth0's `connection`: go straight to this identity provider.
    pub connection: Option<String>,
    /// A fixed loopback port, for tenants whose allowed callback URLs name one.
    pub redirect_port: Option<u16>,
}

/// One browser sign-in in progress.
#[derive(Debug)]
pub struct BrowserSignIn {
    loopback: Loopback,
    verifier: PkceVerifier,
    redirect_uri: String,
    url: Url,
    /// For a fresh sign-in: what it asked for, and when (Unix seconds).
    fresh: Option<(FreshApiSignIn, u64)>,
    /// Asked for the My Account API rather than the MFA API.
    my_account: bool,
}

/// What a sign-in asks for.
#[derive(Debug)]
enum Purpose {
    MfaApi,
    MyAccount,
    Fresh(FreshApiSignIn),
}

/// Auth0's answer to a sign-in for an API the tenant does not have (§S1.1, §S5.1).
fn service_not_found(config: &crate::config::TenantConfig) -> String {
    format!("Service not found: {}", config.my_account_audience())
}

/// True when `error` is the tenant's exact answer that it has no My Account API: the
/// callback's `access_denied` "Service not found: https://{domain}/me/", or the same answer
/// from the token endpoint. Nothing else counts, a bare status least of all.
pub fn tenant_lacks_my_account(config: &crate::config::TenantConfig, error: &FlowError) -> bool {
    match error {
        FlowError::Browser(BrowserError::Denied { description }) => {
            *description == service_not_found(config)
        }
        FlowError::Api(error) => {
            crate::my_account::unavailable_at_sign_in(error, &config.my_account_audience())
        }
        _ => false,
    }
}

impl BrowserSignIn {
    /// Binds the loopback listener and builds the `/authorize` address. Nothing is sent yet.
    pub async fn start(
        client: &Auth0Client,
        options: &BrowserOptions,
        texts: CallbackTexts,
    ) -> Result<Self, FlowError> {
        Self::start_with(client, options, texts, Purpose::MfaApi).await
    }

    /// As [`BrowserSignIn::start`], asking for the My Account API (§S5.1) instead of the
    /// MFA API. When the tenant has none ([`tenant_lacks_my_account`]) or grants too little
    /// (`FlowError::MyAccountScopesMissing` from [`BrowserSignIn::finish`]), sign in with
    /// [`BrowserSignIn::start`] instead.
    pub async fn start_my_account(
        client: &Auth0Client,
        options: &BrowserOptions,
        texts: CallbackTexts,
    ) -> Result<Self, FlowError> {
        Self::start_with(client, options, texts, Purpose::MyAccount).await
    }

    /// As [`BrowserSignIn::start`], for a fresh sign-in to another API (§S6); redeem it with
    /// [`BrowserSignIn::finish_fresh`].
    pub async fn start_fresh(
        client: &Auth0Client,
        options: &BrowserOptions,
        texts: CallbackTexts,
        fresh: FreshApiSignIn,
    ) -> Result<Self, FlowError> {
        Self::start_with(client, options, texts, Purpose::Fresh(fresh)).await
    }

    async fn start_with(
        client: &Auth0Client,
        options: &BrowserOptions,
        texts: CallbackTexts,
        purpose: Purpose,
    ) -> Result<Self, FlowError> {
        let texts = texts.validated()?;
        let verifier = PkceVerifier::new().map_err(BrowserError::from)?;
        let state = OAuthState::new().map_err(BrowserError::from)?;
        let my_account = matches!(purpose, Purpose::MyAccount);
        let switching_on = my_account.then(|| service_not_found(client.config()));
        let loopback =
            Loopback::bind(options.redirect_port, state.clone(), texts, switching_on).await?;
        let fresh = match purpose {
            Purpose::Fresh(fresh) => Some(fresh),
            _ => None,
        };
        let redirect_uri = loopback.redirect_uri();
        let url = authorize_url(
            client.config(),
            &AuthorizeRequest {
                redirect_uri: &redirect_uri,
                verifier: &verifier,
                state: &state,
                connection: options.connection.as_deref(),
                fresh_for: fresh.as_ref(),
                my_account,
            },
        );
        Ok(Self {
            loopback,
            verifier,
            redirect_uri,
            url,
            my_account,
            fresh: fresh.map(|fresh| (fresh, fresh::now_secs())),
        })
    }

    /// The address to open in the system browser.
    pub fn authorize_url(&self) -> &Url {
        &self.url
    }

    /// The loopback redirect this sign-in listens on.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the callback. `Ok(Callback::Foreign)` means a callback for another sign-in
    /// was refused: tell the person, and wait again if they like.
    pub async fn wait(
        &mut self,
        until: Instant,
        cancel: &CancellationToken,
    ) -> Result<Callback, FlowError> {
        Ok(self.loopback.next_callback(until, cancel).await?)
    }

    /// True when this sign-in asked for the My Account API.
    pub fn is_my_account(&self) -> bool {
        self.my_account
    }

    /// Redeems `code` (once, with the PKCE verifier) and lists the person's authenticators
    /// with the access token, through the API the sign-in asked for. The listener closes
    /// whatever happens.
    pub async fn finish(
        self,
        client: &Auth0Client,
        code: &AuthorizationCode,
    ) -> Result<MfaSession, FlowError> {
        let my_account = self.my_account;
        let tokens = self.redeem(client, code).await?;
        if my_account {
            MfaSession::from_my_account_token(client, tokens).await
        } else {
            MfaSession::from_access_token(client, tokens).await
        }
    }

    /// Redeems the code of a fresh sign-in (see [`BrowserSignIn::start_fresh`]): the tokens
    /// for its API, once the ID token shows a sign-in after the request and within `max_age`.
    pub async fn finish_fresh(
        self,
        client: &Auth0Client,
        code: &AuthorizationCode,
    ) -> Result<TokenSet, FlowError> {
        let fresh = self.fresh.clone();
        let tokens = self.redeem(client, code).await?;
        let (fresh, requested_at) = fresh.ok_or(BrowserError::NotFresh)?;
        check_fresh(&tokens, &fresh, requested_at, fresh::now_secs())?;
        Ok(tokens)
    }

    /// The `authorization_code` grant with PKCE; the listener closes first.
    async fn redeem(
        self,
        client: &Auth0Client,
        code: &AuthorizationCode,
    ) -> Result<TokenSet, FlowError> {
        let Self {
            loopback,
            verifier,
            redirect_uri,
            url,
            ..
        } = self;
        drop(loopback);
        let mut tokens = client
            .exchange_authorization_code(code, &verifier, &redirect_uri)
            .await?;
        // OAuth lets the server leave `scope` out when it granted what was asked (RFC 6749
        // §5.1); what was asked is what `/authorize` carried.
        if tokens.scope.is_none() {
            tokens.scope = url
                .query_pairs()
                .find(|(key, _)| key == "scope")
                .map(|(_, scope)| scope.into_owned());
        }
        Ok(tokens)
    }
}
