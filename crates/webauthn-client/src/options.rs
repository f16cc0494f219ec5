//! From Auth0's creation options to the library's, and from the authenticator's answer to
//! the `authn_response` §S5.3 wants. The origin is `https://<rp.id>`: a desktop app has no
//! web origin of its own, and §S5.3's best guess (UNCONFIRMED) is that Auth0 expects the RP
//! ID's own origin from a native client.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use mfa_core::my_account::passkey::{AttestationData, AttestationResponse, CreationOptions};
use serde_cbor_2::Value;
use serde_json::json;
use url::Url;
use webauthn_rs_proto::{
    AuthenticatorTransport, PublicKeyCredentialCreationOptions, RegisterPublicKeyCredential,
};

use crate::error::CeremonyError;

/// What the authenticator is asked to make.
#[derive(Debug, Clone)]
pub struct Registration {
    pub options: CreationOptions,
    /// Credential ids (base64url) the person already has: a key holding one of them answers
    /// "already registered" instead of making a second (WebAuthn `excludeCredentials`).
    pub exclude: Vec<String>,
}

impl Registration {
    /// §S5.3: the origin a native client presents, `https://<rp.id>`.
    pub fn origin(&self) -> Result<Url, CeremonyError> {
        let rp_id = &self.options.rp.id;
        let host = url::Host::parse(rp_id)
            .map_err(|_| CeremonyError::Failed(format!("the RP ID {rp_id:?} is not a host")))?;
        Url::parse(&format!("https://{host}"))
            .map_err(|_| CeremonyError::Failed(format!("the RP ID {rp_id:?} is not a host")))
    }

    /// `residentKey: "required"` (§S5.3 always says so).
    pub fn resident_key_required(&self) -> bool {
        self.options
            .authenticator_selection
            .as_ref()
            .and_then(|s| s.resident_key.as_deref())
            == Some("required")
    }

    /// The library's options: WebAuthn level 1's `requireResidentKey` from level 2's
    /// `residentKey`, and the person's credentials added to `excludeCredentials`.
    pub fn library_options(&self) -> Result<PublicKeyCredentialCreationOptions, CeremonyError> {
        let mut options = serde_json::to_value(&self.options)
            .map_err(|e| CeremonyError::Failed(e.to_string()))?;
        let selection = &mut options["authenticatorSelection"];
        if !selection.is_object() {
            *selection = json!({});
        }
        selection["requireResidentKey"] = self.resident_key_required().into();
        if selection.get("userVerification").is_none() {
            selection["userVerification"] = "preferred".into();
        }
        let mut exclude: Vec<serde_json::Value> = options["excludeCredentials"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for id in &self.exclude {
            if !exclude.iter().any(|c| c["id"] == id.as_str()) {
                exclude.push(json!({"type": "public-key", "id": id}));
            }
        }
        options["excludeCredentials"] = exclude.into();
        serde_json::from_value(options)
            .map_err(|e| CeremonyError::Failed(format!("creation options: {e}")))
    }
}

/// The authenticator's answer as §S5.3's `authn_response`: the attestation object cut to
/// WebAuthn's three members, the credential id read from its authenticator data.
pub fn attestation_response(
    credential: &RegisterPublicKeyCredential,
) -> Result<AttestationResponse, CeremonyError> {
    let broken = |what: &str| CeremonyError::Failed(format!("the key's answer: {what}"));
    let object: BTreeMap<String, Value> =
        serde_cbor_2::from_slice(&credential.response.attestation_object)
            .map_err(|_| broken("not a CBOR map"))?;
    let mut cleaned = BTreeMap::new();
    for key in ["fmt", "attStmt", "authData"] {
        let value = object.get(key).ok_or_else(|| broken(key))?;
        cleaned.insert(Value::Text(key.into()), value.clone());
    }
    let Some(Value::Bytes(auth_data)) = object.get("authData") else {
        return Err(broken("authData"));
    };
    let id = credential_id(auth_data).ok_or_else(|| broken("no credential id"))?;
    let attestation_object = serde_cbor_2::to_vec(&Value::Map(cleaned))
        .map_err(|_| broken("re-encoding the attestation"))?;
    let transports = credential.response.transports.clone().unwrap_or_default();
    // A key on USB, NFC or Bluetooth is a roaming authenticator; `internal` is the platform's.
    let attachment = if transports.contains(&AuthenticatorTransport::Internal) {
        "platform"
    } else {
        "cross-platform"
    };
    let transports = transports
        .iter()
        .filter_map(|t| serde_json::to_value(t).ok()?.as_str().map(str::to_owned))
        .collect();
    Ok(AttestationResponse {
        id: URL_SAFE_NO_PAD.encode(id),
        raw_id: URL_SAFE_NO_PAD.encode(id),
        kind: "public-key".into(),
        authenticator_attachment: Some(attachment.into()),
        response: AttestationData {
            attestation_object: URL_SAFE_NO_PAD.encode(attestation_object),
            client_data_json: URL_SAFE_NO_PAD.encode(&credential.response.client_data_json),
            transports,
        },
        client_extension_results: Default::default(),
    })
}

/// WebAuthn §6.1: rpIdHash (32), flags (1), signCount (4), then the attested credential
/// data: AAGUID (16), credentialIdLength (2, big-endian), credentialId.
fn credential_id(auth_data: &[u8]) -> Option<&[u8]> {
    const ATTESTED: u8 = 0x40;
    if auth_data.get(32)? & ATTESTED == 0 {
        return None;
    }
    let length = u16::from_be_bytes([*auth_data.get(53)?, *auth_data.get(54)?]) as usize;
    auth_data.get(55..55 + length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration(rp_id: &str) -> Registration {
        let options =
            serde_json::from_value(json!({"challenge":"dGVzdC1jaGFsbGVuZ2U","timeout":60000,
            "rp":{"id": rp_id,"name":"Tenant"},
            "user":{"id":"YXV0aDB8MQ","name":"user@example.com","displayName":"User"},
            "pubKeyCredParams":[{"type":"public-key","alg":-7}],
            "authenticatorSelection":{"residentKey":"required","userVerification":"preferred"}}))
            .unwrap();
        Registration {
            options,
            exclude: vec!["AQID".into()],
        }
    }

    #[test]
    fn the_origin_is_the_rp_id_s_own() {
        assert_eq!(
            registration("login.example.com").origin().unwrap().as_str(),
            "https://login.example.com/"
        );
        assert!(registration("not a host").origin().is_err());
    }

    #[test]
    fn library_options_require_a_resident_key_and_exclude_known_credentials() {
        let options = registration("example.auth0.com").library_options().unwrap();
        let selection = options.authenticator_selection.unwrap();
        assert!(selection.require_resident_key);
        let excluded = options.exclude_credentials.unwrap();
        assert_eq!(excluded.len(), 1);
        assert_eq!(excluded[0].id.to_vec(), vec![1u8, 2, 3]);
    }

    #[test]
    fn the_credential_id_is_read_from_attested_data() {
        let mut data = vec![0u8; 32];
        data.push(0x45);
        data.extend([0, 0, 0, 0]);
        data.extend([0u8; 16]);
        data.extend([0, 3, 9, 8, 7, 0xA5]);
        assert_eq!(credential_id(&data), Some(&[9u8, 8, 7][..]));
        data[32] = 0x05;
        assert_eq!(credential_id(&data), None);
    }
}
