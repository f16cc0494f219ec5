-- One schema for SQLite and PostgreSQL: only types both spell the same way. Times are epoch
-- milliseconds (BIGINT), ids and words are TEXT.

-- The audit trail: append-only, each row's hash covers the row before it (see audit.rs).
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    agent_sub TEXT NOT NULL,
    agent_email TEXT,
    caller_id TEXT,
    caller_email TEXT,
    action TEXT NOT NULL,
    method_id TEXT,
    reason TEXT,
    ticket TEXT,
    verified_by TEXT,
    approval TEXT,
    outcome TEXT,
    error_code TEXT,
    correlation_id TEXT,
    client_addr TEXT,
    intent_seq BIGINT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_caller ON audit (caller_id, at_ms);
CREATE INDEX audit_by_intent ON audit (intent_seq);

-- The chain's head: one row, updated in the same transaction as each append. Updating it
-- first serializes appends across instances (a row lock on PostgreSQL, the write lock on
-- SQLite), so the chain never forks.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis');

-- Caller verifications: one agent, one caller, a short life.
CREATE TABLE verifications (
    id TEXT PRIMARY KEY,
    agent_sub TEXT NOT NULL,
    caller_id TEXT NOT NULL,
    method TEXT NOT NULL,
    detail TEXT,
    reason TEXT NOT NULL,
    ticket TEXT,
    status TEXT NOT NULL,
    auth_req_id TEXT,
    binding_message TEXT,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- Actions waiting for a second agent's approval.
CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    caller_id TEXT NOT NULL,
    params TEXT NOT NULL,
    requested_sub TEXT NOT NULL,
    requested_email TEXT,
    verification_id TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_sub TEXT,
    decided_email TEXT,
    decision_reason TEXT,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- The first answer to each idempotency key, per agent.
CREATE TABLE idempotency (
    agent_sub TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT,
    body TEXT,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (agent_sub, idem_key)
);
