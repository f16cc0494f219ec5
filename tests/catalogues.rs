//! The three language catalogues stay complete: the same keys and placeholders in English,
//! Japanese and French; every key the UI names exists; every error code the Rust side can
//! send has a message in each language.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 3] = ["en", "ja", "fr"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A catalogue is one JSON object of key to text, fetched by the webview.
fn catalogue(language: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("ui/i18n/{language}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

fn files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

#[test]
fn every_language_has_the_same_keys_and_placeholders() {
    let english = catalogue("en");
    assert!(english.len() > 100);
    for language in &LANGUAGES[1..] {
        let other = catalogue(language);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{language}: missing {missing:?}, extra {extra:?}"
        );
        for (key, text) in &english {
            assert_eq!(
                placeholders(text),
                placeholders(&other[key]),
                "{language}: placeholders of {key}"
            );
            assert!(!other[key].trim().is_empty(), "{language}: {key} is empty");
        }
    }
}

/// Every quoted literal in `text` (single, double or back quotes, without interpolation).
fn string_literals(text: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['\'', '"', '`']) {
        let quote = rest.as_bytes()[start] as char;
        let body = &rest[start + 1..];
        let Some(end) = body.find(quote) else { break };
        literals.push(&body[..end]);
        rest = &body[end + 1..];
    }
    literals
}

#[test]
fn every_key_the_ui_names_exists() {
    let english = catalogue("en");
    // A literal that starts with a catalogue area ("signin.", "error.") is a key.
    let areas: BTreeSet<&str> = english
        .keys()
        .filter_map(|k| k.split_once('.').map(|(area, _)| area))
        .collect();
    let mut sources = Vec::new();
    files(&root().join("ui"), "js", &mut sources);
    files(&root().join("ui"), "html", &mut sources);
    let mut named = 0;
    for path in sources
        .iter()
        .filter(|p| !p.starts_with(root().join("ui/i18n")))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let keys = string_literals(&text).into_iter().filter(|literal| {
            let looks_like_key = literal
                .split_once('.')
                .is_some_and(|(area, rest)| areas.contains(area) && !rest.is_empty());
            // `'error.' + code` builds a key at run time: only whole keys are checked.
            looks_like_key && !literal.ends_with('.') && !literal.contains(['$', ' ', '/', '<'])
        });
        for key in keys {
            named += 1;
            // `plural('duration.minutes', n)` picks `duration.minutesOne` or `…Other`.
            let plural = ["One", "Other"]
                .iter()
                .all(|form| english.contains_key(&format!("{key}{form}")));
            assert!(
                english.contains_key(key) || plural,
                "{} names a missing key {key}",
                path.display()
            );
        }
    }
    assert!(named > 150, "the scan found the UI's keys ({named})");
}

/// Codes the webview makes up itself, when Rust cannot be reached at all.
const UI_ONLY_CODES: [&str; 1] = ["ipc_unavailable"];

/// Every code of the typed contract: the core's `ErrorCode` and the app's `AppError`.
fn error_codes() -> BTreeSet<&'static str> {
    mfa_core::ErrorCode::iter()
        .map(mfa_core::ErrorCode::as_str)
        .chain(mfa_desk::command_error::AppError::iter().map(|c| c.as_str()))
        .chain(UI_ONLY_CODES)
        .collect()
}

#[test]
fn every_error_code_has_a_message_in_every_language() {
    let codes = error_codes();
    assert!(codes.len() > 40, "found the codes ({})", codes.len());
    for language in LANGUAGES {
        let messages = catalogue(language);
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !messages.contains_key(&format!("error.{c}")))
            .collect();
        assert!(
            missing.is_empty(),
            "{language}: error codes without a message: {missing:?}"
        );
    }
}

/// What the app refuses to keep a caller's code, a helpdesk session or a sign-in alive past
/// its purpose (issue 22): each refusal is a code of its own, never `internal`, and says in
/// each language something no other refusal says.
const HARDENING_REFUSALS: [&str; 9] = [
    "caller_code_gone",
    "caller_code_not_saved",
    "caller_not_open",
    "no_pending_code",
    "helpdesk_session_expired",
    "helpdesk_session_too_long",
    "helpdesk_screen_locked",
    "helpdesk_not_configured",
    "browser_sign_in_timed_out",
];

#[test]
fn each_hardening_refusal_has_its_own_code_and_words() {
    let codes = error_codes();
    for code in HARDENING_REFUSALS {
        assert!(codes.contains(code), "{code} is not a code Rust sends");
    }
    for language in LANGUAGES {
        let messages = catalogue(language);
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for code in HARDENING_REFUSALS.iter().chain(["internal"].iter()) {
            let text = messages[&format!("error.{code}")].as_str();
            assert!(!text.trim().is_empty(), "{language}: {code} has no words");
            if let Some(other) = seen.insert(text, code) {
                panic!("{language}: {code} says what {other} says: {text:?}");
            }
        }
    }
}

#[test]
fn no_error_message_is_orphaned() {
    let codes = error_codes();
    // Keys under `error.` that are not codes: the banner's own wording.
    let wording = ["technicalDetails"];
    let orphans: Vec<_> = catalogue("en")
        .into_keys()
        .filter_map(|key| key.strip_prefix("error.").map(str::to_owned))
        .filter(|code| !codes.contains(code.as_str()) && !wording.contains(&code.as_str()))
        .collect();
    assert!(
        orphans.is_empty(),
        "messages for codes nothing sends: {orphans:?}"
    );
}

/// Helpdesk screens build keys from values Rust sends: each value has its words in each
/// language (`helpdesk.next.<step>`, `helpdesk.verify.method.<how>`, `helpdesk.action.<kind>`…).
#[test]
fn every_helpdesk_value_the_ui_words_has_its_message() {
    use mfa_core::helpdesk::{ActionKind, CallerNextStep, VerificationMethod};
    let name = |value: serde_json::Value| value.as_str().unwrap().to_owned();
    let mut keys = Vec::new();
    for step in CallerNextStep::iter() {
        keys.push(format!(
            "helpdesk.next.{}",
            name(serde_json::to_value(step).unwrap())
        ));
    }
    for method in VerificationMethod::all() {
        keys.push(format!("helpdesk.verify.method.{}", method.as_str()));
        keys.push(format!("helpdesk.verify.methodHint.{}", method.as_str()));
    }
    for action in ActionKind::all() {
        let action = name(serde_json::to_value(action).unwrap());
        keys.push(format!("helpdesk.action.{action}"));
        keys.push(format!("helpdesk.done.{action}"));
        if action != "remove_method" {
            keys.push(format!("helpdesk.actionHint.{action}"));
            keys.push(format!("helpdesk.confirm.{action}Title"));
        }
    }
    for language in LANGUAGES {
        let messages = catalogue(language);
        let missing: Vec<_> = keys.iter().filter(|k| !messages.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language}: missing {missing:?}");
    }
}

/// The UI keeps one list of codes by hand, the field errors each input shows in place
/// (`FIELD_CODES` in `ui/js/widgets/field-message.js`), and compares a few codes to choose a
/// screen (`err.code === '…'`). Each must be a code Rust can send, or the check never fires.
#[test]
fn every_error_code_the_ui_names_is_one_rust_sends() {
    let codes = error_codes();
    let quoted = |text: &str| -> Vec<String> {
        text.split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    let mut named = Vec::new();
    let fields = std::fs::read_to_string(root().join("ui/js/widgets/field-message.js")).unwrap();
    let start = fields.find("const EMPTY_OR_LONG").expect("EMPTY_OR_LONG");
    let end = start + fields[start..].find("\n};").expect("end of FIELD_CODES");
    named.extend(
        quoted(&fields[start..end])
            .into_iter()
            .map(|c| ("field-message.js".to_owned(), c)),
    );
    let mut scripts = Vec::new();
    files(&root().join("ui/js"), "js", &mut scripts);
    for path in &scripts {
        let text = std::fs::read_to_string(path).unwrap();
        for (at, _) in text.match_indices("code === '") {
            // `typeof error.code === 'string'` checks a type, not a code.
            if text[..at].ends_with("typeof error.") {
                continue;
            }
            let rest = &text[at + "code === '".len()..];
            let code = &rest[..rest.find('\'').unwrap()];
            named.push((path.display().to_string(), code.to_owned()));
        }
    }
    assert!(
        named.len() > 20,
        "the scan found the UI's codes ({})",
        named.len()
    );
    let unknown: Vec<_> = named
        .iter()
        .filter(|(_, code)| !codes.contains(code.as_str()))
        .collect();
    assert!(unknown.is_empty(), "codes Rust never sends: {unknown:?}");
}
