//! A typed client of the helpdesk service's `/v1` API (`mfa-desk-helpdesk`), for every front
//! end an agent uses: the app's helpdesk mode and `mfa-desk-admin`. The agent is whoever the
//! access token proves; the client never names an operator itself. Changes carry an
//! idempotency key chosen by the caller of this client, so a retry after a lost answer
//! cannot do a change twice.

mod error;
mod events;
mod playbook;
mod session;
mod types;

use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use error::ServiceError;
pub use events::EventKind;
pub use playbook::{FinalStep, Playbook, Step, StepStatus};
pub use session::{AgentClaims, AgentSession, SESSION_ENTRY};
pub use types::*;

use crate::config::{parse_tenant_url, ConfigError};
use crate::input::Email;
use crate::management::UserId;
use crate::secret::{AccessToken, ExposeSecret};
use crate::transport::{Timeouts, Transport, PATH_SEGMENT};

/// The header a changing request carries (one key per change; a retry reuses it).
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// Longest key the service accepts.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// An id the service gave (`apr_…`, `ver_…`), checked before it goes into a path: the
/// prefix, then letters, digits, `_` or `-`, 100 characters at most.
pub fn parse_service_id<'a>(raw: &'a str, prefix: &str) -> Option<&'a str> {
    let id = raw.trim();
    let well_formed = id.len() <= 100
        && id.len() > prefix.len()
        && id.starts_with(prefix)
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    well_formed.then_some(id)
}

/// The helpdesk service, as one signed-in agent.
#[derive(Clone)]
pub struct ServiceClient {
    transport: Transport,
    token: AccessToken,
}

fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

impl ServiceClient {
    /// `url`: `https://helpdesk.acme.example` (plain HTTP only on this computer).
    pub fn new(url: &str, token: AccessToken, timeouts: Timeouts) -> Result<Self, ConfigError> {
        let url = parse_tenant_url(url)?;
        Ok(Self {
            transport: Transport::new(&url, timeouts)?,
            token,
        })
    }

    /// On an HTTP client the front end already has (the app's one client).
    pub fn with_http(
        http: reqwest::Client,
        url: &str,
        token: AccessToken,
    ) -> Result<Self, ConfigError> {
        let url = parse_tenant_url(url)?;
        Ok(Self {
            transport: Transport::with_http(http, &url),
            token,
        })
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.transport
            .request(method, &format!("v1/{path}"))
            .bearer_auth(self.token.expose_secret())
    }

    async fn get<T: DeserializeOwned>(
        &self,
        call: &'static str,
        path: &str,
    ) -> Result<T, ServiceError> {
        self.transport
            .send_json(call, self.request(Method::GET, path))
            .await
    }

    /// A changing request: with its idempotency key; the answer and whether it is a replay.
    async fn change<B: Serialize>(
        &self,
        call: &'static str,
        path: &str,
        body: Option<&B>,
        key: &str,
    ) -> Result<(u16, serde_json::Value, bool), ServiceError> {
        let mut request = self
            .request(Method::POST, path)
            .header(IDEMPOTENCY_HEADER, key);
        request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let (status, headers, bytes) = self
            .transport
            .send_with_headers::<ServiceError>(call, request)
            .await?;
        let replayed = headers
            .get("idempotent-replayed")
            .is_some_and(|v| v.as_bytes() == b"true");
        let value = crate::transport::read_json(status.as_u16(), &bytes)?;
        Ok((status.as_u16(), value, replayed))
    }

    fn decode<T: DeserializeOwned>(
        status: u16,
        value: serde_json::Value,
    ) -> Result<T, ServiceError> {
        serde_json::from_value(value).map_err(|e| ServiceError::Unexpected {
            status,
            detail: e.to_string(),
        })
    }

    /// Whether the service accepts this sign-in at all (its MFA claim, its age): asked once
    /// right after the agent signs in.
    pub async fn me(&self) -> Result<serde_json::Value, ServiceError> {
        self.get("me", "me").await
    }

    /// The callers with this email (the service applies the core's case handling).
    pub async fn find_by_email(&self, email: &Email) -> Result<Found, ServiceError> {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("email", email.as_str())
            .finish();
        self.get("find_callers", &format!("callers?{query}")).await
    }

    pub async fn find_by_id(&self, id: &UserId) -> Result<Found, ServiceError> {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("user_id", id.as_str())
            .finish();
        self.get("find_callers", &format!("callers?{query}")).await
    }

    /// The caller, their methods and standing.
    pub async fn caller(&self, id: &UserId) -> Result<CallerProfile, ServiceError> {
        self.get("open_caller", &format!("callers/{}", segment(id.as_str())))
            .await
    }

    /// The caller's recent sign-in events, in plain words.
    pub async fn events(&self, id: &UserId) -> Result<Vec<CallerEvent>, ServiceError> {
        self.get(
            "events",
            &format!("callers/{}/events", segment(id.as_str())),
        )
        .await
    }

    /// Records how the agent checked who is calling (once per `key`).
    pub async fn verify(
        &self,
        id: &UserId,
        checklist: &Checklist,
        key: &str,
    ) -> Result<Verification, ServiceError> {
        let path = format!("callers/{}/verifications", segment(id.as_str()));
        let (status, value, _) = self.change("verify", &path, Some(checklist), key).await?;
        Self::decode(status, value)
    }

    /// Sends a push to the caller's own phone (once per `key`: a retry sends no second
    /// push); the answer carries the binding message.
    pub async fn verify_by_push(
        &self,
        id: &UserId,
        reason: &str,
        ticket: &str,
        key: &str,
    ) -> Result<Verification, ServiceError> {
        let path = format!("callers/{}/verifications/push", segment(id.as_str()));
        let body = serde_json::json!({ "reason": reason, "ticket": ticket });
        let (status, value, _) = self.change("verify_push", &path, Some(&body), key).await?;
        Self::decode(status, value)
    }

    /// A verification as it stands (a pending push is asked about once).
    pub async fn verification(&self, id: &str) -> Result<Verification, ServiceError> {
        self.get("verification", &format!("verifications/{}", segment(id)))
            .await
    }

    /// One change to the caller's account, once per `key`.
    pub async fn act(
        &self,
        id: &UserId,
        action: &ActionRequest,
        key: &str,
    ) -> Result<ActionAnswer, ServiceError> {
        let path = format!("callers/{}/actions", segment(id.as_str()));
        let (status, value, replayed) = self.change("act", &path, Some(action), key).await?;
        Self::answer(status, value, replayed)
    }

    fn answer(
        status: u16,
        value: serde_json::Value,
        replayed: bool,
    ) -> Result<ActionAnswer, ServiceError> {
        if status == 202 {
            let mut pending: Pending = Self::decode(status, value)?;
            pending.replayed |= replayed;
            Ok(ActionAnswer::PendingApproval(pending))
        } else {
            let mut done: Done = Self::decode(status, value)?;
            done.replayed |= replayed;
            Ok(ActionAnswer::Done(done))
        }
    }

    /// The approval requests waiting (needs `helpdesk:approve`).
    pub async fn approvals(&self) -> Result<Vec<Approval>, ServiceError> {
        self.get("approvals", "approvals").await
    }

    /// One approval request: the agent's own (to see it decided), or any for an approver.
    pub async fn approval(&self, approval_id: &str) -> Result<Approval, ServiceError> {
        self.get("approval", &format!("approvals/{}", segment(approval_id)))
            .await
    }

    /// Approves another agent's request: it is carried out at once.
    pub async fn approve(
        &self,
        approval_id: &str,
        key: &str,
    ) -> Result<ActionAnswer, ServiceError> {
        let path = format!("approvals/{}/approve", segment(approval_id));
        let (status, value, replayed) = self.change::<()>("approve", &path, None, key).await?;
        Self::answer(status, value, replayed)
    }

    /// Refuses another agent's request, with the reason.
    pub async fn refuse(
        &self,
        approval_id: &str,
        reason: &str,
        key: &str,
    ) -> Result<Approval, ServiceError> {
        let path = format!("approvals/{}/refuse", segment(approval_id));
        let body = serde_json::json!({ "reason": reason });
        let (status, value, _) = self.change("refuse", &path, Some(&body), key).await?;
        Self::decode(status, value)
    }

    /// The service's audit trail, newest first.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, ServiceError> {
        self.get(
            "audit",
            &format!("audit?{}", Self::audit_query(filter, false)),
        )
        .await
    }

    /// The same rows as the service writes them in CSV (RFC 4180).
    pub async fn audit_csv(&self, filter: &AuditFilter) -> Result<String, ServiceError> {
        let path = format!("audit?{}", Self::audit_query(filter, true));
        let (_, _, bytes) = self
            .transport
            .send_with_headers::<ServiceError>("audit_csv", self.request(Method::GET, &path))
            .await?;
        String::from_utf8(bytes.to_vec()).map_err(|e| ServiceError::Unexpected {
            status: 200,
            detail: e.to_string(),
        })
    }

    fn audit_query(filter: &AuditFilter, csv: bool) -> String {
        let query = serde_json::to_value(filter)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &query {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            form.append_pair(key, &text);
        }
        if csv {
            form.append_pair("format", "csv");
        }
        form.finish()
    }
}
