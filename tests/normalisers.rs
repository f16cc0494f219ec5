//! Property tests for what people type, one group per field (codes, recovery codes, phone
//! numbers, email addresses, the sign-in name, the password). For each validator:
//! - any input at all is answered without a panic;
//! - an accepted value round-trips (checking it again gives the same value), and is what
//!   Auth0 expects;
//! - a value with a known defect is refused with the variant that names that defect.

use mfa_core::input::{
    password, Email, IdentifierKind, InputError, OtpCode, PhoneNumber, RecoveryCode, SignInName,
    MAX_PASSWORD_CHARS,
};
use mfa_core::secret::ExposeSecret;
use phonenumber::metadata::DATABASE;
use proptest::prelude::*;

/// Characters interleaved with separators people paste between them.
fn with_separators(core: &str, seps: &[&'static str]) -> String {
    core.chars()
        .zip(seps.iter().cycle())
        .map(|(c, sep)| format!("{c}{sep}"))
        .collect()
}

/// The separators codes may carry: spaces (of every width) and dashes.
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just(" "),
        Just("-"),
        Just("\u{3000}"),
        Just("\u{2010}"),
        Just("\t")
    ]
}

/// Text with at least one character that is neither a digit nor a separator.
fn text_with_a_non_digit() -> impl Strategy<Value = String> {
    ("[ -~]{0,10}", "[a-zA-Z!?.:/#*+_]", "\\PC{0,10}").prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

/// Full-width forms of ASCII digits, as a Japanese input method types them.
fn full_width(digits: &str) -> String {
    digits
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect()
}

// ------------------------------------------------------------------ one-time codes

proptest! {
    #[test]
    fn codes_never_panic_and_accepted_ones_round_trip(text in "\\PC{0,300}") {
        match OtpCode::parse(&text) {
            Ok(code) => {
                prop_assert_eq!(code.as_str().len(), 6);
                prop_assert!(code.as_str().chars().all(|c| c.is_ascii_digit()));
                prop_assert_eq!(OtpCode::parse(code.as_str()), Ok(code.clone()));
            }
            Err(reason) => prop_assert!(matches!(
                reason,
                InputError::Empty
                    | InputError::TooLong { .. }
                    | InputError::CodeNotDigits
                    | InputError::NotASixDigitCode
            ), "{reason:?}"),
        }
    }

    #[test]
    fn six_digit_codes_survive_any_pasted_separators(
        code in "[0-9]{6}",
        seps in proptest::collection::vec(separator(), 6),
        pad_left in "[ \t]{0,3}",
        pad_right in "[ \t\n]{0,3}",
        wide in any::<bool>(),
    ) {
        let digits = if wide { full_width(&code) } else { code.clone() };
        let typed = format!("{pad_left}{}{pad_right}", with_separators(&digits, &seps));
        let parsed = OtpCode::parse(&typed).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    /// "123456 is your code": refused whole, never filtered down to its six digits.
    #[test]
    fn a_code_with_other_text_is_refused_whole(
        code in "[0-9]{6}",
        other in text_with_a_non_digit(),
        before in any::<bool>(),
    ) {
        let typed = if before { format!("{other}{code}") } else { format!("{code}{other}") };
        prop_assume!(typed.chars().count() <= 256);
        prop_assert_eq!(OtpCode::parse(&typed), Err(InputError::CodeNotDigits));
    }

    #[test]
    fn too_few_or_too_many_digits_are_refused_as_such(
        digits in "[0-9]{1,5}|[0-9]{7,40}",
        seps in proptest::collection::vec(separator(), 1..8),
    ) {
        let typed = with_separators(&digits, &seps);
        prop_assert_eq!(OtpCode::parse(&typed), Err(InputError::NotASixDigitCode));
    }

    #[test]
    fn blank_codes_are_empty(blank in "[ \t\n\u{3000}-]{0,20}") {
        prop_assert_eq!(OtpCode::parse(&blank), Err(InputError::Empty));
    }

    #[test]
    fn pasted_novels_are_refused_as_too_long(text in "[0-9 ]{257,400}") {
        prop_assert_eq!(OtpCode::parse(&text), Err(InputError::TooLong { max: 256 }));
    }
}

// ------------------------------------------------------------------ recovery codes

proptest! {
    #[test]
    fn recovery_codes_in_any_case_and_grouping_normalise_to_upper_case(
        code in "[A-Z0-9]{24}",
        lower in proptest::collection::vec(any::<bool>(), 24),
        seps in proptest::collection::vec(separator(), 24),
    ) {
        let cased: String = code.chars().zip(&lower).map(|(c, l)| if *l { c.to_ascii_lowercase() } else { c }).collect();
        let typed = with_separators(&cased, &seps);
        let parsed = RecoveryCode::parse(&typed).unwrap();
        prop_assert_eq!(parsed.expose(), code.as_str());
        prop_assert_eq!(parsed.groups().concat(), code.clone());
        let again = RecoveryCode::parse(parsed.expose()).unwrap();
        prop_assert_eq!(again.expose(), code.as_str());
    }

    #[test]
    fn recovery_code_parsing_never_panics(text in "\\PC{0,300}") {
        match RecoveryCode::parse(&text) {
            Ok(code) => {
                prop_assert_eq!(code.expose().len(), 24);
                let again = RecoveryCode::parse(code.expose()).unwrap();
                prop_assert_eq!(again.expose(), code.expose());
            }
            Err(reason) => prop_assert!(matches!(
                reason,
                InputError::Empty | InputError::TooLong { .. } | InputError::NotARecoveryCode
            ), "{reason:?}"),
        }
    }

    #[test]
    fn recovery_codes_with_other_characters_or_lengths_are_refused(
        code in "[A-Z0-9]{1,23}|[A-Z0-9]{25,60}|[A-Z0-9]{10}[!?#*.][A-Z0-9]{13}",
    ) {
        prop_assert!(matches!(RecoveryCode::parse(&code), Err(InputError::NotARecoveryCode)));
    }
}

// ------------------------------------------------------------------ phone numbers

proptest! {
    #[test]
    fn french_mobile_numbers_in_any_local_format_become_one_e164(
        // 060-062 and 064-068: wholly allocated mobile ranges in libphonenumber metadata
        rest in "[0-24-8][0-9]{7}",
        style in 0..5usize,
    ) {
        let local = format!("06{rest}");
        let pairs = || local.as_bytes().chunks(2).map(|p| std::str::from_utf8(p).unwrap()).collect::<Vec<_>>();
        let typed = match style {
            0 => local.clone(),
            1 => pairs().join(" "),
            2 => pairs().join("."),
            3 => full_width(&local),
            _ => format!("+33 {}", &local[1..]),
        };
        let phone = PhoneNumber::parse(Some("FR"), &typed).unwrap();
        prop_assert_eq!(phone.e164(), format!("+336{rest}"));
    }

    #[test]
    fn phone_parsing_never_panics_and_accepted_numbers_round_trip(
        text in "\\PC{0,80}",
        region in "[A-Z]{2}",
    ) {
        if let Ok(phone) = PhoneNumber::parse(Some(&region), &text) {
            prop_assert!(phone.e164().starts_with('+'));
            prop_assert!(phone.e164()[1..].chars().all(|c| c.is_ascii_digit()));
            prop_assert!((8..=16).contains(&phone.e164().len()));
            prop_assert_eq!(PhoneNumber::parse(None, phone.e164()), Ok(phone.clone()));
            prop_assert_eq!(PhoneNumber::parse(Some(&region), phone.international()), Ok(phone.clone()));
        }
    }

    /// Text after (or before) a number is refused, never dropped.
    #[test]
    fn leftover_text_beside_a_number_is_refused(
        rest in "[0-24-8][0-9]{7}",
        note in "[ ,;:]{0,2}[a-zA-Z#*;,][ -~]{0,12}",
        before in any::<bool>(),
    ) {
        let number = format!("06 {rest}");
        let typed = if before { format!("{note} {number}") } else { format!("{number}{note}") };
        prop_assert_eq!(PhoneNumber::parse(Some("FR"), &typed), Err(InputError::PhoneExtraText));
    }

    #[test]
    fn a_second_pasted_line_is_refused(
        first in "[0-24-8][0-9]{7}",
        second in "[ -~]{1,20}",
        newline in "\n|\r\n|\r",
    ) {
        let typed = format!("06{first}{newline}{second}");
        prop_assume!(!second.trim().is_empty());
        prop_assert_eq!(PhoneNumber::parse(Some("FR"), &typed), Err(InputError::MultipleLines));
    }
}

/// Every country's example premium-rate, toll-free and shared-cost numbers (libphonenumber's
/// own examples) are refused as unsupported; its example mobile numbers are accepted and
/// round-trip. Examples the library itself does not read as valid in their own country
/// (countries sharing a calling code with a larger one) are skipped.
#[test]
fn numbers_that_cannot_receive_codes_are_refused_in_every_country() {
    let valid_in = |region: &str, example: &str| {
        let id = region.parse::<phonenumber::country::Id>().ok();
        phonenumber::parse(id, example).is_ok_and(|n| phonenumber::is_valid(&n))
    };
    let mut wrong = Vec::new();
    let (mut refused, mut accepted) = (0, 0);
    for metadata in DATABASE.iter() {
        let region = metadata.id();
        if region == "001" {
            continue; // non-geographic entities (satellite, global services) have no country
        }
        let descriptors = metadata.descriptors();
        for descriptor in [
            descriptors.premium_rate(),
            descriptors.toll_free(),
            descriptors.shared_cost(),
        ]
        .into_iter()
        .flatten()
        {
            let Some(example) = descriptor.example().filter(|x| valid_in(region, x)) else {
                continue;
            };
            match PhoneNumber::parse(Some(region), example) {
                Err(InputError::UnsupportedPhone) => refused += 1,
                other => wrong.push(format!("{region} {example}: {other:?}")),
            }
        }
        if let Some(example) = descriptors
            .mobile()
            .and_then(|d| d.example())
            .filter(|x| valid_in(region, x))
        {
            match PhoneNumber::parse(Some(region), example) {
                Ok(phone) => {
                    assert_eq!(PhoneNumber::parse(None, phone.e164()), Ok(phone.clone()));
                    accepted += 1;
                }
                other => wrong.push(format!("{region} mobile {example}: {other:?}")),
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(
        refused > 300 && accepted > 200,
        "{refused} refused, {accepted} accepted"
    );
}

// ------------------------------------------------------------------ email addresses

fn local_part() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]".prop_filter("no double dot", |l| !l.contains(".."))
}

fn domain() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,10}\\.[A-Za-z]{2,6}"
}

proptest! {
    #[test]
    fn emails_are_trimmed_and_their_domain_lower_cased(
        local in local_part(),
        domain in domain(),
        pad in "[ \t\u{3000}]{0,3}",
        trailing_newline in any::<bool>(),
    ) {
        let end = if trailing_newline { "\n" } else { "" };
        let email = Email::parse(&format!("{pad}{local}@{domain}{pad}{end}")).unwrap();
        prop_assert_eq!(email.as_str(), format!("{local}@{}", domain.to_lowercase()));
        prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
    }

    #[test]
    fn email_parsing_never_panics_and_accepted_addresses_round_trip(text in "\\PC{0,300}") {
        if let Ok(email) = Email::parse(&text) {
            prop_assert_eq!(email.as_str().matches('@').count(), 1);
            prop_assert!(!email.as_str().chars().any(char::is_whitespace));
            prop_assert!(email.as_str().chars().count() <= 254);
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }
    }

    #[test]
    fn each_email_defect_is_named(local in local_part(), domain in domain(), cut in 1..3usize) {
        prop_assert_eq!(Email::parse(&format!("{local}{domain}")), Err(InputError::EmailMissingAt));
        prop_assert_eq!(Email::parse(&format!("@{domain}")), Err(InputError::EmailMissingLocalPart));
        prop_assert_eq!(Email::parse(&format!("{local}@")), Err(InputError::EmailMissingDomain));
        let bare = domain.split('.').next().unwrap();
        prop_assert_eq!(Email::parse(&format!("{local}@{bare}")), Err(InputError::EmailInvalidDomain));
        let split_at = local.len().min(cut);
        let spaced = format!("{} {}@{domain}", &local[..split_at], &local[split_at..]);
        prop_assert_eq!(Email::parse(&spaced), Err(InputError::EmailHasSpaces));
        prop_assert_eq!(
            Email::parse(&format!("{local}@{domain}\n{local}@{domain}")),
            Err(InputError::MultipleLines)
        );
        prop_assert_eq!(
            Email::parse(&format!("{local}\u{FF20}{domain}")),
            Err(InputError::EmailFullWidth)
        );
    }
}

// ------------------------------------------------------------------ sign-in name and password

proptest! {
    #[test]
    fn the_email_kind_of_sign_in_name_is_exactly_an_email(text in "\\PC{0,80}") {
        let as_name = SignInName::parse(IdentifierKind::Email, &text);
        let as_email = Email::parse(&text);
        match (&as_name, &as_email) {
            (Ok(name), Ok(email)) => prop_assert_eq!(name.as_str(), email.as_str()),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "{as_name:?} / {as_email:?}"),
        }
    }

    #[test]
    fn usernames_never_panic_and_round_trip(text in "\\PC{0,300}") {
        if let Ok(name) = SignInName::parse(IdentifierKind::Username, &text) {
            prop_assert_eq!(name.as_str(), text.trim());
            prop_assert!(!name.as_str().chars().any(char::is_whitespace));
            prop_assert_eq!(SignInName::parse(IdentifierKind::Username, name.as_str()), Ok(name.clone()));
        }
    }

    #[test]
    fn a_username_with_a_space_inside_says_so(a in "[a-z0-9._]{1,10}", b in "[a-z0-9._]{1,10}") {
        prop_assert_eq!(
            SignInName::parse(IdentifierKind::Username, &format!(" {a} {b} ")),
            Err(InputError::UsernameHasSpaces)
        );
    }

    /// A password is never trimmed or cut: accepted exactly as typed, or refused whole.
    #[test]
    fn passwords_are_kept_exactly_or_refused_with_a_reason(text in "\\PC{0,40}|\\PC{1000,1100}") {
        let chars = text.chars().count();
        match password(text.clone()) {
            Ok(secret) => {
                prop_assert_eq!(secret.expose_secret(), text.as_str());
                prop_assert!(chars <= MAX_PASSWORD_CHARS);
            }
            Err(InputError::Empty) => prop_assert!(text.is_empty()),
            Err(InputError::PasswordTooLong { max }) => {
                prop_assert_eq!(max, MAX_PASSWORD_CHARS);
                prop_assert!(chars > MAX_PASSWORD_CHARS);
            }
            Err(InputError::MultipleLines) => {
                let line_breaks = ['\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}'];
                prop_assert!(text.contains(line_breaks), "no line break in {:?}", text);
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }
}
