//! The Windows reader on a real registry (the Windows runners of the release workflow):
//! policies written under `HKCU\SOFTWARE\Policies\MFA Desk` the way Group Policy writes them
//! from the ADMX, read back by the same `check` the app runs at start-up.
#![cfg(windows)]

use mfa_core::model::FactorKind;
use mfa_core::settings::{check, Hive, Locations, Outcome, Source, POLICY_KEY};
use winreg::enums::HKEY_CURRENT_USER;
use winreg::RegKey;

#[test]
fn policies_in_the_registry_are_read_with_their_origin() {
    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    if hkcu.open_subkey(POLICY_KEY).is_ok() {
        eprintln!("skipped: this account has MFA Desk policies of its own, left untouched");
        return;
    }
    let (policy, _) = hkcu
        .create_subkey(POLICY_KEY)
        .expect("writing under HKCU\\SOFTWARE\\Policies needs an administrator, as on CI");
    let outcome = std::panic::catch_unwind(|| {
        policy.set_value("Domain", &"acme.eu.auth0.com").unwrap();
        policy.set_value("client_id", &"native-app").unwrap();
        policy.set_value("redirect_port", &53682u32).unwrap();
        let (factors, _) = policy.create_subkey("factors").unwrap();
        factors.set_value("1", &"otp").unwrap();
        factors.set_value("2", &"push").unwrap();

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.json");
        std::fs::write(&file, r#"{"client_id":"from-file","organization":"Acme"}"#).unwrap();
        let mut locations = Locations::files(&file, None);
        locations.registry = true;
        let check = check(&locations);
        let Outcome::Valid(settings) = &check.outcome else {
            panic!("{check}");
        };
        assert_eq!(settings.domain, "acme.eu.auth0.com");
        assert_eq!(settings.client_id, "native-app");
        assert_eq!(settings.sign_in.redirect_port, Some(53682));
        assert_eq!(settings.factors, vec![FactorKind::Otp, FactorKind::Push]);
        assert_eq!(
            settings.origin("domain"),
            &Source::Registry(Hive::CurrentUser)
        );
        assert_eq!(
            settings.origin("organization"),
            &Source::SystemFile(file.clone())
        );

        policy.set_value("redirect_port", &"8080").unwrap();
        let problems = check_problems(&locations);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].origin, format!(r"HKCU\{POLICY_KEY}"));
        assert_eq!(problems[0].key, "redirect_port");
    });
    hkcu.delete_subkey_all(POLICY_KEY).unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn check_problems(locations: &Locations) -> Vec<mfa_core::settings::SettingsError> {
    check(locations).problems()
}
