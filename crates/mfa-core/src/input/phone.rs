//! Phone numbers for SMS and voice, read with Google's libphonenumber metadata (the
//! `phonenumber` crate).

use phonenumber::metadata::{Descriptor, DATABASE};
use phonenumber::{Metadata, Type};

use super::error::InputError;
use super::text::{at_most, is_dash, one_line, to_ascii_width};

/// Longest phone field accepted: E.164 has at most 15 digits; this leaves room for spaces,
/// brackets and a `+`.
pub const MAX_PHONE_CHARS: usize = 64;

/// A phone number in E.164 form (`+15555550123`) that can receive a text or a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    e164: String,
    international: String,
}

/// What may surround the digits of a phone number as people write it: spaces, dashes, dots,
/// brackets and slashes. A `+` may only lead.
fn is_phone_punctuation(c: char) -> bool {
    (c.is_whitespace() || is_dash(c)) || matches!(c, '.' | '(' | ')' | '/')
}

/// Which kinds of number can receive a code by SMS or voice. libphonenumber cannot tell mobile
/// from fixed lines in some countries (the US), and a fixed line can take the voice call, so
/// both are accepted, as are VoIP numbers. Refused: numbers that cost the sender money or
/// never reach one person's phone (premium-rate, toll-free, shared-cost, company "UAN" and
/// personal forwarding numbers, pagers, voicemail access, short codes).
fn can_receive_codes(kind: Type) -> Result<(), InputError> {
    match kind {
        Type::Mobile | Type::FixedLine | Type::FixedLineOrMobile | Type::Voip => Ok(()),
        Type::Unknown => Err(InputError::InvalidPhoneNumber),
        Type::TollFree
        | Type::PremiumRate
        | Type::SharedCost
        | Type::PersonalNumber
        | Type::Pager
        | Type::Uan
        | Type::Emergency
        | Type::Voicemail
        | Type::ShortCode
        | Type::StandardRate
        | Type::Carrier
        | Type::NoInternational => Err(InputError::UnsupportedPhone),
    }
}

/// The kind of a valid number. `phonenumber::PhoneNumber::number_type` drops the national
/// number's leading zeros and looks in one country only, so it calls valid numbers of
/// countries that keep a leading 0 (Italy, Côte d'Ivoire…) or share a calling code
/// (Kazakhstan with Russia) "unknown"; this reads the same metadata with the zeros kept, in
/// every country of the calling code, as libphonenumber's own validity check does.
fn number_type(number: &phonenumber::PhoneNumber) -> Type {
    let national = number.national().to_string();
    DATABASE
        .by_code(&number.code().value())
        .unwrap_or_default()
        .into_iter()
        .map(|country| type_in(country, &national))
        .find(|kind| *kind != Type::Unknown)
        .unwrap_or(Type::Unknown)
}

/// libphonenumber's order: the special kinds first, then fixed line and mobile.
fn type_in(country: &Metadata, national: &str) -> Type {
    let kinds = country.descriptors();
    if !kinds.general().is_match(national) {
        return Type::Unknown;
    }
    let matches =
        |descriptor: Option<&Descriptor>| descriptor.is_some_and(|d| d.is_match(national));
    let special = [
        (kinds.premium_rate(), Type::PremiumRate),
        (kinds.toll_free(), Type::TollFree),
        (kinds.shared_cost(), Type::SharedCost),
        (kinds.voip(), Type::Voip),
        (kinds.personal_number(), Type::PersonalNumber),
        (kinds.pager(), Type::Pager),
        (kinds.uan(), Type::Uan),
        (kinds.voicemail(), Type::Voicemail),
    ];
    if let Some((_, kind)) = special.into_iter().find(|(d, _)| matches(*d)) {
        return kind;
    }
    match (matches(kinds.fixed_line()), matches(kinds.mobile())) {
        (true, true) => Type::FixedLineOrMobile,
        (true, false) => Type::FixedLine,
        (false, true) => Type::Mobile,
        (false, false) => Type::Unknown,
    }
}

impl PhoneNumber {
    /// `region` is the ISO 3166 country picked in the UI ("FR"); a number typed with a
    /// leading `+` or `00` is read as international whatever the region. Anything beside the
    /// number (an extension, a note, letters) refuses it: libphonenumber would quietly drop
    /// trailing text or read letters as keypad digits.
    pub fn parse(region: Option<&str>, raw: &str) -> Result<Self, InputError> {
        at_most(raw, MAX_PHONE_CHARS)?;
        let typed: String = one_line(raw)?.chars().map(to_ascii_width).collect();
        let (plus, rest) = match typed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, typed.as_str()),
        };
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || is_phone_punctuation(c))
        {
            return Err(InputError::PhoneExtraText);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(InputError::InvalidPhoneNumber);
        }
        let dialled = match (plus, digits.strip_prefix("00")) {
            (true, _) => format!("+{digits}"),
            // 00 is the international prefix in most of the world; 000 is not a country.
            (false, Some(rest)) if region.is_none() || !rest.starts_with('0') => {
                format!("+{rest}")
            }
            (false, _) => digits,
        };
        let country = match region {
            Some(code) => Some(
                code.trim()
                    .to_ascii_uppercase()
                    .parse::<phonenumber::country::Id>()
                    .map_err(|_| InputError::UnknownCountry)?,
            ),
            None => None,
        };
        let number =
            phonenumber::parse(country, &dialled).map_err(|_| InputError::InvalidPhoneNumber)?;
        if number.extension().is_some() || !phonenumber::is_valid(&number) {
            return Err(InputError::InvalidPhoneNumber);
        }
        can_receive_codes(number_type(&number))?;
        Ok(Self {
            e164: number.format().mode(phonenumber::Mode::E164).to_string(),
            international: number
                .format()
                .mode(phonenumber::Mode::International)
                .to_string(),
        })
    }

    /// Loads libphonenumber's metadata (measured in the README, "Performance"; once per
    /// run), so the first number checked answers as fast as the next ones. Meant for a
    /// blocking thread while the phone field is shown.
    pub fn preload() {
        let _ = Self::parse(Some("US"), "2015550123");
    }

    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// `+33 6 12 34 56 78`, for the "is this number right?" step.
    pub fn international(&self) -> &str {
        &self.international
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_e164() {
        let us = PhoneNumber::parse(Some("US"), "(201) 555-0123").unwrap();
        assert_eq!(us.e164(), "+12015550123");
        let fr = PhoneNumber::parse(Some("fr"), "06 12 34 56 78").unwrap();
        assert_eq!(fr.e164(), "+33612345678");
        assert_eq!(fr.international(), "+33 6 12 34 56 78");
        let jp = PhoneNumber::parse(Some("JP"), "090-1234-5678").unwrap();
        assert_eq!(jp.e164(), "+819012345678");
        let jp_ime = PhoneNumber::parse(Some("JP"), "０９０ー１２３４ー５６７８").unwrap();
        assert_eq!(jp_ime.e164(), "+819012345678");
        assert_eq!(
            PhoneNumber::parse(None, "0033612345678").unwrap().e164(),
            "+33612345678"
        );
        assert_eq!(
            PhoneNumber::parse(Some("FR"), "+1 201 555 0123")
                .unwrap()
                .e164(),
            "+12015550123"
        );
    }

    #[test]
    fn bad_numbers_name_their_reason() {
        assert_eq!(
            PhoneNumber::parse(Some("US"), "12"),
            Err(InputError::InvalidPhoneNumber)
        );
        assert_eq!(
            PhoneNumber::parse(Some("ZZ"), "0612345678"),
            Err(InputError::UnknownCountry)
        );
        for extra in [
            "06 12 34 56 78 after 6pm",
            "06 12 34 56 78 ext. 12",
            "1-800-FLOWERS",
            "tel:+33612345678",
            "06 12 34+56 78",
        ] {
            assert_eq!(
                PhoneNumber::parse(Some("FR"), extra),
                Err(InputError::PhoneExtraText),
                "{extra}"
            );
        }
        assert_eq!(
            PhoneNumber::parse(Some("FR"), "06 12 34 56 78\n06 98 76 54 32"),
            Err(InputError::MultipleLines)
        );
    }

    #[test]
    fn premium_rate_and_toll_free_numbers_are_refused() {
        for (region, number) in [
            ("FR", "08 99 12 34 56"), // premium rate
            ("FR", "08 00 12 34 56"), // free phone
            ("US", "(800) 555-0199"), // toll free
            ("US", "(900) 555-0199"), // premium rate
            ("GB", "0845 464 0000"),  // shared cost
            ("GB", "070 1234 5678"),  // personal number
        ] {
            assert_eq!(
                PhoneNumber::parse(Some(region), number),
                Err(InputError::UnsupportedPhone),
                "{region} {number}"
            );
        }
    }
}
