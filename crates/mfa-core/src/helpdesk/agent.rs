//! Who may act as a helpdesk agent. The agent signs in with their own password and MFA (the
//! ordinary sign-in); who they are then comes from the ID token Auth0 returned with the
//! tokens, never from what was typed: the `email` claim, which must be verified, is matched
//! against IT's list (addresses and `@domain` entries, [`HelpdeskMode::admits`]).
//!
//! The ID token came straight from the token endpoint over TLS, so its claims are read
//! without checking the signature (OpenID Connect Core §3.1.3.7, item 6).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use crate::management::Operator;
use crate::model::TokenSet;
use crate::secret::ExposeSecret;
use crate::settings::HelpdeskMode;

use super::HelpdeskError;

/// An admitted agent: their verified email, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentIdentity {
    email: String,
}

impl AgentIdentity {
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The agent as the audit log names them.
    pub fn operator(&self) -> Operator {
        // An email parsed from a token is one line and short; fall back defensively.
        Operator::parse(&self.email)
            .unwrap_or_else(|_| Operator::parse("unknown agent").expect("a valid operator name"))
    }
}

#[derive(Deserialize)]
struct Claims {
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<Verified>,
}

/// Auth0 sends a boolean; some upstream identity providers pass a string through.
#[derive(Deserialize)]
#[serde(untagged)]
enum Verified {
    Flag(bool),
    Text(String),
}

impl Verified {
    fn is_true(&self) -> bool {
        match self {
            Self::Flag(flag) => *flag,
            Self::Text(text) => text.eq_ignore_ascii_case("true"),
        }
    }
}

/// Admits the person `tokens` belong to as an agent, or says why not.
pub fn admit(mode: &HelpdeskMode, tokens: &TokenSet) -> Result<AgentIdentity, HelpdeskError> {
    let claims = tokens
        .id_token
        .as_ref()
        .and_then(|token| claims(token.expose_secret()))
        .ok_or(HelpdeskError::AgentIdentityUnknown)?;
    let email = claims
        .email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.contains('@'))
        .ok_or(HelpdeskError::AgentIdentityUnknown)?;
    if !claims.email_verified.is_some_and(|v| v.is_true()) {
        return Err(HelpdeskError::AgentEmailUnverified);
    }
    if !mode.admits(&email) {
        return Err(HelpdeskError::NotAnAgent);
    }
    Ok(AgentIdentity { email })
}

/// The payload of a compact JWT.
fn claims(jwt: &str) -> Option<Claims> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{AccessToken, IdToken};
    use crate::settings::Agent;
    use serde_json::json;

    fn tokens(claims: serde_json::Value) -> TokenSet {
        let part = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let jwt = format!("{}.{}.sig", part(&json!({"alg": "RS256"})), part(&claims));
        TokenSet {
            access_token: AccessToken::from("at".to_owned()),
            token_type: "Bearer".into(),
            expires_in: 600,
            scope: None,
            id_token: Some(IdToken::from(jwt)),
            refresh_token: None,
            recovery_code: None,
        }
    }

    fn mode() -> HelpdeskMode {
        HelpdeskMode {
            management_client_id: "m2m".into(),
            agents: vec![
                Agent::Email("lead@acme.example".into()),
                Agent::Domain("helpdesk.acme.example".into()),
            ],
            max_session: crate::helpdesk::MAX_SESSION,
        }
    }

    #[test]
    fn listed_addresses_and_domains_with_a_verified_email_are_admitted() {
        let lead = tokens(json!({"email": "Lead@Acme.example", "email_verified": true}));
        assert_eq!(admit(&mode(), &lead).unwrap().email(), "lead@acme.example");
        let desk = tokens(json!({"email": "bo@helpdesk.acme.example", "email_verified": "true"}));
        assert_eq!(
            admit(&mode(), &desk).unwrap().operator().as_str(),
            "bo@helpdesk.acme.example"
        );
    }

    #[test]
    fn others_are_refused_with_the_reason() {
        let stranger = tokens(json!({"email": "eve@acme.example", "email_verified": true}));
        assert!(matches!(
            admit(&mode(), &stranger),
            Err(HelpdeskError::NotAnAgent)
        ));
        // A subdomain is not the domain.
        let sub = tokens(json!({"email": "x@eu.helpdesk.acme.example", "email_verified": true}));
        assert!(matches!(
            admit(&mode(), &sub),
            Err(HelpdeskError::NotAnAgent)
        ));
        let unverified = tokens(json!({"email": "lead@acme.example", "email_verified": false}));
        assert!(matches!(
            admit(&mode(), &unverified),
            Err(HelpdeskError::AgentEmailUnverified)
        ));
        let silent = tokens(json!({"email": "lead@acme.example"}));
        assert!(matches!(
            admit(&mode(), &silent),
            Err(HelpdeskError::AgentEmailUnverified)
        ));
        let anonymous = tokens(json!({"sub": "auth0|1"}));
        assert!(matches!(
            admit(&mode(), &anonymous),
            Err(HelpdeskError::AgentIdentityUnknown)
        ));
        let mut no_id_token = tokens(json!({}));
        no_id_token.id_token = None;
        assert!(matches!(
            admit(&mode(), &no_id_token),
            Err(HelpdeskError::AgentIdentityUnknown)
        ));
        let mut garbage = tokens(json!({}));
        garbage.id_token = Some(IdToken::from("not a jwt".to_owned()));
        assert!(matches!(
            admit(&mode(), &garbage),
            Err(HelpdeskError::AgentIdentityUnknown)
        ));
    }
}
