//! What every request handler reaches: the configuration, the database, the tenant's
//! clients, metrics and rate limits.

use mfa_core::management::ManagementClient;
use tokio::sync::RwLock;

use crate::auth::Authenticator;
use crate::ciba::CibaClient;
use crate::config::Config;
use crate::ops::limits::AgentLimits;
use crate::ops::metrics::Metrics;
use crate::store::audit::{self, AppendError, AuditRecord, RecentCodeCheck};
use crate::store::Store;

/// What every handler reaches.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub auth: Authenticator,
    pub management: ManagementClient,
    pub ciba: CibaClient,
    pub metrics: Metrics,
    pub limits: AgentLimits,
    /// Agents' emails read from Auth0, by `sub` (when IT's Action adds no email claim).
    pub emails: RwLock<std::collections::HashMap<String, Option<String>>>,
}

impl AppState {
    /// Appends an audit row and counts it.
    pub async fn audit(
        &self,
        record: AuditRecord,
        check: Option<&RecentCodeCheck>,
    ) -> Result<i64, AppendError> {
        let kind = record.kind.clone();
        let seq = audit::append(&self.store, record, check).await?;
        self.metrics.audit_row(&kind);
        Ok(seq)
    }
}
