//! Every source of settings, through the public API: Windows policies (registry values fed to
//! the pure parser), macOS managed preferences (property-list bytes and files), the drop-in
//! folder and the files, their precedence, and the report `--check-config` prints.

use std::fs;
use std::path::Path;

use mfa_core::model::FactorKind;
use mfa_core::settings::{
    check, Agent, Hive, Layer, Locations, Outcome, RegistryData, RegistryKey, Settings, Source,
    POLICY_KEY,
};

fn sz(name: &str, text: &str) -> (String, RegistryData) {
    (name.into(), RegistryData::String(text.into()))
}

fn list(entries: &[&str]) -> RegistryKey {
    RegistryKey {
        values: entries
            .iter()
            .enumerate()
            .map(|(i, e)| sz(&(i + 1).to_string(), e))
            .collect(),
        subkeys: Vec::new(),
    }
}

const HKLM: Source = Source::Registry(Hive::LocalMachine);
const HKCU: Source = Source::Registry(Hive::CurrentUser);

/// What Group Policy writes for a full configuration from the ADMX template.
fn machine_policy() -> RegistryKey {
    RegistryKey {
        values: vec![
            sz("organization", "Acme Corporation"),
            sz("domain", "acme.eu.auth0.com"),
            sz("client_id", "native-app"),
            sz("sign_in", "browser"),
            sz("connection", "acme-okta"),
            ("redirect_port".into(), RegistryData::Dword(53682)),
            sz("language", "ja"),
        ],
        subkeys: vec![
            ("factors".into(), list(&["otp", "push"])),
            (
                "helpdesk".into(),
                RegistryKey {
                    values: vec![sz("management_client_id", "m2m")],
                    subkeys: vec![("agents".into(), list(&["@helpdesk.acme.example"]))],
                },
            ),
        ],
    }
}

#[test]
fn registry_policies_give_every_kind_of_value() {
    let layer = Layer::from_registry(HKLM, &machine_policy()).unwrap();
    let settings = Settings::from_layers(&[layer]).unwrap();
    assert_eq!(settings.domain, "acme.eu.auth0.com");
    assert_eq!(settings.sign_in.redirect_port, Some(53682));
    assert_eq!(settings.sign_in.connection.as_deref(), Some("acme-okta"));
    assert_eq!(settings.factors, vec![FactorKind::Otp, FactorKind::Push]);
    assert!(settings.language_managed);
    let helpdesk = settings.helpdesk.as_ref().unwrap();
    assert_eq!(helpdesk.management_client_id, "m2m");
    assert_eq!(
        helpdesk.agents,
        vec![Agent::Domain("helpdesk.acme.example".into())]
    );
    assert_eq!(settings.origin("helpdesk.agents"), &HKLM);
    assert_eq!(
        HKLM.to_string(),
        format!(r"registry HKLM\{POLICY_KEY}"),
        "the report names the key"
    );
}

#[test]
fn registry_names_are_matched_without_case_and_lists_follow_their_numbers() {
    let key = RegistryKey {
        values: vec![
            sz("Domain", "acme.eu.auth0.com"),
            sz("CLIENT_ID", "native-app"),
            // A REG_MULTI_SZ list is accepted as well as a subkey.
            (
                "Factors".into(),
                RegistryData::MultiString(vec!["sms".into(), "otp".into()]),
            ),
            // The unnamed default value carries nothing.
            sz("", "ignored"),
        ],
        subkeys: vec![(
            "HelpDesk".into(),
            RegistryKey {
                values: vec![sz("Management_Client_Id", "m2m")],
                subkeys: vec![(
                    "Agents".into(),
                    RegistryKey {
                        values: vec![sz("10", "c@acme.example"), sz("2", "b@acme.example")],
                        subkeys: vec![],
                    },
                )],
            },
        )],
    };
    let settings = Settings::from_layers(&[Layer::from_registry(HKCU, &key).unwrap()]).unwrap();
    assert_eq!(settings.client_id, "native-app");
    assert_eq!(settings.factors, vec![FactorKind::Sms, FactorKind::Otp]);
    let agents = &settings.helpdesk.as_ref().unwrap().agents;
    assert_eq!(
        agents,
        &vec![
            Agent::Email("b@acme.example".into()),
            Agent::Email("c@acme.example".into())
        ]
    );
}

#[test]
fn a_wrong_registry_value_names_the_key_the_value_and_the_problem() {
    let problem = |values: Vec<(String, RegistryData)>, subkeys: Vec<(String, RegistryKey)>| {
        Layer::from_registry(HKLM, &RegistryKey { values, subkeys }).unwrap_err()
    };
    let origin = format!(r"HKLM\{POLICY_KEY}");

    let e = problem(vec![("domain".into(), RegistryData::Dword(1))], vec![]);
    assert_eq!(
        (e.origin.as_str(), e.key.as_str()),
        (origin.as_str(), "domain")
    );
    assert!(e.problem.contains("non-empty text"), "{e}");

    let e = problem(vec![sz("redirect_port", "8080")], vec![]);
    assert_eq!(e.key, "redirect_port");
    assert!(e.problem.contains("whole number from 1024 to 65535"), "{e}");

    let e = problem(
        vec![("client_id".into(), RegistryData::Other("REG_BINARY".into()))],
        vec![],
    );
    assert_eq!(e.key, "client_id");
    assert!(e.problem.contains("REG_BINARY"), "{e}");

    let e = problem(vec![sz("tenant", "acme")], vec![]);
    assert_eq!(e.key, "tenant");
    assert!(e.problem.starts_with("unknown setting"), "{e}");

    let e = problem(vec![], vec![("factors".into(), list(&["otp", "fax"]))]);
    assert_eq!(e.key, "factors");
    assert!(e.problem.contains("\"fax\""), "{e}");

    let e = problem(
        vec![],
        vec![(
            "factors".into(),
            RegistryKey {
                values: vec![sz("first", "otp")],
                subkeys: vec![],
            },
        )],
    );
    assert_eq!(e.key, "factors");
    assert!(e.problem.contains("values named 1, 2, 3"), "{e}");

    let e = problem(
        vec![],
        vec![(
            "helpdesk".into(),
            RegistryKey {
                values: vec![sz("management_client_id", "m2m")],
                subkeys: vec![("agents".into(), list(&["not an email"]))],
            },
        )],
    );
    assert_eq!(e.key, "helpdesk.agents");

    let e = problem(
        vec![sz("factors", "otp")],
        vec![("factors".into(), list(&["otp"]))],
    );
    assert!(e.problem.contains("both a value and a subkey"), "{e}");
}

#[test]
fn the_computer_s_policy_wins_over_the_person_s_and_both_over_files() {
    let machine = Layer::from_registry(
        HKLM,
        &RegistryKey {
            values: vec![sz("domain", "acme.eu.auth0.com"), sz("language", "fr")],
            subkeys: vec![],
        },
    )
    .unwrap();
    let user = Layer::from_registry(
        HKCU,
        &RegistryKey {
            values: vec![
                sz("domain", "other.auth0.com"),
                sz("client_id", "from-hkcu"),
            ],
            subkeys: vec![],
        },
    )
    .unwrap();
    let file = Layer::from_json(
        Source::SystemFile(r"C:\ProgramData\MFA Desk\config.json".into()),
        r#"{"client_id":"from-file","language":"ja","organization":"Acme"}"#,
    )
    .unwrap();
    let settings = Settings::from_layers(&[machine, user, file]).unwrap();
    assert_eq!(settings.domain, "acme.eu.auth0.com");
    assert_eq!(settings.client_id, "from-hkcu");
    assert_eq!(settings.language.as_deref(), Some("fr"));
    assert_eq!(settings.organization.as_deref(), Some("Acme"));
    assert_eq!(settings.origin("domain"), &HKLM);
    assert_eq!(settings.origin("client_id"), &HKCU);
    assert_eq!(settings.origin("organization").kind(), "system file");
}

const PROFILE_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadIdentifier</key><string>com.example.mfadesk.settings</string>
  <key>PayloadUUID</key><string>6D2A4B1E-0F53-4C38-9E0B-2F7E9A1C5D10</string>
  <key>domain</key><string>acme.eu.auth0.com</string>
  <key>client_id</key><string>native-app</string>
  <key>redirect_port</key><integer>53682</integer>
  <key>factors</key><array><string>otp</string><string>email</string></array>
  <key>helpdesk</key>
  <dict>
    <key>management_client_id</key><string>m2m</string>
    <key>agents</key><array><string>@it.acme.example</string></array>
  </dict>
</dict>
</plist>"#;

fn profile() -> Source {
    Source::Profile("/Library/Managed Preferences/com.example.mfadesk.plist".into())
}

#[test]
fn a_managed_profile_in_xml_or_binary_gives_the_same_settings() {
    let from_xml = Layer::from_plist(profile(), PROFILE_XML.as_bytes()).unwrap();
    let value = plist::Value::from_reader_xml(PROFILE_XML.as_bytes()).unwrap();
    let mut binary = Vec::new();
    plist::to_writer_binary(&mut binary, &value).unwrap();
    let from_binary = Layer::from_plist(profile(), &binary).unwrap();
    assert_eq!(
        from_xml.keys().collect::<Vec<_>>(),
        from_binary.keys().collect::<Vec<_>>()
    );
    assert!(!from_xml.keys().any(|k| k.starts_with("Payload")));

    let settings = Settings::from_layers(&[from_binary]).unwrap();
    assert_eq!(settings.sign_in.redirect_port, Some(53682));
    assert_eq!(settings.factors, vec![FactorKind::Otp, FactorKind::Email]);
    assert!(settings
        .helpdesk
        .as_ref()
        .unwrap()
        .admits("bob@it.acme.example"));
    assert_eq!(settings.origin("domain"), &profile());
}

#[test]
fn a_wrong_profile_value_names_the_profile_the_key_and_the_problem() {
    let with = |entries: &str| {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>{entries}</dict></plist>"#
        );
        Layer::from_plist(profile(), xml.as_bytes()).unwrap_err()
    };
    let location = "/Library/Managed Preferences/com.example.mfadesk.plist";

    let e = with("<key>domain</key><integer>3</integer>");
    assert_eq!((e.origin.as_str(), e.key.as_str()), (location, "domain"));
    assert!(e.problem.contains("non-empty text"), "{e}");

    let e = with("<key>Domain</key><string>acme.eu.auth0.com</string>");
    assert_eq!(
        e.key, "Domain",
        "profile keys are case-sensitive, as in JSON"
    );
    assert!(e.problem.starts_with("unknown setting"), "{e}");

    let e = with("<key>client_id</key><data>AAEC</data>");
    assert_eq!(e.key, "client_id");
    assert!(e.problem.contains("is data"), "{e}");

    let e = with("<key>sign_in</key><true/>");
    assert_eq!(e.key, "sign_in");
    assert!(e.problem.contains("\"password\" or \"browser\""), "{e}");

    let e = Layer::from_plist(profile(), b"not a plist").unwrap_err();
    assert_eq!((e.origin.as_str(), e.key.as_str()), (location, ""));
    assert!(e.problem.contains("not a valid property list"), "{e}");
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn drop_ins_merge_in_name_order_above_the_system_file() {
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("config.json");
    let user = dir.path().join("user/config.json");
    let drop_ins = dir.path().join("config.d");
    write(
        &system,
        r#"{"domain":"base.auth0.com","client_id":"base","organization":"Base","realm":"db"}"#,
    );
    write(
        &drop_ins.join("10-base.json"),
        r#"{"domain":"acme.eu.auth0.com","client_id":"native-app","language":"en"}"#,
    );
    write(
        &drop_ins.join("50-site.json"),
        r#"{"organization":"Acme Corporation","language":"ja"}"#,
    );
    // Left behind by editors and package managers: not read.
    write(&drop_ins.join(".50-site.json.swp"), "{");
    write(&drop_ins.join("50-site.json.dpkg-old"), "{");
    write(
        &user,
        r#"{"helpdesk_text":"Call 4357","organization":"Mine"}"#,
    );

    let check = check(&Locations::files(&system, Some(&user)));
    let Outcome::Valid(settings) = &check.outcome else {
        panic!("{check}");
    };
    assert_eq!(settings.domain, "acme.eu.auth0.com");
    assert_eq!(settings.organization.as_deref(), Some("Acme Corporation"));
    assert_eq!(settings.language.as_deref(), Some("ja"));
    assert!(settings.language_managed);
    assert_eq!(settings.realm.as_deref(), Some("db"));
    assert_eq!(settings.helpdesk_text.as_deref(), Some("Call 4357"));
    assert_eq!(
        settings.origin("organization"),
        &Source::DropIn(drop_ins.join("50-site.json"))
    );
    assert_eq!(
        settings.origin("domain"),
        &Source::DropIn(drop_ins.join("10-base.json"))
    );
    assert_eq!(
        settings.origin("realm"),
        &Source::SystemFile(system.clone())
    );
    assert_eq!(
        settings.origin("helpdesk_text"),
        &Source::UserFile(user.clone())
    );

    let sources: Vec<_> = check.consulted.iter().map(|c| c.source.clone()).collect();
    assert_eq!(
        sources,
        vec![
            Source::DropIn(drop_ins.join("50-site.json")),
            Source::DropIn(drop_ins.join("10-base.json")),
            Source::SystemFile(system.clone()),
            Source::UserFile(user.clone()),
        ]
    );

    let report = check.to_string();
    assert!(
        report.starts_with("MFA Desk configuration: valid\n"),
        "{report}"
    );
    let line = |key: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("no {key} in:\n{report}"))
            .to_owned()
    };
    assert!(
        line("organization").contains("\"Acme Corporation\""),
        "{report}"
    );
    assert!(
        line("organization").ends_with(&format!(
            "drop-in {}",
            drop_ins.join("50-site.json").display()
        )),
        "{report}"
    );
    assert!(line("scope").ends_with("built-in default"), "{report}");
    assert!(line("helpdesk_text").contains("user file"), "{report}");
}

#[test]
fn a_profile_file_sits_above_the_drop_ins() {
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("config.json");
    let plist = dir.path().join("com.example.mfadesk.plist");
    write(&system, r#"{"domain":"base.auth0.com","client_id":"base"}"#);
    write(
        &dir.path().join("config.d/50-site.json"),
        r#"{"client_id":"site"}"#,
    );
    write(&plist, PROFILE_XML);
    let mut locations = Locations::files(&system, None);
    locations.profiles = vec![plist.clone(), dir.path().join("absent.plist")];
    let check = check(&locations);
    let Outcome::Valid(settings) = &check.outcome else {
        panic!("{check}");
    };
    assert_eq!(settings.client_id, "native-app");
    assert_eq!(settings.origin("client_id"), &Source::Profile(plist));
    assert!(check
        .consulted
        .iter()
        .any(|c| !c.found && c.source.kind() == "profile"));
}

#[test]
fn every_broken_source_is_reported_and_nothing_at_all_is_its_own_problem() {
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("config.json");
    let user = dir.path().join("user.json");
    write(
        &system,
        r#"{"domain":"http://acme.eu.auth0.com","client_id":"a"}"#,
    );
    write(
        &dir.path().join("config.d/50-site.json"),
        r#"{"factors":["otp","fax"]}"#,
    );
    write(&user, "{\"language\": }");

    let check = check(&Locations::files(&system, Some(&user)));
    assert!(!check.is_valid());
    let problems: Vec<(String, String)> = check
        .problems()
        .into_iter()
        .map(|p| (p.origin, p.key))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                dir.path()
                    .join("config.d/50-site.json")
                    .display()
                    .to_string(),
                "factors".into()
            ),
            (system.display().to_string(), "domain".into()),
            (user.display().to_string(), String::new()),
        ]
    );
    let report = check.to_string();
    assert!(
        report.starts_with("MFA Desk configuration: NOT valid"),
        "{report}"
    );
    assert!(report.contains("\"fax\" is not one of"), "{report}");
    assert!(report.contains("is not valid JSON (line 1"), "{report}");

    let empty = tempfile::tempdir().unwrap();
    let nothing = check_nothing(&empty.path().join("config.json"));
    assert!(matches!(nothing.outcome, Outcome::Unconfigured));
    let problems = nothing.problems();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].problem.starts_with("no configuration"),
        "{}",
        problems[0]
    );
}

fn check_nothing(system: &Path) -> mfa_core::settings::Check {
    check(&Locations::files(system, None))
}
