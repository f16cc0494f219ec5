//! What the key holds between commands (its PIN, retries, credentials) and what each CTAP2
//! command does with it (CTAP 2.1 §6). The touch itself happens between [`Step::Ask`] and
//! the command's second half, outside the lock.

use std::collections::{BTreeMap, BTreeSet};

use serde_cbor_2::Value;
use webauthn_authenticator_rs::ctap2::commands::{
    GetAssertionRequest, GetInfoResponse, MakeCredentialRequest,
};
use webauthn_authenticator_rs::error::CtapError;
use webauthn_authenticator_rs::softtoken::{SoftToken, AAGUID};

use crate::pin_protocol::{pin_hash, KeyAgreement};

/// CTAP 2.1 §6.5.2.2: a key starts with eight PIN retries.
pub const PIN_RETRIES: u32 = 8;
/// CTAP 2.1 §6.5.5.7: three wrong PINs in a row and the key wants to be power-cycled.
pub(crate) const WRONG_IN_A_ROW: u32 = 3;
pub(crate) const MAKE_CREDENTIAL: u8 = 0x01;
pub(crate) const GET_ASSERTION: u8 = 0x02;

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
    /// False for a key that cannot hold a PIN at all (no `clientPin` in its getInfo): it can
    /// verify no one.
    pub pin_support: bool,
    pub retries: u32,
    pub wrong_in_a_row: u32,
    pub min_pin_length: usize,
    pub agreement: Option<KeyAgreement>,
    pub(crate) pin_token: Option<PinToken>,
    pub credentials: Vec<Credential>,
    /// Every command byte received, in order.
    pub commands: Vec<u8>,
}

pub(crate) struct PinToken {
    pub token: [u8; 32],
    pub permissions: u8,
    pub rp_id: Option<String>,
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

pub(crate) fn cbor(map: BTreeMap<u32, Value>) -> Result<Vec<u8>, CtapError> {
    serde_cbor_2::to_vec(&map).map_err(|_| CtapError::Ctap1InvalidParameter)
}

pub(crate) fn int_map(body: &[u8]) -> Result<BTreeMap<u32, Value>, CtapError> {
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
pub(crate) fn credential_ids(map: &BTreeMap<u32, Value>, key: u32) -> Vec<Vec<u8>> {
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
pub(crate) fn pin_params(map: &BTreeMap<u32, Value>, param: u32) -> (Option<Vec<u8>>, Option<u32>) {
    let protocol = param + 1;
    let protocol = match map.get(&protocol) {
        Some(Value::Integer(p)) => u32::try_from(*p).ok(),
        _ => None,
    };
    (bytes(map, param), protocol)
}

pub(crate) fn bytes(map: &BTreeMap<u32, Value>, key: u32) -> Option<Vec<u8>> {
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
            pin_support: true,
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
        let mut options = BTreeMap::from([("rk".to_owned(), true), ("up".to_owned(), true)]);
        if self.pin_support {
            options.insert("clientPin".to_owned(), self.pin.is_some());
            options.insert("pinUvAuthToken".to_owned(), true);
        }
        GetInfoResponse {
            versions: BTreeSet::from(["FIDO_2_0".to_owned(), "FIDO_2_1".to_owned()]),
            aaguid: Some(AAGUID),
            options: Some(options),
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
            0x06 if !self.pin_support => Step::Done(Err(CtapError::Ctap1InvalidCommand)),
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
}
