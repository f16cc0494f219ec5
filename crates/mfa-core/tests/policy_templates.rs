//! The files IT imports describe exactly the settings the app reads: the Windows policy
//! template (ADMX with its English, Japanese and French ADML), the MSI fragment, the JSON
//! schema and the example macOS profile are compared with the settings' serde structs, and
//! what each would deliver is fed to the app's own parsers.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use mfa_core::settings::{
    self, Hive, Layer, RegistryData, RegistryKey, Settings, Source, BUNDLE_ID, LIST_KEYS,
    POLICY_KEY,
};
use roxmltree::{Document, Node};

const LANGUAGES: [&str; 3] = ["en-US", "ja-JP", "fr-FR"];

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn read(path: &str) -> String {
    fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse<'a>(path: &str, text: &'a str) -> Document<'a> {
    Document::parse(text).unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}"))
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> Node<'a, 'i> {
    children(node, name)
        .next()
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
}

fn attr<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()))
}

/// One setting as the ADMX writes it.
#[derive(Debug)]
struct Element {
    /// `text`, `enum`, `decimal` or `list`.
    kind: String,
    /// For enums, the strings written.
    choices: Vec<String>,
    /// For decimals, the bounds.
    bounds: Option<(u32, u32)>,
    max_length: Option<usize>,
}

/// Setting key (dotted) → how the template writes it, with its policy's name.
fn admx_settings(admx: &Document) -> BTreeMap<String, (String, Element)> {
    let base = r"Software\Policies\MFA Desk";
    assert!(base.eq_ignore_ascii_case(POLICY_KEY));
    let relative = |key: &str| -> Vec<String> {
        let rest = key
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{key} is not under {base}"));
        rest.split('\\')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut settings = BTreeMap::new();
    let policies = child(admx.root_element(), "policies");
    for policy in children(policies, "policy") {
        let name = attr(policy, "name").to_owned();
        assert_eq!(attr(policy, "class"), "Both", "{name}: computer and user");
        let section = relative(attr(policy, "key"));
        for element in child(policy, "elements")
            .children()
            .filter(Node::is_element)
        {
            let kind = element.tag_name().name().to_owned();
            let path = match element.attribute("valueName") {
                Some(value) => [section.clone(), vec![value.to_owned()]].concat(),
                None => {
                    assert_eq!(kind, "list", "{name}: only a list has no valueName");
                    assert_eq!(
                        element.attribute("valuePrefix"),
                        Some(""),
                        "{name}: 1, 2, 3…"
                    );
                    relative(attr(element, "key"))
                }
            };
            let choices = children(element, "item")
                .map(|item| {
                    child(child(item, "value"), "string")
                        .text()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect();
            let bounds = (kind == "decimal").then(|| {
                (
                    attr(element, "minValue").parse().unwrap(),
                    attr(element, "maxValue").parse().unwrap(),
                )
            });
            let max_length = element.attribute("maxLength").map(|m| m.parse().unwrap());
            assert_eq!(
                Some(attr(element, "id")),
                path.last().map(String::as_str),
                "{name}: an element is named after its setting"
            );
            let element = Element {
                kind,
                choices,
                bounds,
                max_length,
            };
            let key = path.join(".");
            assert!(
                settings
                    .insert(key.clone(), (name.clone(), element))
                    .is_none(),
                "{key} is written by two policies"
            );
        }
    }
    settings
}

fn schema() -> serde_json::Value {
    serde_json::from_str(&read("packaging/config.schema.json")).unwrap()
}

/// The JSON schema's description of a dotted key.
fn schema_of<'a>(schema: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    let mut node = schema;
    for part in key.split('.') {
        node = &node["properties"][part];
    }
    assert!(!node.is_null(), "{key} is not in config.schema.json");
    node
}

#[test]
fn the_admx_has_one_policy_value_per_setting_matching_the_schema() {
    let text = read("packaging/windows/mfa-desk.admx");
    let admx = parse("mfa-desk.admx", &text);
    let written = admx_settings(&admx);
    let keys: BTreeSet<String> = settings::keys().into_iter().collect();
    assert_eq!(
        written.keys().cloned().collect::<BTreeSet<_>>(),
        keys,
        "the ADMX and the settings differ"
    );
    let schema = schema();
    for (key, (policy, element)) in &written {
        let described = schema_of(&schema, key);
        match element.kind.as_str() {
            "text" => {
                assert_eq!(described["type"], "string", "{policy}");
                assert_eq!(
                    element.max_length,
                    described["maxLength"].as_u64().map(|m| m as usize),
                    "{policy}"
                );
            }
            "enum" => {
                let allowed: Vec<&str> = described["enum"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{key} is not an enum in the schema"))
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(element.choices, allowed, "{policy}");
            }
            "decimal" => {
                assert_eq!(described["type"], "integer", "{policy}");
                let bounds = (
                    described["minimum"].as_u64().unwrap() as u32,
                    described["maximum"].as_u64().unwrap() as u32,
                );
                assert_eq!(element.bounds, Some(bounds), "{policy}");
            }
            "list" => {
                assert_eq!(described["type"], "array", "{policy}");
                assert!(LIST_KEYS.contains(&key.as_str()), "{key} read as a list");
            }
            other => panic!("{policy}: unexpected element {other}"),
        }
    }
    for list in LIST_KEYS {
        assert_eq!(written[list].1.kind, "list", "{list} must be an ADMX list");
    }
}

/// What Group Policy writes when every policy is enabled, through the app's registry parser.
#[test]
fn every_policy_of_the_admx_enabled_gives_a_valid_configuration() {
    let text = read("packaging/windows/mfa-desk.admx");
    let admx = parse("mfa-desk.admx", &text);
    let sample = |key: &str| match key {
        "domain" => "acme.eu.auth0.com",
        "helpdesk_url" => "https://helpdesk.acme.example",
        "factors" => "otp",
        "helpdesk.agents" => "@helpdesk.acme.example",
        "helpdesk.service_url" => "https://helpdesk-service.acme.example",
        _ => "a value",
    };
    let mut policy = RegistryKey::default();
    for (key, (_, element)) in admx_settings(&admx) {
        let data = match element.kind.as_str() {
            "enum" => RegistryData::String(element.choices.last().unwrap().clone()),
            "decimal" => RegistryData::Dword(element.bounds.unwrap().0),
            _ => RegistryData::String(sample(&key).to_owned()),
        };
        // Walk down to the subkey the value lives in, creating it as Group Policy would.
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().unwrap();
        let mut at = &mut policy;
        for part in parts {
            let index = match at.subkeys.iter().position(|(n, _)| n == part) {
                Some(i) => i,
                None => {
                    at.subkeys.push((part.to_owned(), RegistryKey::default()));
                    at.subkeys.len() - 1
                }
            };
            at = &mut at.subkeys[index].1;
        }
        if element.kind == "list" {
            let entries = RegistryKey {
                values: vec![("1".into(), data)],
                subkeys: vec![],
            };
            at.subkeys.push((last.to_owned(), entries));
        } else {
            at.values.push((last.to_owned(), data));
        }
    }
    let layer = Layer::from_registry(Source::Registry(Hive::LocalMachine), &policy)
        .unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::from_layers(&[layer]).unwrap();
    assert_eq!(settings.sign_in.redirect_port, Some(1024));
    assert!(settings.helpdesk.is_some());
    assert!(settings.helpdesk_service.is_some());
}

#[test]
fn each_adml_gives_every_string_and_presentation_the_admx_uses() {
    let admx_text = read("packaging/windows/mfa-desk.admx");
    let admx = parse("mfa-desk.admx", &admx_text);
    let reference = |prefix: &str| -> BTreeSet<String> {
        admx.descendants()
            .flat_map(|n| {
                n.attributes()
                    .map(|a| a.value().to_owned())
                    .collect::<Vec<_>>()
            })
            .filter_map(|v| {
                v.strip_prefix(&format!("$({prefix}."))
                    .and_then(|v| v.strip_suffix(')'))
                    .map(str::to_owned)
            })
            .collect()
    };
    let strings = reference("string");
    let presentations = reference("presentation");
    // Every element a policy presents, by presentation id.
    let policies = child(admx.root_element(), "policies");
    let element_ids: BTreeMap<String, BTreeSet<String>> = children(policies, "policy")
        .map(|p| {
            let ids = child(p, "elements")
                .children()
                .filter(Node::is_element)
                .map(|e| attr(e, "id").to_owned())
                .collect();
            let presentation = attr(p, "presentation");
            let id = presentation
                .strip_prefix("$(presentation.")
                .and_then(|p| p.strip_suffix(')'))
                .unwrap()
                .to_owned();
            (id, ids)
        })
        .collect();

    for language in LANGUAGES {
        let path = format!("packaging/windows/{language}/mfa-desk.adml");
        let text = read(&path);
        let adml = parse(&path, &text);
        let resources = child(adml.root_element(), "resources");
        let defined: BTreeSet<String> = children(child(resources, "stringTable"), "string")
            .map(|s| {
                assert!(
                    !s.text().unwrap_or("").trim().is_empty(),
                    "{path}: empty string"
                );
                attr(s, "id").to_owned()
            })
            .collect();
        assert_eq!(
            defined, strings,
            "{path}: strings differ from those the ADMX uses"
        );
        let table = child(resources, "presentationTable");
        let mut presented = BTreeSet::new();
        for presentation in children(table, "presentation") {
            let id = attr(presentation, "id").to_owned();
            let refs: BTreeSet<String> = presentation
                .children()
                .filter(Node::is_element)
                .map(|e| attr(e, "refId").to_owned())
                .collect();
            assert_eq!(
                Some(&refs),
                element_ids.get(&id),
                "{path}: presentation {id} does not show its policy's elements"
            );
            presented.insert(id);
        }
        assert_eq!(presented, presentations, "{path}: presentations");
    }
}

#[test]
fn the_json_schema_describes_exactly_the_settings() {
    let schema = schema();
    let mut described = BTreeSet::new();
    for (key, value) in schema["properties"].as_object().unwrap() {
        if key == "$schema" {
            continue;
        }
        match value["properties"].as_object() {
            Some(inner) => described.extend(inner.keys().map(|k| format!("{key}.{k}"))),
            None => {
                described.insert(key.clone());
            }
        }
    }
    assert_eq!(described, settings::keys().into_iter().collect());
}

#[test]
fn the_msi_fragment_writes_policy_values_the_app_reads() {
    let text = read("packaging/windows/policies.wxs");
    let wxs = parse("policies.wxs", &text);
    let keys = settings::keys();
    let properties: BTreeSet<&str> = wxs
        .descendants()
        .filter(|n| n.has_tag_name((WIX, "Property")))
        .map(|n| attr(n, "Id"))
        .collect();
    let mut written = 0;
    for value in wxs
        .descendants()
        .filter(|n| n.has_tag_name((WIX, "RegistryValue")))
    {
        assert_eq!(attr(value, "Root"), "HKLM");
        assert_eq!(attr(value, "Key"), POLICY_KEY);
        assert!(
            keys.iter().any(|k| k == attr(value, "Name")),
            "{}",
            attr(value, "Name")
        );
        let property = attr(value, "Value")
            .strip_prefix('[')
            .and_then(|v| v.strip_suffix(']'))
            .unwrap();
        assert!(properties.contains(property), "{property} is not declared");
        let component = value.parent_element().unwrap();
        assert_eq!(attr(component, "Permanent"), "yes");
        assert_eq!(child(component, "Condition").text(), Some(property));
        written += 1;
    }
    assert!(written >= 2, "TENANT and CLIENT_ID at least");
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let wix = &conf["bundle"]["windows"]["wix"];
    assert_eq!(wix["fragmentPaths"][0], "packaging/windows/policies.wxs");
    let group = attr(
        wxs.descendants()
            .find(|n| n.has_tag_name((WIX, "ComponentGroup")))
            .unwrap(),
        "Id",
    );
    assert_eq!(wix["componentGroupRefs"][0], group);
    assert_eq!(
        conf["identifier"], BUNDLE_ID,
        "profiles address the bundle id"
    );
}

const WIX: &str = "http://schemas.microsoft.com/wix/2006/wi";

#[test]
fn the_example_profile_is_a_plist_whose_payload_is_a_valid_configuration() {
    let path = repo("packaging/macos/mfa-desk.mobileconfig");
    let profile = plist::Value::from_file(&path).expect("the .mobileconfig is a property list");
    let profile = profile.as_dictionary().unwrap();
    assert_eq!(
        profile.get("PayloadType").and_then(|v| v.as_string()),
        Some("Configuration")
    );
    let payloads = profile["PayloadContent"].as_array().unwrap();
    let settings = payloads
        .iter()
        .filter_map(|p| p.as_dictionary())
        .find(|p| p.get("PayloadType").and_then(|t| t.as_string()) == Some(BUNDLE_ID))
        .expect("a payload for the app's bundle identifier");
    for key in ["PayloadIdentifier", "PayloadUUID", "PayloadVersion"] {
        assert!(settings.contains_key(key), "{key}");
        assert!(profile.contains_key(key), "{key}");
    }
    // What macOS installs in /Library/Managed Preferences is this dictionary.
    let mut bytes = Vec::new();
    plist::to_writer_binary(&mut bytes, &plist::Value::Dictionary(settings.clone())).unwrap();
    let layer =
        Layer::from_plist(Source::Profile(path.clone()), &bytes).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::from_layers(&[layer]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settings.client_id, "YOUR_NATIVE_APP_CLIENT_ID");
    assert!(settings.helpdesk.is_some());
    assert!(settings.helpdesk_service.is_some());
}

#[test]
fn the_example_site_drop_in_configures_the_app_on_its_own() {
    let path = repo("packaging/linux/site-config/50-acme.json");
    let text = fs::read_to_string(&path).unwrap();
    let layer = Layer::from_json(Source::DropIn(path), &text).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::from_layers(&[layer]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settings.organization.as_deref(), Some("Acme Corporation"));
}
