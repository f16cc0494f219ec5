//! The thin Windows reader: the policy key, its values and subkeys, as they are.

use std::io;

use winreg::enums::{RegType, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
use winreg::types::FromRegValue;
use winreg::{RegKey, RegValue};

use super::{RegistryData, RegistryKey};
use crate::settings::layer::problem;
use crate::settings::{Hive, SettingsError, Source, POLICY_KEY};

/// The 64-bit view, where Group Policy writes, even from a 32-bit process.
const ACCESS: u32 = KEY_READ | KEY_WOW64_64KEY;

/// The policy key under `hive`; `None` when no policy is set.
pub(in crate::settings) fn read(hive: Hive) -> Result<Option<RegistryKey>, SettingsError> {
    let root = RegKey::predef(match hive {
        Hive::LocalMachine => HKEY_LOCAL_MACHINE,
        Hive::CurrentUser => HKEY_CURRENT_USER,
    });
    let cannot_read =
        |e: io::Error| problem(&Source::Registry(hive), "", format!("cannot be read: {e}"));
    match root.open_subkey_with_flags(POLICY_KEY, ACCESS) {
        Ok(key) => tree(&key).map(Some).map_err(cannot_read),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(cannot_read(e)),
    }
}

fn tree(key: &RegKey) -> io::Result<RegistryKey> {
    let mut found = RegistryKey::default();
    for value in key.enum_values() {
        let (name, value) = value?;
        found.values.push((name, data(&value)?));
    }
    for name in key.enum_keys() {
        let name = name?;
        let subkey = key.open_subkey_with_flags(&name, ACCESS)?;
        found.subkeys.push((name, tree(&subkey)?));
    }
    Ok(found)
}

fn data(value: &RegValue) -> io::Result<RegistryData> {
    Ok(match value.vtype {
        RegType::REG_SZ | RegType::REG_EXPAND_SZ => {
            RegistryData::String(String::from_reg_value(value)?)
        }
        RegType::REG_MULTI_SZ => RegistryData::MultiString(Vec::<String>::from_reg_value(value)?),
        RegType::REG_DWORD => RegistryData::Dword(u32::from_reg_value(value)?),
        RegType::REG_QWORD => RegistryData::Qword(u64::from_reg_value(value)?),
        ref other => RegistryData::Other(format!("{other:?}")),
    })
}
