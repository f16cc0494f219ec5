//! Running the service: metrics, per-agent rate limits, health.

pub mod health;
pub mod limits;
pub mod metrics;
pub mod timing;
