//! A minimal pull tokenizer for the XML parts of a workbook: start/end tags with their local
//! names (namespace prefixes such as `x:` dropped), raw attributes, text and CDATA. Comments,
//! processing instructions and DOCTYPEs are skipped; no entity is ever defined or expanded
//! beyond the five predefined ones and numeric character references.

use super::XlsxError;

/// One piece of an XML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attrs>` or `<name attrs/>` (`empty`).
    Start {
        /// Local name.
        name: &'a str,
        /// The raw attribute text, for [`attrs`].
        attrs: &'a str,
        /// Self-closing.
        empty: bool,
    },
    /// `</name>`, local name.
    End(&'a str),
    /// Character data with references still encoded (see [`decode`]).
    Text(&'a str),
    /// A CDATA section's contents (taken literally).
    CData(&'a str),
}

/// Tokens of a document, in order.
pub struct Tokens<'a> {
    s: &'a str,
    pos: usize,
}

/// Tokenizes `s`.
pub fn tokens(s: &str) -> Tokens<'_> {
    Tokens { s, pos: 0 }
}

fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Byte position of `b` in `s` (ASCII only, so a char boundary).
fn find(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

fn incomplete() -> XlsxError {
    XlsxError::Corrupt("XML 内容不完整".into())
}

impl<'a> Tokens<'a> {
    fn skip_past(&mut self, from: usize, end: &str) -> Result<usize, XlsxError> {
        let at = self.s[from..].find(end).ok_or_else(incomplete)?;
        self.pos = from + at + end.len();
        Ok(from + at)
    }

    fn tag(&mut self) -> Result<Option<Token<'a>>, XlsxError> {
        let s = self.s;
        let rest = &s[self.pos..];
        match rest.as_bytes().get(1) {
            Some(b'?') => {
                self.skip_past(self.pos, "?>")?;
                return Ok(None);
            }
            Some(b'!') if rest.starts_with("<!--") => {
                self.skip_past(self.pos + 4, "-->")?;
                return Ok(None);
            }
            Some(b'!') if rest.starts_with("<![CDATA[") => {
                let from = self.pos + 9;
                let end = self.skip_past(from, "]]>")?;
                return Ok(Some(Token::CData(&s[from..end])));
            }
            Some(b'!') => {
                // A DOCTYPE, possibly with an internal subset: skipped, nothing in it is used.
                let gt = find(rest, b'>').ok_or_else(incomplete)?;
                let close = if rest[..gt].contains('[') { "]>" } else { ">" };
                self.skip_past(self.pos, close)?;
                return Ok(None);
            }
            _ => {}
        }
        // Find the closing '>' outside quoted attribute values.
        let bytes = rest.as_bytes();
        let mut quote = 0u8;
        let mut end = None;
        for (i, &b) in bytes.iter().enumerate().skip(1) {
            match b {
                b'"' | b'\'' if quote == 0 => quote = b,
                q if q == quote => quote = 0,
                b'>' if quote == 0 => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.ok_or_else(incomplete)?;
        let inner = &rest[1..end];
        self.pos += end + 1;
        // Byte checks, not `strip_prefix`: this runs for every tag.
        if inner.as_bytes().first() == Some(&b'/') {
            return Ok(Some(Token::End(local(inner[1..].trim_ascii()))));
        }
        let empty = inner.as_bytes().last() == Some(&b'/');
        let inner = if empty { &inner[..inner.len() - 1] } else { inner };
        let split = inner.bytes().position(|b| b.is_ascii_whitespace()).unwrap_or(inner.len());
        Ok(Some(Token::Start { name: local(&inner[..split]), attrs: &inner[split..], empty }))
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Result<Token<'a>, XlsxError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.s.get(self.pos..).filter(|r| !r.is_empty())?;
            if rest.as_bytes()[0] == b'<' {
                match self.tag() {
                    Ok(Some(t)) => return Some(Ok(t)),
                    Ok(None) => continue,
                    Err(e) => {
                        self.pos = self.s.len();
                        return Some(Err(e));
                    }
                }
            }
            let len = find(rest, b'<').unwrap_or(rest.len());
            self.pos += len;
            return Some(Ok(Token::Text(&rest[..len])));
        }
    }
}

/// The attributes of a start tag as `(local name, raw value)`; stops at malformed text.
pub fn attrs(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let r = rest.trim_ascii_start();
        let eq = find(r, b'=')?;
        let name = r[..eq].trim_ascii();
        let after = r[eq + 1..].trim_ascii_start();
        let q = *after.as_bytes().first().filter(|c| **c == b'"' || **c == b'\'')?;
        let close = find(&after[1..], q)?;
        rest = &after[close + 2..];
        Some((local(name), &after[1..close + 1]))
    })
}

/// The raw value of attribute `name` (local name), if present.
pub fn attr<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    attrs(raw).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Appends `raw` with the predefined entities and character references decoded. An unknown
/// or malformed reference is kept as it is written.
pub fn decode(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = find(rest, b'&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let ch = semi.and_then(|semi| match &rest[1..semi] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            r => {
                let n = r.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (ch, semi) {
            (Some(c), Some(semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// [`decode`] for character data, with line ends normalised first as XML requires (`\r\n`
/// and a lone `\r` read as `\n`; a `\r` written as `&#13;` or `_x000D_` stays).
pub fn decode_text(raw: &str, out: &mut String) {
    if raw.contains('\r') {
        decode(&raw.replace("\r\n", "\n").replace('\r', "\n"), out);
    } else {
        decode(raw, out);
    }
}

/// The UTF-16 unit of an `_xHHHH_` escape at the start of `s`.
fn office_unit(s: &str) -> Option<u16> {
    let b = s.as_bytes().get(..7)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(&s[2..6], 16).ok()
}

/// Decodes Office's `_xHHHH_` escapes (how Excel writes control characters such as `\r`;
/// UTF-16 units, so a surrogate pair is two escapes; a lone surrogate becomes U+FFFD).
pub fn unescape_office(s: String) -> String {
    if !s.as_bytes().windows(2).any(|w| w == b"_x") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(at) = find(rest, b'_') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(unit) = office_unit(rest) else {
            out.push('_');
            rest = &rest[1..];
            continue;
        };
        rest = &rest[7..];
        let c = match unit {
            0xD800..=0xDBFF => match office_unit(rest) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    rest = &rest[7..];
                    char::from_u32(0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                }
                _ => None,
            },
            u => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    out.push_str(rest);
    out
}

/// Escapes text for element content or a double-quoted attribute, and writes characters XML
/// cannot carry (and a literal `_xHHHH_`) as Office's `_xHHHH_` escapes.
pub fn escape(s: &str, out: &mut String) {
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '_' if office_unit(&s[i..]).is_some() => out.push_str("_x005F_"),
            c if (c < ' ' && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("_x{:04X}_", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_references() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><!-- c --><x:a k='1>2' x:j="&amp;&#x4E2D;&#25991;&bogus;&e;"><b/>t&lt;<![CDATA[<&>]]></x:a>"#;
        let t: Vec<_> = tokens(doc).collect::<Result<_, _>>().expect("tokens");
        assert_eq!(
            t[0],
            Token::Start { name: "a", attrs: r#" k='1>2' x:j="&amp;&#x4E2D;&#25991;&bogus;&e;""#, empty: false }
        );
        let Token::Start { attrs: a, .. } = t[0] else { unreachable!() };
        let mut v = String::new();
        decode(attr(a, "j").expect("j"), &mut v);
        assert_eq!(v, "&中文&bogus;&e;");
        assert_eq!(attr(a, "k"), Some("1>2"));
        assert_eq!(t[1], Token::Start { name: "b", attrs: "", empty: true });
        assert_eq!(t[2], Token::Text("t&lt;"));
        assert_eq!(t[3], Token::CData("<&>"));
        assert_eq!(t[4], Token::End("a"));
        assert!(tokens("<a b=\"x").any(|t| t.is_err()));
    }

    #[test]
    fn office_escapes_round_trip() {
        for s in ["a\r\nb", "_x000D_ literal", "_xD83D__xDCF7_ 📷", "tab\tok", "\u{1}\u{1f}", "_x12", "<&>\"'"] {
            let mut e = String::new();
            escape(s, &mut e);
            let mut d = String::new();
            decode(&e, &mut d);
            assert_eq!(unescape_office(d), s, "{e}");
        }
    }
}
