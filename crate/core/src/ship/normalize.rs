//! Text normalisation for imported cells: full-width → half-width, upper case, and the removal
//! of spaces and dashes that people (and chat apps) put inside numbers.
//!
//! Every function here is idempotent (a proptest checks it), so a value can be normalised again
//! when the user edits a row without drifting.

use std::borrow::Cow;

/// Maps full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space (U+3000) to their
/// half-width forms; every other character is kept.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width_char).collect()
}

/// One character's half-width form (see [`to_half_width`]).
pub fn half_width_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Dashes and long sounds that chat apps and IMEs produce between digit groups.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => '-',
        _ => c,
    }
}

/// True for characters dropped inside numbers and IDs: whitespace of any kind, dashes,
/// zero-width characters and the byte-order mark.
fn is_filler(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '_' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// Normalises a tracking number or package ID: half-width, ASCII upper case, and no spaces,
/// dashes or zero-width characters anywhere. Spreadsheet text markers (a leading `'`, or a
/// `="…"` wrapper that Excel users type to keep long numbers as text) are removed too.
pub fn normalize_code(s: &str) -> String {
    normal_code(s).into_owned()
}

/// [`normalize_code`] that borrows `s` when it is already normal: no copy for the usual case.
pub fn normal_code(s: &str) -> Cow<'_, str> {
    // Most codes are already normal (the known orders come from the page, numbers from a
    // warehouse system). Upper-case ASCII letters and digits are left alone by every step below.
    if s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Cow::Borrowed(s);
    }
    let half: String =
        s.chars().map(half_width_char).filter(|c| !is_filler(*c)).map(|c| c.to_ascii_uppercase()).collect();
    Cow::Owned(match strip_text_markers(&half) {
        same if same.len() == half.len() => half,
        stripped => stripped.to_owned(),
    })
}

/// Removes Excel's "keep as text" markers, repeatedly, so the result is a fixed point.
fn strip_text_markers(s: &str) -> &str {
    let mut cur = s;
    loop {
        let next = if let Some(inner) = cur.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
            inner
        } else if let Some(inner) = cur.strip_prefix('\'') {
            inner
        } else if cur.len() >= 2 && cur.starts_with('"') && cur.ends_with('"') {
            &cur[1..cur.len() - 1]
        } else {
            return cur;
        };
        cur = next;
    }
}

/// Normalises a courier name for alias lookup: half-width, ASCII upper case, no whitespace.
/// Chinese text is kept as is.
pub fn normalize_name(s: &str) -> String {
    to_half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Normalises a header cell for keyword lookup: half-width, ASCII lower case, and no spaces,
/// underscores, dashes, asterisks (required-field marks) or colons.
pub fn normalize_header(s: &str) -> String {
    to_half_width(s)
        .chars()
        .filter(|c| !is_filler(*c) && !matches!(c, '*' | ':' | '(' | ')' | '.' | '/'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// True when `s` is a long number as Excel shows it in a General cell and writes it into a CSV
/// (`7.73012E+14`, `4.31235E+12`): the last digits are gone and no reading brings them back.
pub fn is_scientific(s: &str) -> bool {
    // Called on every row's number: ASCII (nearly all) is read in place, and the exponent mark
    // is found in either case (a byte search: it is ASCII) instead of upper-casing a copy.
    let t = s.trim();
    let t: Cow<'_, str> = if t.is_ascii() { Cow::Borrowed(t) } else { Cow::Owned(to_half_width(t)) };
    let Some(at) = t.bytes().position(|b| b == b'E' || b == b'e') else { return false };
    let (mantissa, exp) = (&t[..at], &t[at + 1..]);
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    whole.len() == 1 && digits(whole) && (frac.is_empty() || digits(frac)) && digits(exp) && exp.len() <= 2
}

/// True when `s` (already normalised) is a package ID: `P` followed by 15 or more digits.
pub fn is_package_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16 && b[0] == b'P' && b[1..].iter().all(u8::is_ascii_digit)
}

/// True when `s` (already normalised) could be a tracking number of some courier: 8–30 ASCII
/// letters and digits with at least 8 digits, and not a package ID.
pub fn looks_like_number(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (8..=30).contains(&s.len()) && digits >= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric()) && !is_package_id(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_letters_and_spaces() {
        assert_eq!(to_half_width("ＳＦ１２３　ａ"), "SF123 a");
        assert_eq!(normalize_code(" ｓｆ １２３４－５６７８ "), "SF12345678");
        assert_eq!(normalize_code("7730\u{200B}1234 5678—90"), "77301234567890");
    }

    #[test]
    fn excel_text_markers_are_removed() {
        assert_eq!(normalize_code("'773012345678"), "773012345678");
        assert_eq!(normalize_code("=\"773012345678\""), "773012345678");
        assert_eq!(normalize_code("\"'SF1\""), "SF1");
    }

    #[test]
    fn package_id_and_number_shapes() {
        assert!(is_package_id("P123456789012345"));
        assert!(!is_package_id("P12345678901234"));
        assert!(!is_package_id("X123456789012345"));
        assert!(looks_like_number("SF1234567890123"));
        assert!(!looks_like_number("13812"));
        assert!(!looks_like_number("P123456789012345"));
    }

    #[test]
    fn headers_lose_marks_and_case() {
        assert_eq!(normalize_header("* 运单号："), "运单号");
        assert_eq!(normalize_header("Tracking No."), "trackingno");
    }
}
