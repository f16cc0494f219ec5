//! The `/authorize` address the system browser opens (spec §2.4, "Universal Login /
//! Authorization Code + PKCE"): the My Account API's audience and scopes (§S5.1) or the MFA
//! API's, so the code buys an access token that can list, add and remove the person's
//! authenticators, PKCE S256 and a `state`.

use url::Url;

use super::fresh::{FreshApiSignIn, MULTI_FACTOR_ACR};
use crate::config::TenantConfig;
use crate::oauth::{OAuthState, PkceVerifier};

/// What a fresh sign-in for another API asks for: who the person is, nothing of the MFA API.
const API_SIGN_IN_SCOPE: &str = "openid profile email";

/// What one `/authorize` request carries besides the tenant's own settings.
#[derive(Debug)]
pub struct AuthorizeRequest<'a> {
    /// `http://127.0.0.1:PORT/callback`, where the loopback listener waits.
    pub redirect_uri: &'a str,
    pub verifier: &'a PkceVerifier,
    pub state: &'a OAuthState,
    /// The identity provider to go straight to (Auth0's `connection` parameter), if IT named one.
    pub connection: Option<&'a str>,
    /// A fresh sign-in for another API (§S6) instead of the person's own.
    pub fresh_for: Option<&'a FreshApiSignIn>,
    /// The person's own sign-in asks for the My Account API (§S5.1) rather than the MFA API.
    pub my_account: bool,
}

/// `https://{domain}/authorize?response_type=code&…`.
pub fn authorize_url(config: &TenantConfig, request: &AuthorizeRequest<'_>) -> Url {
    let mut url = config.base_url.clone();
    url.set_path("/authorize");
    url.set_query(None);
    url.set_fragment(None);
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &config.client_id)
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("code_challenge", &request.verifier.s256_challenge())
            .append_pair("code_challenge_method", "S256")
            .append_pair("state", request.state.as_str());
        if let Some(connection) = request.connection {
            query.append_pair("connection", connection);
        }
        match request.fresh_for {
            None if request.my_account => {
                query
                    .append_pair("audience", &config.my_account_audience())
                    .append_pair("scope", &my_account_scope(config));
            }
            None => {
                query
                    .append_pair("audience", &config.mfa_audience())
                    .append_pair("scope", &config.sign_in_scope());
            }
            Some(fresh) => {
                query
                    .append_pair("audience", &fresh.audience)
                    .append_pair("scope", API_SIGN_IN_SCOPE)
                    .append_pair("prompt", "login")
                    .append_pair("max_age", &fresh.max_age_secs.to_string())
                    .append_pair("acr_values", MULTI_FACTOR_ACR);
            }
        }
    }
    url
}

/// The scopes asked for with the My Account audience: the configured ones plus the My
/// Account API's (§S5.1).
fn my_account_scope(config: &TenantConfig) -> String {
    let mut scopes: Vec<&str> = config.scope.split_whitespace().collect();
    for needed in crate::my_account::SCOPES {
        if !scopes.contains(needed) {
            scopes.push(needed);
        }
    }
    scopes.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ExposeSecret;

    #[test]
    fn the_url_asks_for_the_mfa_audience_with_pkce_and_state() {
        let config = TenantConfig::new("https://acme.eu.auth0.com/", "abc").unwrap();
        let (verifier, state) = (PkceVerifier::new().unwrap(), OAuthState::new().unwrap());
        let url = authorize_url(
            &config,
            &AuthorizeRequest {
                redirect_uri: "http://127.0.0.1:50123/callback",
                verifier: &verifier,
                state: &state,
                connection: Some("acme-okta"),
                fresh_for: None,
                my_account: false,
            },
        );
        assert_eq!(
            url.origin().ascii_serialization(),
            "https://acme.eu.auth0.com"
        );
        assert_eq!(url.path(), "/authorize");
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |key: &str| {
            query
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("abc"));
        assert_eq!(get("redirect_uri"), Some("http://127.0.0.1:50123/callback"));
        assert_eq!(get("audience"), Some("https://acme.eu.auth0.com/mfa/"));
        assert_eq!(
            get("scope"),
            Some("openid profile email enroll read:authenticators remove:authenticators")
        );
        assert_eq!(
            get("code_challenge"),
            Some(verifier.s256_challenge().as_str())
        );
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("state"), Some(state.as_str()));
        assert_eq!(get("connection"), Some("acme-okta"));
        assert_eq!(get("prompt"), None);
        assert_eq!(get("max_age"), None);
        assert!(!url.as_str().contains(verifier.expose_secret()));
    }

    #[test]
    fn a_fresh_sign_in_asks_for_its_api_a_new_login_and_mfa() {
        let config = TenantConfig::new("acme.auth0.com", "abc").unwrap();
        let (verifier, state) = (PkceVerifier::new().unwrap(), OAuthState::new().unwrap());
        let fresh = FreshApiSignIn {
            audience: "https://helpdesk.acme.example/api".into(),
            max_age_secs: 0,
        };
        let url = authorize_url(
            &config,
            &AuthorizeRequest {
                redirect_uri: "http://127.0.0.1:1/callback",
                verifier: &verifier,
                state: &state,
                connection: None,
                fresh_for: Some(&fresh),
                my_account: false,
            },
        );
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let all = |key: &str| -> Vec<&str> {
            query
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(all("audience"), ["https://helpdesk.acme.example/api"]);
        assert_eq!(all("scope"), ["openid profile email"]);
        assert_eq!(all("prompt"), ["login"]);
        assert_eq!(all("max_age"), ["0"]);
        assert_eq!(all("acr_values"), [MULTI_FACTOR_ACR]);
        assert_eq!(all("code_challenge_method"), ["S256"]);
    }

    #[test]
    fn no_connection_hint_unless_one_is_configured() {
        let config = TenantConfig::new("acme.auth0.com", "abc").unwrap();
        let (verifier, state) = (PkceVerifier::new().unwrap(), OAuthState::new().unwrap());
        let url = authorize_url(
            &config,
            &AuthorizeRequest {
                redirect_uri: "http://127.0.0.1:1/callback",
                verifier: &verifier,
                state: &state,
                connection: None,
                fresh_for: None,
                my_account: false,
            },
        );
        assert!(url.query_pairs().all(|(k, _)| k != "connection"));
    }

    #[test]
    fn a_my_account_sign_in_asks_for_the_me_audience_and_its_scopes() {
        let config = TenantConfig::new("https://acme.eu.auth0.com/", "abc").unwrap();
        let (verifier, state) = (PkceVerifier::new().unwrap(), OAuthState::new().unwrap());
        let url = authorize_url(
            &config,
            &AuthorizeRequest {
                redirect_uri: "http://127.0.0.1:1/callback",
                verifier: &verifier,
                state: &state,
                connection: None,
                fresh_for: None,
                my_account: true,
            },
        );
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |key: &str| {
            query
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("audience"), Some("https://acme.eu.auth0.com/me/"));
        assert_eq!(
            get("scope"),
            Some(
                "openid profile email create:me:authentication_methods \
read:me:authentication_methods update:me:authentication_methods \
delete:me:authentication_methods read:me:factors"
            )
        );
        assert_eq!(get("prompt"), None);
    }
}
