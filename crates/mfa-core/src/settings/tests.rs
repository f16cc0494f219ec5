use super::*;

fn layer(path: &str, json: &str, managed: bool) -> Layer {
    let source = if managed {
        Source::SystemFile(path.into())
    } else {
        Source::UserFile(path.into())
    };
    Layer::from_json(source, json).unwrap()
}

fn parse_error(path: &str, json: &str) -> SettingsError {
    Layer::from_json(Source::SystemFile(path.into()), json).unwrap_err()
}

#[test]
fn the_managed_file_wins_and_the_user_file_fills_in() {
    let system = layer(
        "/etc/mfa-desk/config.json",
        r#"{"domain":"acme.eu.auth0.com","client_id":"abc","language":"ja"}"#,
        true,
    );
    let user = layer(
        "~/.config/mfa-desk/config.json",
        r#"{"domain":"evil.example.com","helpdesk_text":"Call 1234","language":"fr"}"#,
        false,
    );
    let settings = Settings::from_layers(&[system, user]).unwrap();
    assert_eq!(settings.domain, "acme.eu.auth0.com");
    assert_eq!(settings.language.as_deref(), Some("ja"));
    assert!(settings.language_managed);
    assert_eq!(settings.helpdesk_text.as_deref(), Some("Call 1234"));
    assert_eq!(settings.factors.len(), 5);
    assert_eq!(settings.client_secret, ClientSecretSource::None);
    assert_eq!(
        settings.origin("helpdesk_text"),
        &Source::UserFile("~/.config/mfa-desk/config.json".into())
    );
    assert_eq!(settings.origin("scope"), &Source::Default);
}

#[test]
fn a_language_from_the_person_s_own_file_is_not_locked() {
    let user = layer(
        "/home/a/.config/mfa-desk/config.json",
        r#"{"domain":"acme.eu.auth0.com","client_id":"abc","language":"fr"}"#,
        false,
    );
    let settings = Settings::from_layers(&[user]).unwrap();
    assert_eq!(settings.language.as_deref(), Some("fr"));
    assert!(!settings.language_managed);
}

#[test]
fn mistakes_name_the_file_and_the_key() {
    let error = |json: &str| {
        let layer = Layer::from_json(Source::SystemFile("/etc/c.json".into()), json);
        layer.and_then(|l| Settings::from_layers(&[l])).unwrap_err()
    };
    let e = error(r#"{"domain":"http://acme.eu.auth0.com","client_id":"a"}"#);
    assert_eq!(
        (e.origin.as_str(), e.key.as_str()),
        ("/etc/c.json", "domain")
    );
    assert!(e.problem.contains("HTTPS"));
    assert_eq!(error(r#"{"domain":"a.auth0.com"}"#).key, "client_id");
    assert_eq!(
        error(r#"{"domain":"a.auth0.com","client_id":"a","factors":["otp","fax"]}"#).key,
        "factors"
    );
    assert_eq!(
        error(r#"{"domain":"a.auth0.com","client_id":"a","language":"de"}"#).key,
        "language"
    );
    assert_eq!(
        error(r#"{"domain":"a.auth0.com","client_id":"a","client_secret":"s3cret"}"#).key,
        "client_secret"
    );
    assert_eq!(
        error(r#"{"domain":"a.auth0.com","client_id":"a","helpdesk_url":"javascript:x"}"#).key,
        "helpdesk_url"
    );
    let unknown = parse_error("/etc/c.json", r#"{"domian":"x"}"#);
    assert_eq!(unknown.key, "domian");
    let broken = parse_error("/etc/c.json", "{\n\"domain\": }");
    assert!(broken.problem.contains("line 2"), "{}", broken.problem);
}

#[test]
fn each_problem_says_what_is_expected() {
    let problem = |json: &str| parse_error("/etc/c.json", json);
    let cases = [
        (r#"{"domain": 3}"#, "domain", "non-empty text"),
        (r#"{"client_id": "  "}"#, "client_id", "non-empty text"),
        (r#"{"factors": "otp"}"#, "factors", "must be a list"),
        (r#"{"factors": []}"#, "factors", "at least one factor"),
        (
            r#"{"factors": ["otp", "fax"]}"#,
            "factors",
            "\"fax\" is not one of",
        ),
        (r#"{"language": "de"}"#, "language", "en, ja, fr"),
        (
            r#"{"client_secret": "s3cret"}"#,
            "client_secret",
            "never goes",
        ),
        (
            r#"{"sign_in": "sso"}"#,
            "sign_in",
            "\"password\" or \"browser\"",
        ),
        (r#"{"redirect_port": 80}"#, "redirect_port", "1024 to 65535"),
        (
            r#"{"redirect_port": "8123"}"#,
            "redirect_port",
            "whole number",
        ),
        (
            r#"{"redirect_port": 70000}"#,
            "redirect_port",
            "1024 to 65535",
        ),
        (
            r#"{"username": "phone"}"#,
            "username",
            "\"email\" or \"username\"",
        ),
        (r#"{"helpdesk": "on"}"#, "helpdesk", "a section"),
        (
            r#"{"helpdesk": {"agents": ["bob@"]}}"#,
            "helpdesk.agents",
            "\"bob@\" is neither an email address",
        ),
        (
            r#"{"helpdesk": {"agents": ["@"]}}"#,
            "helpdesk.agents",
            "\"@\" is neither",
        ),
        (
            r#"{"helpdesk": {"agents": []}}"#,
            "helpdesk.agents",
            "at least one agent",
        ),
        (
            r#"{"helpdesk": {"client_id": "x"}}"#,
            "helpdesk.client_id",
            "unknown setting; known settings: management_client_id, agents, service_url, api_identifier",
        ),
        (r#"[1, 2]"#, "", "must be a JSON object"),
    ];
    for (json, key, expected) in cases {
        let e = problem(json);
        assert_eq!(e.key, key, "{json}: {e}");
        assert!(e.problem.contains(expected), "{json}: {e}");
        assert_eq!(e.origin, "/etc/c.json");
    }
    let unknown = problem(r#"{"tenant": "x"}"#);
    assert_eq!(unknown.key, "tenant");
    assert!(
        unknown
            .problem
            .starts_with("unknown setting; known settings: organization, domain, client_id"),
        "{}",
        unknown.problem
    );
}

#[test]
fn new_keys_have_their_defaults_and_their_values() {
    let minimal = layer(
        "/etc/c.json",
        r#"{"domain":"a.auth0.com","client_id":"a"}"#,
        true,
    );
    let settings = Settings::from_layers(&[minimal]).unwrap();
    assert_eq!(
        settings.sign_in,
        SignIn {
            method: SignInMethod::Password,
            connection: None,
            redirect_port: None
        }
    );
    assert_eq!(settings.username, IdentifierKind::Email);
    assert_eq!(settings.helpdesk, None);

    let full = layer(
        "/etc/c.json",
        r#"{"domain":"a.auth0.com","client_id":"a","sign_in":"browser","connection":"acme-okta",
            "redirect_port":53682,"username":"username",
            "helpdesk":{"management_client_id":"m2m","agents":["Alice@Acme.example"," @IT.acme.example","alice@acme.example"]}}"#,
        true,
    );
    let settings = Settings::from_layers(&[full]).unwrap();
    assert_eq!(
        settings.sign_in,
        SignIn {
            method: SignInMethod::Browser,
            connection: Some("acme-okta".into()),
            redirect_port: Some(53682)
        }
    );
    assert_eq!(settings.username, IdentifierKind::Username);
    let helpdesk = settings.helpdesk.unwrap();
    assert_eq!(helpdesk.management_client_id, "m2m");
    assert_eq!(
        helpdesk.agents,
        vec![
            Agent::Email("alice@acme.example".into()),
            Agent::Domain("it.acme.example".into())
        ]
    );
    assert!(helpdesk.admits("ALICE@acme.example"));
    assert!(helpdesk.admits("bob@it.acme.example"));
    assert!(!helpdesk.admits("bob@acme.example"));
    assert!(!helpdesk.admits("eve@sub.it.acme.example"));
    assert!(!helpdesk.admits("it.acme.example"));
}

#[test]
fn helpdesk_mode_needs_both_keys_and_a_managed_source() {
    let only_agents = layer(
        "/etc/c.json",
        r#"{"domain":"a.auth0.com","client_id":"a","helpdesk":{"agents":["@acme.example"]}}"#,
        true,
    );
    let e = Settings::from_layers(&[only_agents]).unwrap_err();
    assert_eq!(e.key, "helpdesk.management_client_id");
    assert_eq!(e.origin, "/etc/c.json");

    let from_user = Layer::from_json(
        Source::UserFile("/home/a/c.json".into()),
        r#"{"helpdesk":{"management_client_id":"m","agents":["@acme.example"]}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (from_user.origin.as_str(), from_user.key.as_str()),
        ("/home/a/c.json", "helpdesk")
    );
    assert!(from_user.problem.contains("IT only"), "{from_user}");
}

#[test]
fn the_helpdesk_service_needs_its_address_and_api_and_makes_direct_mode_optional() {
    let service = layer(
        "/etc/c.json",
        r#"{"domain":"a.auth0.com","client_id":"a","helpdesk":{
            "service_url":"https://helpdesk.acme.example/","api_identifier":"https://helpdesk.acme.example/api"}}"#,
        true,
    );
    let settings = Settings::from_layers(&[service]).unwrap();
    assert_eq!(
        settings.helpdesk_service,
        Some(super::HelpdeskService {
            url: "https://helpdesk.acme.example".into(),
            api_identifier: "https://helpdesk.acme.example/api".into(),
            max_session: crate::helpdesk::MAX_SESSION,
        })
    );
    assert_eq!(
        settings.helpdesk, None,
        "no Management client: no direct mode"
    );

    let cases = [
        (
            r#"{"service_url":"https://h.example"}"#,
            "helpdesk.api_identifier",
            "is required",
        ),
        (
            r#"{"api_identifier":"https://h.example/api"}"#,
            "helpdesk.service_url",
            "is required",
        ),
        (
            r#"{"service_url":"http://h.example","api_identifier":"x"}"#,
            "helpdesk.service_url",
            "https",
        ),
        (
            r#"{"service_url":"h.example","api_identifier":"x"}"#,
            "helpdesk.service_url",
            "an address",
        ),
        (
            r#"{"service_url":"https://h.example/?a=1","api_identifier":"x"}"#,
            "helpdesk.service_url",
            "query",
        ),
        (
            r#"{"service_url":"https://h.example","api_identifier":"x","agents":["@a.example"]}"#,
            "helpdesk.management_client_id",
            "is required",
        ),
    ];
    for (section, key, expected) in cases {
        let json = format!(r#"{{"domain":"a.auth0.com","client_id":"a","helpdesk":{section}}}"#);
        // A bad value is refused with its layer; a missing companion when merging.
        let e = match Layer::from_json(Source::SystemFile("/etc/c.json".into()), &json) {
            Err(e) => e,
            Ok(layer) => Settings::from_layers(&[layer]).unwrap_err(),
        };
        assert_eq!(e.key, key, "{section}: {e}");
        assert!(e.problem.contains(expected), "{section}: {e}");
    }
}

#[test]
fn a_section_comes_whole_from_one_layer() {
    let high = layer(
        "/etc/mfa-desk/config.d/50-site.json",
        r#"{"helpdesk":{"management_client_id":"site","agents":["@site.example"]}}"#,
        true,
    );
    let low = layer(
        "/etc/mfa-desk/config.json",
        r#"{"domain":"a.auth0.com","client_id":"a","helpdesk":{"management_client_id":"base","agents":["@base.example"]}}"#,
        true,
    );
    let settings = Settings::from_layers(&[high, low]).unwrap();
    let helpdesk = settings.helpdesk.as_ref().unwrap();
    assert_eq!(helpdesk.management_client_id, "site");
    assert_eq!(helpdesk.agents, vec![Agent::Domain("site.example".into())]);
    assert_eq!(
        settings.origin("helpdesk.agents"),
        &Source::SystemFile("/etc/mfa-desk/config.d/50-site.json".into())
    );
}

#[test]
fn null_is_as_good_as_absent() {
    let system = layer(
        "/etc/c.json",
        r#"{"domain":"a.auth0.com","realm":null}"#,
        true,
    );
    let user = layer("/home/c.json", r#"{"client_id":"a","realm":"db"}"#, false);
    let settings = Settings::from_layers(&[system, user]).unwrap();
    assert_eq!(settings.realm.as_deref(), Some("db"));
}

#[test]
fn the_example_file_in_the_repository_is_valid() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../packaging/config.example.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let settings =
        Settings::from_layers(&[Layer::from_json(Source::SystemFile(path.into()), &text).unwrap()])
            .unwrap();
    assert_eq!(settings.client_id, "YOUR_NATIVE_APP_CLIENT_ID");
    // The example shows every key, so IT sees each one once; it signs in with a password, so
    // the browser sign-in's keys are left to the README and the schema.
    let example: serde_json::Value = serde_json::from_str(&text).unwrap();
    let browser_only = ["connection", "redirect_port"];
    for key in schema::all_keys()
        .into_iter()
        .filter(|k| !browser_only.contains(&k.as_str()))
    {
        let mut value = &example;
        for part in key.split('.') {
            value = value
                .get(part)
                .unwrap_or_else(|| panic!("{key} missing from the example"));
        }
    }
}

#[test]
fn the_keys_come_from_the_structs() {
    assert_eq!(
        schema::all_keys(),
        [
            "organization",
            "domain",
            "client_id",
            "client_secret",
            "realm",
            "audience",
            "scope",
            "sign_in",
            "connection",
            "redirect_port",
            "username",
            "factors",
            "language",
            "helpdesk_text",
            "helpdesk_url",
            "helpdesk.management_client_id",
            "helpdesk.agents",
            "helpdesk.service_url",
            "helpdesk.api_identifier",
            "helpdesk.max_session_minutes",
        ]
    );
    for list in schema::LIST_KEYS {
        assert!(schema::all_keys().iter().any(|k| k == list), "{list}");
    }
}

#[test]
fn the_environment_names_it_s_file_only_through_a_test_build_s_hook() {
    let env = |name: &str| match name {
        SYSTEM_CONFIG_ENV => Some("/tmp/anyone/config.json".into()),
        USER_CONFIG_ENV => Some("/tmp/me/config.json".into()),
        _ => None,
    };
    let release = Locations::from_env(EnvTrust::PersonOnly, env);
    assert_ne!(
        release.system_file,
        std::path::Path::new("/tmp/anyone/config.json")
    );
    assert_ne!(
        release.drop_in_dir,
        std::path::Path::new("/tmp/anyone/config.d")
    );
    assert_eq!(release.owner_check, OwnerCheck::AdminOnly);
    assert_eq!(
        release.user_file.as_deref(),
        Some(std::path::Path::new("/tmp/me/config.json"))
    );
    let hooked = Locations::from_env(EnvTrust::TestHooks, env);
    assert_eq!(
        hooked.system_file,
        std::path::Path::new("/tmp/anyone/config.json")
    );
    assert_eq!(
        hooked.drop_in_dir,
        std::path::Path::new("/tmp/anyone/config.d")
    );
    assert_eq!(hooked.owner_check, OwnerCheck::Skip);
    // Unset, a test build reads the OS's places with the check, as a release build does.
    assert_eq!(
        Locations::from_env(EnvTrust::TestHooks, |_| None),
        Locations::from_env(EnvTrust::PersonOnly, |_| None)
    );
}

#[cfg(unix)]
#[test]
fn it_s_files_that_others_could_change_are_not_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let system = dir.path().join("config.json");
    std::fs::write(
        &system,
        r#"{"domain":"acme.eu.auth0.com","client_id":"abc"}"#,
    )
    .unwrap();
    let drop_ins = dir.path().join("config.d");
    std::fs::create_dir(&drop_ins).unwrap();
    let site = drop_ins.join("50-site.json");
    std::fs::write(
        &site,
        r#"{"helpdesk":{"management_client_id":"m","agents":["@acme.example"]}}"#,
    )
    .unwrap();
    for path in [&system, &site] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(&drop_ins, std::fs::Permissions::from_mode(0o755)).unwrap();
    let locations = Locations::files(&system, None).admin_only();
    let ours = std::fs::metadata(&system).unwrap();
    if std::os::unix::fs::MetadataExt::uid(&ours) != 0 {
        // Not root: nothing this test creates is an administrator's.
        assert!(!check(&locations).is_valid());
        return;
    }
    assert!(check(&locations).is_valid(), "{}", check(&locations));

    // A drop-in anyone may write: refused, named, and the folder's own state with it.
    std::fs::set_permissions(&site, std::fs::Permissions::from_mode(0o666)).unwrap();
    let problems = check(&locations).problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].origin, site.display().to_string());
    assert!(problems[0].problem.starts_with("not read:"), "{problems:?}");
    std::fs::set_permissions(&site, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&drop_ins, std::fs::Permissions::from_mode(0o777)).unwrap();
    let problems = check(&locations).problems();
    assert_eq!(problems[0].origin, site.display().to_string());
    std::fs::set_permissions(&drop_ins, std::fs::Permissions::from_mode(0o755)).unwrap();

    // The system file owned by someone else: refused too. Without the check (a test
    // build's hook), the same files are read.
    std::os::unix::fs::chown(&system, Some(1000), None).unwrap();
    assert!(!check(&locations).is_valid());
    assert!(check(&Locations::files(&system, None)).is_valid());
}

#[test]
fn it_may_shorten_the_helpdesk_session_never_lengthen_it() {
    let with = |minutes: &str| {
        let json = format!(
            r#"{{"domain":"acme.eu.auth0.com","client_id":"abc","helpdesk":{{"management_client_id":"m","agents":["@acme.example"]{minutes}}}}}"#
        );
        Layer::from_json(
            Source::SystemFile("/etc/mfa-desk/config.json".into()),
            &json,
        )
        .and_then(|layer| Settings::from_layers(&[layer]))
    };
    let default = with("").unwrap().helpdesk.unwrap();
    assert_eq!(default.max_session, crate::helpdesk::MAX_SESSION);
    let shorter = with(r#","max_session_minutes":90"#)
        .unwrap()
        .helpdesk
        .unwrap();
    assert_eq!(shorter.max_session, std::time::Duration::from_secs(90 * 60));
    for refused in ["481", "4", "\"60\"", "1.5"] {
        let error = with(&format!(r#","max_session_minutes":{refused}"#)).unwrap_err();
        assert_eq!(error.key, "helpdesk.max_session_minutes", "{refused}");
        assert!(
            error.problem.contains("5 to 480"),
            "{refused}: {}",
            error.problem
        );
    }
}
