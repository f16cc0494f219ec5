//! Enrollments started through the My Account API and waiting for their verify call, keyed
//! by their `auth_session` (§S5.3: opaque, bound to the user, the method and a TTL).

use std::collections::HashMap;

/// What proves the enrollment.
#[derive(Debug, Clone)]
pub enum Proof {
    /// A code sent by SMS, voice or email.
    SentCode(String),
    /// A code from the authenticator app holding this secret.
    Totp(String),
    /// Guardian's answer, through the push's `oob_code` (the control API approves it).
    Push(String),
    /// The recovery code shown in the 202; the verify call alone confirms it.
    RecoveryCode(String),
    /// A passkey's attestation, answering the challenge of this registration state.
    Passkey(Box<webauthn_rs_core::proto::RegistrationState>),
}

/// What a started enrollment answers: the method's id (for `Location`) and the 202 body.
pub struct Started {
    pub method_id: String,
    pub body: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct PendingMethod {
    pub user_id: String,
    /// The method id as the `Location` header gives it.
    pub method_id: String,
    /// The store's authenticators it activates.
    pub members: Vec<String>,
    pub proof: Proof,
    pub expires_ms: u64,
}

/// Started enrollments. A verify takes its entry out, so an `auth_session` works once.
#[derive(Debug, Default)]
pub struct Sessions {
    pending: HashMap<String, PendingMethod>,
}

impl Sessions {
    pub fn start(&mut self, auth_session: String, pending: PendingMethod) {
        self.pending.insert(auth_session, pending);
    }

    /// The entry for `auth_session` when it belongs to `user_id` and `method_id` and has
    /// not expired; it stays in place so that a wrong code can be corrected.
    pub fn find(
        &self,
        auth_session: &str,
        user_id: &str,
        method_id: &str,
        now_ms: u64,
    ) -> Option<&PendingMethod> {
        self.pending
            .get(auth_session)
            .filter(|p| p.user_id == user_id && p.method_id == method_id && p.expires_ms > now_ms)
    }

    pub fn finish(&mut self, auth_session: &str) {
        self.pending.remove(auth_session);
    }
}
