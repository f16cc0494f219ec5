//! Property tests for what people type: pasted codes with any separators, recovery codes in
//! any case, phone numbers in any local format. Normalising never panics, and what it accepts
//! is exactly what Auth0 expects.

use mfa_core::input::{Email, OtpCode, PhoneNumber, RecoveryCode};
use proptest::prelude::*;

/// Digits with separators people paste between them.
fn with_separators(core: &str, seps: &[&'static str]) -> String {
    core.chars()
        .zip(seps.iter().cycle())
        .map(|(c, sep)| format!("{c}{sep}"))
        .collect()
}

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

proptest! {
    #[test]
    fn six_digit_codes_survive_any_pasted_separators(
        code in "[0-9]{6}",
        seps in proptest::collection::vec(separator(), 6),
        pad_left in "[ \t]{0,3}",
        pad_right in "[ \t\n]{0,3}",
    ) {
        let typed = format!("{pad_left}{}{pad_right}", with_separators(&code, &seps));
        let parsed = OtpCode::parse(&typed).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn anything_that_is_not_six_digits_is_refused(text in "\\PC{0,40}") {
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_digits_and_separators = text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-');
        if let Ok(code) = OtpCode::parse(&text) {
            prop_assert_eq!(code.as_str().len(), 6);
            prop_assert!(code.as_str().chars().all(|c| c.is_ascii_digit()));
        } else if only_digits_and_separators {
            prop_assert_ne!(digits.len(), 6);
        }
    }

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
        prop_assert_eq!(parsed.groups().concat(), code);
    }

    #[test]
    fn recovery_code_parsing_never_panics(text in "\\PC{0,300}") {
        if let Ok(code) = RecoveryCode::parse(&text) {
            prop_assert_eq!(code.expose().len(), 24);
        }
    }

    #[test]
    fn french_mobile_numbers_in_any_local_format_become_one_e164(
        // 060-062 and 064-068: wholly allocated mobile ranges in libphonenumber metadata
        rest in "[0-24-8][0-9]{7}",
        style in 0..4usize,
    ) {
        let local = format!("06{rest}");
        let typed = match style {
            0 => local.clone(),
            1 => local.as_bytes().chunks(2).map(|p| std::str::from_utf8(p).unwrap()).collect::<Vec<_>>().join(" "),
            2 => local.as_bytes().chunks(2).map(|p| std::str::from_utf8(p).unwrap()).collect::<Vec<_>>().join("."),
            _ => format!("+33 {}", &local[1..]),
        };
        let phone = PhoneNumber::parse(Some("FR"), &typed).unwrap();
        prop_assert_eq!(phone.e164(), format!("+336{rest}"));
    }

    #[test]
    fn phone_parsing_never_panics_and_accepts_only_e164(text in "\\PC{0,80}", region in "[A-Z]{2}") {
        if let Ok(phone) = PhoneNumber::parse(Some(&region), &text) {
            prop_assert!(phone.e164().starts_with('+'));
            prop_assert!(phone.e164()[1..].chars().all(|c| c.is_ascii_digit()));
            prop_assert!((8..=16).contains(&phone.e164().len()));
        }
    }

    #[test]
    fn emails_are_trimmed_and_their_domain_lower_cased(
        local in "[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]",
        domain in "[A-Za-z0-9]{1,10}\\.[A-Za-z]{2,6}",
    ) {
        prop_assume!(!local.contains(".."));
        let email = Email::parse(&format!("  {local}@{domain} ")).unwrap();
        prop_assert_eq!(email.as_str(), format!("{local}@{}", domain.to_lowercase()));
    }

    #[test]
    fn email_parsing_never_panics(text in "\\PC{0,300}") {
        if let Ok(email) = Email::parse(&text) {
            prop_assert_eq!(email.as_str().matches('@').count(), 1);
        }
    }
}
