//! Every `/v1` request's agent: the token checked ([`crate::auth`]), the agent's rate limit,
//! their email (from IT's claim, or read from Auth0 once), and the client's address (the peer,
//! or the trusted proxy's `X-Forwarded-For`). Refusals after sign-in are audited.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use mfa_core::management::UserId;

use super::{ApiError, AppState};
use crate::auth::{Agent, Permission};
use crate::store::audit::{AuditRecord, REFUSAL};

pub struct AgentRequest {
    pub agent: Agent,
    pub client_addr: Option<String>,
}

impl FromRequestParts<Arc<AppState>> for AgentRequest {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let mut agent = state.auth.authenticate(header).await.map_err(|e| {
            tracing::info!(code = %e.code(), "agent token refused");
            ApiError::from(e)
        })?;
        state
            .limits
            .check(&agent.sub)
            .map_err(|at| ApiError::rate_limited(Some(at)))?;
        if agent.email.is_none() {
            agent.email = email_of(state, &agent.sub).await;
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .map(|v| v.trim().to_owned());
        let client_addr = match (peer, state.config.listen.trusted_proxy, forwarded) {
            (Some(peer), Some(proxy), Some(forwarded)) if peer == proxy => Some(forwarded),
            (Some(peer), _, _) => Some(peer.to_string()),
            _ => None,
        };
        Ok(Self { agent, client_addr })
    }
}

/// The agent's email as Auth0 has it, read once per agent and kept.
async fn email_of(state: &AppState, sub: &str) -> Option<String> {
    if let Some(known) = state.emails.read().await.get(sub) {
        return known.clone();
    }
    let id = UserId::parse(sub).ok()?;
    let email = match crate::ops::timing::upstream(state.management.user(&id)).await {
        Ok(user) => user.email.map(|e| e.to_lowercase()),
        Err(e) => {
            tracing::warn!(code = %e.code(), "could not read the agent's email");
            return None;
        }
    };
    state
        .emails
        .write()
        .await
        .insert(sub.to_owned(), email.clone());
    email
}

impl AgentRequest {
    /// A row about this agent's request, to fill in.
    pub fn record(&self, kind: &str, action: &str, caller_id: Option<&str>) -> AuditRecord {
        AuditRecord {
            kind: kind.into(),
            agent_sub: self.agent.sub.clone(),
            agent_email: self.agent.email.clone(),
            caller_id: caller_id.map(str::to_owned),
            action: action.into(),
            client_addr: self.client_addr.clone(),
            ..Default::default()
        }
    }

    /// Records the refusal and hands the error back.
    pub async fn refuse(
        &self,
        state: &AppState,
        action: &str,
        caller_id: Option<&str>,
        error: ApiError,
    ) -> ApiError {
        let mut record = self.record(REFUSAL, action, caller_id);
        record.outcome = Some("refused".into());
        record.error_code = Some(error.code().as_str().to_owned());
        if let Err(e) = state.audit(record, None).await {
            tracing::error!(error = %e, "the refusal could not be audited");
        }
        error
    }

    /// The permission `action` needs, or an audited refusal.
    pub async fn require(
        &self,
        state: &AppState,
        permission: Permission,
        action: &str,
        caller_id: Option<&str>,
    ) -> Result<(), ApiError> {
        if self.agent.has(permission) {
            return Ok(());
        }
        let error = ApiError::from(crate::auth::AuthError::Permission(permission));
        Err(self.refuse(state, action, caller_id, error).await)
    }
}
