//! What the key holds between commands (its PIN, retries, credentials) and what each CTAP2
//! command does with it (CTAP 2.1 §6). The touch itself happens between [`Step::Ask`] and
//! the command's second half, outside the lock.

use std::collections::{BTreeMap, BTreeSet};

use serde_cbor_2::Value;
use webauthn_authenticator_rs::ctap2::commands::{
    GetAssertionRequest, GetAssertionResponse, GetInfoResponse, MakeCredentialRequest,
};
use webauthn_authenticator_rs::error::CtapError;
use webauthn_authenticator_rs::softtoken::{SoftToken, AAGUID};
use webauthn_authenticator_rs::AuthenticatorBackendHashedClientData;
use webauthn_rs_proto::{
    AllowCredentials, AuthenticatorSelectionCriteria, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialRequestOptions, UserVerificationPolicy,
};

use crate::pin_protocol::{decrypt, encrypt, pin_hash, verify, KeyAgreement};

/// CTAP 2.1 §6.5.2.2: a key starts with eight PIN retries.
pub const PIN_RETRIES: u32 = 8;
/// CTAP 2.1 §6.5.5.7: three wrong PINs in a row and the key wants to be power-cycled.
const WRONG_IN_A_ROW: u32 = 3;
const MAKE_CREDENTIAL: u8 = 0x01;
const GET_ASSERTION: u8 = 0x02;

/// One credential the key made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub rp_id: String,
    pub id: Vec<u8>,
    pub user_id: Vec<u8>,
    pub discoverable: bool,
    pub user_verified: bool,
}

pub struct KeyState {
    pub token: SoftToken,
    pub pin: Option<[u8; 16]>,
    pub retries: u32,
    pub wrong_in_a_row: u32,
    pub min_pin_length: usize,
    pub agreement: Option<KeyAgreement>,
    pin_token: Option<PinToken>,
    pub credentials: Vec<Credential>,
    /// Every command byte received, in order.
    pub commands: Vec<u8>,
}

struct PinToken {
    token: [u8; 32],
    permissions: u8,
    rp_id: Option<String>,
}

/// What a command needs next.
pub enum Step {
    Done(Result<Vec<u8>, CtapError>),
    /// A touch, then [`KeyState::after_touch`].
    Ask(AfterTouch),
}

pub enum AfterTouch {
    Answer(Result<Vec<u8>, CtapError>),
    MakeCredential(Box<MakeCredentialRequest>, bool),
    GetAssertion(Box<GetAssertionRequest>, bool),
}

fn cbor(map: BTreeMap<u32, Value>) -> Result<Vec<u8>, CtapError> {
    serde_cbor_2::to_vec(&map).map_err(|_| CtapError::Ctap1InvalidParameter)
}

fn int_map(body: &[u8]) -> Result<BTreeMap<u32, Value>, CtapError> {
    let value: Value = serde_cbor_2::from_slice(body).map_err(|_| CtapError::Ctap2InvalidCBOR)?;
    let Value::Map(map) = value else {
        return Err(CtapError::Ctap2CborUnexpectedType);
    };
    map.into_iter()
        .map(|(k, v)| match k {
            Value::Integer(k) => u32::try_from(k)
                .map(|k| (k, v))
                .map_err(|_| CtapError::Ctap2InvalidCBOR),
            _ => Err(CtapError::Ctap2CborUnexpectedType),
        })
        .collect()
}

/// The ids of a list of credential descriptors (makeCredential's excludeList, 0x05): the
/// library's request type drops a list it cannot read back as base64 text.
fn credential_ids(map: &BTreeMap<u32, Value>, key: u32) -> Vec<Vec<u8>> {
    let Some(Value::Array(list)) = map.get(&key) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|descriptor| match descriptor {
            Value::Map(d) => match d.get(&Value::Text("id".into())) {
                Some(Value::Bytes(id)) => Some(id.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// pinUvAuthParam (0x08 in makeCredential, 0x06 in getAssertion) and its protocol: the
/// library's request types read neither back from CBOR (it only ever sends them).
fn pin_params(map: &BTreeMap<u32, Value>, param: u32) -> (Option<Vec<u8>>, Option<u32>) {
    let protocol = param + 1;
    let protocol = match map.get(&protocol) {
        Some(Value::Integer(p)) => u32::try_from(*p).ok(),
        _ => None,
    };
    (bytes(map, param), protocol)
}

fn bytes(map: &BTreeMap<u32, Value>, key: u32) -> Option<Vec<u8>> {
    match map.get(&key) {
        Some(Value::Bytes(b)) => Some(b.clone()),
        _ => None,
    }
}

impl KeyState {
    pub fn new(pin: Option<&str>) -> Self {
        let (token, _ca) = SoftToken::new(true).expect("a software token");
        Self {
            token,
            pin: pin.map(|p| pin_hash(p.as_bytes())),
            retries: PIN_RETRIES,
            wrong_in_a_row: 0,
            min_pin_length: 4,
            agreement: None,
            pin_token: None,
            credentials: Vec::new(),
            commands: Vec::new(),
        }
    }

    pub fn get_info(&self) -> GetInfoResponse {
        GetInfoResponse {
            versions: BTreeSet::from(["FIDO_2_0".to_owned(), "FIDO_2_1".to_owned()]),
            aaguid: Some(AAGUID),
            options: Some(BTreeMap::from([
                ("rk".to_owned(), true),
                ("up".to_owned(), true),
                ("clientPin".to_owned(), self.pin.is_some()),
                ("pinUvAuthToken".to_owned(), true),
            ])),
            pin_protocols: Some(vec![1]),
            transports: Some(vec!["usb".to_owned()]),
            min_pin_length: Some(self.min_pin_length),
            ..Default::default()
        }
    }

    /// One command: its byte and CBOR body.
    pub fn command(&mut self, command: u8, body: &[u8]) -> Step {
        self.commands.push(command);
        match command {
            0x04 => Step::Done(cbor(self.get_info().into())),
            0x06 => Step::Done(int_map(body).and_then(|m| self.client_pin(&m))),
            0x01 => match int_map(body).and_then(|m| {
                let pin = pin_params(&m, 0x08);
                let excluded = credential_ids(&m, 0x05);
                let mut request =
                    MakeCredentialRequest::try_from(m).map_err(|_| CtapError::Ctap2InvalidCBOR)?;
                (request.pin_uv_auth_param, request.pin_uv_auth_proto) = pin;
                Ok((request, excluded))
            }) {
                Ok((request, excluded)) => self.make_credential(request, &excluded),
                Err(e) => Step::Done(Err(e)),
            },
            0x02 => match int_map(body).and_then(|m| {
                let pin = pin_params(&m, 0x06);
                let mut request =
                    GetAssertionRequest::try_from(m).map_err(|_| CtapError::Ctap2InvalidCBOR)?;
                (request.pin_uv_auth_param, request.pin_uv_auth_proto) = pin;
                Ok(request)
            }) {
                Ok(request) => self.get_assertion(request),
                Err(e) => Step::Done(Err(e)),
            },
            // authenticatorSelection: a touch, nothing else.
            0x0B => Step::Ask(AfterTouch::Answer(Ok(Vec::new()))),
            _ => Step::Done(Err(CtapError::Ctap1InvalidCommand)),
        }
    }

    fn client_pin(&mut self, request: &BTreeMap<u32, Value>) -> Result<Vec<u8>, CtapError> {
        if let Some(Value::Integer(protocol)) = request.get(&0x01) {
            if *protocol != 1 {
                return Err(CtapError::Ctap1InvalidParameter);
            }
        }
        let Some(Value::Integer(sub)) = request.get(&0x02) else {
            return Err(CtapError::Ctap2MissingParameter);
        };
        match *sub {
            0x01 => cbor(BTreeMap::from([
                (0x03, Value::Integer(self.retries.into())),
                (0x04, Value::Bool(self.wrong_in_a_row >= WRONG_IN_A_ROW)),
            ])),
            0x02 => {
                let agreement = KeyAgreement::new();
                let key = agreement.cose();
                self.agreement = Some(agreement);
                cbor(BTreeMap::from([(0x01, key)]))
            }
            0x03 => self.set_pin(request),
            0x05 => self.pin_token(request, MAKE_CREDENTIAL | GET_ASSERTION, None),
            0x09 => {
                let permissions = match request.get(&0x09) {
                    Some(Value::Integer(p)) => u8::try_from(*p).unwrap_or(0),
                    _ => return Err(CtapError::Ctap2MissingParameter),
                };
                let rp_id = match request.get(&0x0A) {
                    Some(Value::Text(rp)) => Some(rp.clone()),
                    _ => None,
                };
                self.pin_token(request, permissions, rp_id)
            }
            _ => Err(CtapError::Ctap2InvalidSubcommand),
        }
    }

    fn shared_secret(&mut self, request: &BTreeMap<u32, Value>) -> Result<[u8; 32], CtapError> {
        let peer = request.get(&0x03).ok_or(CtapError::Ctap2MissingParameter)?;
        // Each exchange starts with getKeyAgreement; a key is good for one.
        let agreement = self
            .agreement
            .take()
            .ok_or(CtapError::Ctap2PinAuthInvalid)?;
        agreement
            .shared_secret(peer)
            .ok_or(CtapError::Ctap1InvalidParameter)
    }

    /// §6.5.5.5 setPIN: only on a key without one.
    fn set_pin(&mut self, request: &BTreeMap<u32, Value>) -> Result<Vec<u8>, CtapError> {
        if self.pin.is_some() {
            return Err(CtapError::Ctap2NotAllowed);
        }
        let new_pin_enc = bytes(request, 0x05).ok_or(CtapError::Ctap2MissingParameter)?;
        let auth = bytes(request, 0x04).ok_or(CtapError::Ctap2MissingParameter)?;
        let shared = self.shared_secret(request)?;
        if !verify(&shared, &new_pin_enc, &auth) {
            return Err(CtapError::Ctap2PinAuthInvalid);
        }
        let padded = decrypt(&shared, &new_pin_enc).ok_or(CtapError::Ctap1InvalidParameter)?;
        if padded.len() < 64 {
            return Err(CtapError::Ctap2PinPolicyViolation);
        }
        let end = padded.iter().position(|b| *b == 0).unwrap_or(padded.len());
        let pin =
            std::str::from_utf8(&padded[..end]).map_err(|_| CtapError::Ctap2PinPolicyViolation)?;
        if pin.chars().count() < self.min_pin_length || end > 63 {
            return Err(CtapError::Ctap2PinPolicyViolation);
        }
        self.pin = Some(pin_hash(pin.as_bytes()));
        self.retries = PIN_RETRIES;
        Ok(Vec::new())
    }

    /// §6.5.5.7 getPinToken / getPinUvAuthTokenUsingPinWithPermissions: every try counts,
    /// the right one restores the retries.
    fn pin_token(
        &mut self,
        request: &BTreeMap<u32, Value>,
        permissions: u8,
        rp_id: Option<String>,
    ) -> Result<Vec<u8>, CtapError> {
        let Some(stored) = self.pin else {
            return Err(CtapError::Ctap2PinNotSet);
        };
        if self.retries == 0 {
            return Err(CtapError::Ctap2PinBlocked);
        }
        if self.wrong_in_a_row >= WRONG_IN_A_ROW {
            return Err(CtapError::Ctap2PinAuthBlocked);
        }
        let pin_hash_enc = bytes(request, 0x06).ok_or(CtapError::Ctap2MissingParameter)?;
        let shared = self.shared_secret(request)?;
        self.retries -= 1;
        let given = decrypt(&shared, &pin_hash_enc).ok_or(CtapError::Ctap1InvalidParameter)?;
        if given != stored {
            self.wrong_in_a_row += 1;
            return Err(if self.retries == 0 {
                CtapError::Ctap2PinBlocked
            } else if self.wrong_in_a_row >= WRONG_IN_A_ROW {
                CtapError::Ctap2PinAuthBlocked
            } else {
                CtapError::Ctap2PinInvalid
            });
        }
        self.retries = PIN_RETRIES;
        self.wrong_in_a_row = 0;
        let token: [u8; 32] = rand::random();
        self.pin_token = Some(PinToken {
            token,
            permissions,
            rp_id,
        });
        cbor(BTreeMap::from([(
            0x02,
            Value::Bytes(encrypt(&shared, &token)),
        )]))
    }

    /// Whether `param` proves the PIN for `permission` at `rp_id`: `Ok(true)` verified,
    /// `Ok(false)` no PIN given.
    fn user_verified(
        &self,
        param: Option<&Vec<u8>>,
        client_data_hash: &[u8],
        permission: u8,
        rp_id: &str,
    ) -> Result<bool, CtapError> {
        let Some(param) = param else {
            return Ok(false);
        };
        let token = self
            .pin_token
            .as_ref()
            .ok_or(CtapError::Ctap2PinAuthInvalid)?;
        if !verify(&token.token, client_data_hash, param) {
            return Err(CtapError::Ctap2PinAuthInvalid);
        }
        if token.permissions & permission == 0
            || token.rp_id.as_deref().is_some_and(|rp| rp != rp_id)
        {
            return Err(CtapError::Ctap2UnauthorizedPermission);
        }
        Ok(true)
    }

    /// §6.1.2 authenticatorMakeCredential, up to the touch.
    fn make_credential(&mut self, request: MakeCredentialRequest, excluded: &[Vec<u8>]) -> Step {
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
    fn get_assertion(&mut self, request: GetAssertionRequest) -> Step {
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
            challenge: Vec::new().into(),
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
            id: credential.id.clone().into(),
            transports: None,
        }];
        let options = PublicKeyCredentialRequestOptions {
            challenge: Vec::new().into(),
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
