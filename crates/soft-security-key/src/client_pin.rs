//! clientPIN (CTAP 2.1 §6.5) on the software key: retries, key agreement, setPIN, the PIN
//! tokens, and whether a request's pinUvAuthParam proves the PIN.

use std::collections::BTreeMap;

use serde_cbor_2::Value;
use webauthn_authenticator_rs::error::CtapError;

use crate::pin_protocol::{decrypt, encrypt, pin_hash, verify, KeyAgreement};
use crate::state::{
    bytes, cbor, KeyState, PinToken, GET_ASSERTION, MAKE_CREDENTIAL, PIN_RETRIES, WRONG_IN_A_ROW,
};

impl KeyState {
    pub(crate) fn client_pin(
        &mut self,
        request: &BTreeMap<u32, Value>,
    ) -> Result<Vec<u8>, CtapError> {
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
    pub(crate) fn user_verified(
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
}
