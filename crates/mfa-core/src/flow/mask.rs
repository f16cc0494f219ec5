//! Destinations shown masked: enough for a person to recognise, not enough to leak.

use crate::input::{Email, PhoneNumber};

/// "+33 •• •• •• 78": enough for the person to recognise their number, not enough to leak it.
pub fn mask_phone(phone: &PhoneNumber) -> String {
    let shown = phone.international();
    let digits_total = shown.chars().filter(char::is_ascii_digit).count();
    let country_digits = shown
        .split_whitespace()
        .next()
        .map_or(0, |cc| cc.len().saturating_sub(1));
    let mut seen = 0;
    shown
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= country_digits || seen > digits_total.saturating_sub(2) {
                c
            } else {
                '•'
            }
        })
        .collect()
}

/// "an•••@example.com".
pub fn mask_email(email: &Email) -> String {
    let (local, domain) = email
        .as_str()
        .split_once('@')
        .unwrap_or((email.as_str(), ""));
    let keep: String = local
        .chars()
        .take(2.min(local.chars().count().saturating_sub(1)).max(1))
        .collect();
    format!("{keep}•••@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_identifies() {
        let phone = PhoneNumber::parse(Some("FR"), "0612345678").unwrap();
        assert_eq!(mask_phone(&phone), "+33 • •• •• •• 78");
        let email = Email::parse("ana.lopez@example.com").unwrap();
        assert_eq!(mask_email(&email), "an•••@example.com");
        assert_eq!(
            mask_email(&Email::parse("a@example.com").unwrap()),
            "a•••@example.com"
        );
    }
}
