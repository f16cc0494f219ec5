//! makeCredential and getAssertion (CTAP 2.1 §6.1, §6.2) on the software key: the checks
//! before the touch here, the credential itself by the library's `SoftToken` after it.

use std::collections::BTreeMap;

use serde_cbor_2::Value;
use webauthn_authenticator_rs::ctap2::commands::{
    GetAssertionRequest, GetAssertionResponse, MakeCredentialRequest,
};
use webauthn_authenticator_rs::error::CtapError;
use webauthn_authenticator_rs::AuthenticatorBackendHashedClientData;
use webauthn_rs_proto::{
    AllowCredentials, AuthenticatorSelectionCriteria, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialRequestOptions, UserVerificationPolicy,
};

use crate::state::{cbor, AfterTouch, Credential, KeyState, Step, GET_ASSERTION, MAKE_CREDENTIAL};

impl KeyState {
    /// §6.1.2 authenticatorMakeCredential, up to the touch.
    pub(crate) fn make_credential(
        &mut self,
        request: MakeCredentialRequest,
        excluded: &[Vec<u8>],
    ) -> Step {
        // An empty pinUvAuthParam asks which key the person means (CTAP 2.0 selection).
        if request
            .pin_uv_auth_param
            .as_ref()
            .is_some_and(Vec::is_empty)
        {
            let answer = if self.pin.is_some() {
                CtapError::Ctap2PinInvalid
            } else {
                CtapError::Ctap2PinNotSet
            };
            return Step::Ask(AfterTouch::Answer(Err(answer)));
        }
        if !request.pub_key_cred_params.iter().any(|p| p.alg == -7) {
            return Step::Done(Err(CtapError::Ctap2UnsupportedAlgorithm));
        }
        let verified = match self.user_verified(
            request.pin_uv_auth_param.as_ref(),
            &request.client_data_hash,
            MAKE_CREDENTIAL,
            &request.rp.id,
        ) {
            Ok(v) => v,
            Err(e) => return Step::Done(Err(e)),
        };
        // A key with a PIN makes nothing without it (makeCredUvNotRqd is not claimed).
        if self.pin.is_some() && !verified {
            return Step::Done(Err(CtapError::Ctap2PUATRequired));
        }
        let excluded = excluded.iter().any(|id| {
            self.credentials
                .iter()
                .any(|k| k.rp_id == request.rp.id && &k.id == id)
        });
        if excluded {
            // §6.1.2 step 7: the touch first, so that no site can probe keys silently.
            return Step::Ask(AfterTouch::Answer(Err(CtapError::Ctap2CredentialExcluded)));
        }
        Step::Ask(AfterTouch::MakeCredential(Box::new(request), verified))
    }

    /// §6.2.2 authenticatorGetAssertion, up to the touch.
    pub(crate) fn get_assertion(&mut self, request: GetAssertionRequest) -> Step {
        let verified = match self.user_verified(
            request.pin_uv_auth_param.as_ref(),
            &request.client_data_hash,
            GET_ASSERTION,
            &request.rp_id,
        ) {
            Ok(v) => v,
            Err(e) => return Step::Done(Err(e)),
        };
        let known = self.credentials.iter().any(|k| {
            k.rp_id == request.rp_id
                && (request
                    .allow_list
                    .iter()
                    .any(|c| AsRef::<[u8]>::as_ref(&c.id) == k.id.as_slice())
                    || (request.allow_list.is_empty() && k.discoverable))
        });
        if !known {
            return Step::Done(Err(CtapError::Ctap2NoCredentials));
        }
        Step::Ask(AfterTouch::GetAssertion(Box::new(request), verified))
    }

    /// The second half of a command, once the person touched the key.
    pub fn after_touch(&mut self, step: AfterTouch) -> Result<Vec<u8>, CtapError> {
        match step {
            AfterTouch::Answer(answer) => answer,
            AfterTouch::MakeCredential(request, verified) => self.create(*request, verified),
            AfterTouch::GetAssertion(request, verified) => self.sign(*request, verified),
        }
    }

    fn create(
        &mut self,
        request: MakeCredentialRequest,
        verified: bool,
    ) -> Result<Vec<u8>, CtapError> {
        let discoverable = request
            .options
            .as_ref()
            .and_then(|o| o.get("rk"))
            .copied()
            .unwrap_or(false);
        let options = PublicKeyCredentialCreationOptions {
            rp: request.rp.clone(),
            user: request.user.clone(),
            challenge: Vec::new(),
            pub_key_cred_params: request.pub_key_cred_params.clone(),
            timeout: None,
            exclude_credentials: None,
            // The library's token marks the user verified exactly when asked for "required"
            // (it was built to say so): the PIN decided above.
            authenticator_selection: Some(AuthenticatorSelectionCriteria {
                authenticator_attachment: None,
                resident_key: None,
                require_resident_key: false,
                user_verification: policy(verified),
            }),
            hints: None,
            attestation: None,
            attestation_formats: None,
            extensions: None,
        };
        let made = self
            .token
            .perform_register(request.client_data_hash.clone(), options, 0)
            .map_err(|_| CtapError::Ctap1Unspecified)?;
        let object: BTreeMap<String, Value> =
            serde_cbor_2::from_slice(&made.response.attestation_object)
                .map_err(|_| CtapError::Ctap1Unspecified)?;
        let field = |k: &str| object.get(k).cloned().ok_or(CtapError::Ctap1Unspecified);
        let answer = cbor(BTreeMap::from([
            (0x01, field("fmt")?),
            (0x02, field("authData")?),
            (0x03, field("attStmt")?),
        ]))?;
        self.credentials.push(Credential {
            rp_id: request.rp.id,
            id: made.raw_id.to_vec(),
            user_id: request.user.id.to_vec(),
            discoverable,
            user_verified: verified,
        });
        Ok(answer)
    }

    fn sign(&mut self, request: GetAssertionRequest, verified: bool) -> Result<Vec<u8>, CtapError> {
        let credential = self
            .credentials
            .iter()
            .find(|k| {
                k.rp_id == request.rp_id
                    && (request.allow_list.is_empty()
                        || request
                            .allow_list
                            .iter()
                            .any(|c| AsRef::<[u8]>::as_ref(&c.id) == k.id.as_slice()))
            })
            .ok_or(CtapError::Ctap2NoCredentials)?;
        let allow = vec![AllowCredentials {
            type_: "public-key".into(),
            id: credential.id.clone(),
            transports: None,
        }];
        let options = PublicKeyCredentialRequestOptions {
            challenge: Vec::new(),
            timeout: None,
            rp_id: request.rp_id.clone(),
            allow_credentials: allow,
            user_verification: policy(verified),
            hints: None,
            extensions: None,
        };
        let signed = self
            .token
            .perform_auth(request.client_data_hash.clone(), options, 0)
            .map_err(|_| CtapError::Ctap1Unspecified)?;
        let answer = GetAssertionResponse {
            credential: Some(PublicKeyCredentialDescriptor {
                type_: "public-key".into(),
                id: signed.raw_id.clone(),
                transports: None,
            }),
            auth_data: Some(signed.response.authenticator_data.to_vec()),
            signature: Some(signed.response.signature.to_vec()),
            number_of_credentials: None,
            user_selected: None,
            large_blob_key: None,
        };
        cbor(answer.into())
    }
}

fn policy(verified: bool) -> UserVerificationPolicy {
    if verified {
        UserVerificationPolicy::Required
    } else {
        UserVerificationPolicy::Discouraged_DO_NOT_USE
    }
}
