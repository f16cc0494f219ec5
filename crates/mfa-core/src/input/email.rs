//! Email addresses: the sign-in name on most tenants, and the destination of email codes.

use super::error::InputError;
use super::text::{at_most, is_full_width, one_line};

/// The longest address SMTP can carry (RFC 5321: a 256-octet path less its angle brackets).
/// RFC 5321 also caps the local part at 64 octets, but that is not checked: an account Auth0
/// already holds must never be refused here, and the check exists to catch typing mistakes.
pub const MAX_EMAIL_CHARS: usize = 254;

/// An email address, checked for the shape Auth0 will accept (not a full RFC 5322 parser:
/// no quoted local parts, no address literals; the real check is the code that arrives).
/// Surrounding spaces are dropped and the domain is lower-cased; the local part is kept as
/// typed, since a mail server may treat its case as significant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let email = one_line(raw)?;
        at_most(email, MAX_EMAIL_CHARS)?;
        if email.chars().any(char::is_whitespace) {
            return Err(InputError::EmailHasSpaces);
        }
        if email.chars().any(is_full_width) {
            return Err(InputError::EmailFullWidth);
        }
        if email.chars().any(char::is_control) {
            return Err(InputError::InvalidEmail);
        }
        let (local, domain) = email.split_once('@').ok_or(InputError::EmailMissingAt)?;
        if local.is_empty() {
            return Err(InputError::EmailMissingLocalPart);
        }
        if domain.is_empty() {
            return Err(InputError::EmailMissingDomain);
        }
        if !is_domain(domain) {
            return Err(InputError::EmailInvalidDomain);
        }
        if !is_local_part(local) {
            return Err(InputError::InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// At least two dot-separated labels of letters, digits and inner hyphens (internationalised
/// letters allowed), the last one not all digits (that would be a bare IP address).
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// RFC 5322 dot-atom characters (and internationalised letters), no leading, trailing or
/// doubled dot.
fn is_local_part(local: &str) -> bool {
    !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_domains_lower_cased() {
        assert_eq!(
            Email::parse(" Ana@Example.COM \n").unwrap().as_str(),
            "Ana@example.com"
        );
        assert_eq!(
            Email::parse("ana.lopez+mfa@example.co.jp")
                .unwrap()
                .as_str(),
            "ana.lopez+mfa@example.co.jp"
        );
        // Longer than RFC 5321's 64-octet local part, as test tenants and some directories have.
        let long_local = format!("{}@example.com", "a".repeat(80));
        assert_eq!(Email::parse(&long_local).unwrap().as_str(), long_local);
    }

    #[test]
    fn each_refusal_names_its_reason() {
        for (bad, reason) in [
            ("ana", InputError::EmailMissingAt),
            ("ana.example.com", InputError::EmailMissingAt),
            ("ana@", InputError::EmailMissingDomain),
            ("@example.com", InputError::EmailMissingLocalPart),
            ("ana@example", InputError::EmailInvalidDomain),
            ("ana@ex..com", InputError::EmailInvalidDomain),
            ("ana@192.168.0.1", InputError::EmailInvalidDomain),
            ("ana@b@example.com", InputError::EmailInvalidDomain),
            ("a b@example.com", InputError::EmailHasSpaces),
            (
                "ana@example.com bob@example.com",
                InputError::EmailHasSpaces,
            ),
            (
                "ana@example.com\nbob@example.com",
                InputError::MultipleLines,
            ),
            ("ａｎａ@example.com", InputError::EmailFullWidth),
            ("ana＠example.com", InputError::EmailFullWidth),
            (".ana@example.com", InputError::InvalidEmail),
            ("ana\u{7}@example.com", InputError::InvalidEmail),
            ("   ", InputError::Empty),
        ] {
            assert_eq!(Email::parse(bad), Err(reason), "{bad:?}");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(250))),
            Err(InputError::TooLong { max: 254 })
        );
    }
}
