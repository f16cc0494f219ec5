//! Character rules shared by the fields.

use super::error::InputError;

/// Longest input accepted in a code field: far above any real value, low enough that a
/// pasted novel is refused before it is processed.
pub const MAX_INPUT_CHARS: usize = 256;

/// Full-width digits and letters (typed with a Japanese input method) to ASCII, and the
/// ideographic space to a space; everything else unchanged.
pub(super) fn to_ascii_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A full-width form (U+FF01–U+FF5E): what a Japanese input method types for ASCII.
pub(super) fn is_full_width(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// Dashes of every kind people paste, including the katakana long mark that Japanese input
/// methods type for a dash.
pub(super) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}')
}

/// Separators people paste inside codes: spaces of every kind and dashes of every kind.
pub(super) fn is_separator(c: char) -> bool {
    c.is_whitespace() || is_dash(c)
}

/// A line break of any kind (a second pasted line).
pub(super) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Refuses input longer than `max` characters, counting no further than needed.
pub(super) fn at_most(raw: &str, max: usize) -> Result<(), InputError> {
    if raw.chars().nth(max).is_some() {
        Err(InputError::TooLong { max })
    } else {
        Ok(())
    }
}

/// The text without surrounding spaces, on one line: a line break inside (not around) the
/// text is a second pasted line.
pub(super) fn one_line(raw: &str) -> Result<&str, InputError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    if text.chars().any(is_line_break) {
        return Err(InputError::MultipleLines);
    }
    Ok(text)
}
