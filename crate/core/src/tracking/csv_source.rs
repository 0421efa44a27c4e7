//! CSV import: detects the text encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
//! GBK/GB18030 — what Excel on Chinese Windows saves), sniffs the delimiter and parses with the
//! `csv` crate. Nothing here is hand-rolled: `encoding_rs` decodes, `csv` splits.

use super::{ImportError, RawRow};
use encoding_rs::{Encoding, GB18030, UTF_8};

/// The encoding a CSV was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a BOM, if any, is dropped).
    Utf8,
    /// UTF-16 little or big endian, announced by its BOM.
    Utf16(&'static Encoding),
    /// GB18030, the superset of GBK and GB2312.
    Gb18030,
}

impl TextEncoding {
    /// A short label for the preview (`UTF-8`, `UTF-16LE`, `GBK`).
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16(e) => e.name(),
            TextEncoding::Gb18030 => "GBK",
        }
    }
}

/// Detects the encoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is
/// taken as GB18030 (and must then decode without errors).
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    match Encoding::for_bom(bytes) {
        Some((e, _)) if e == UTF_8 => TextEncoding::Utf8,
        Some((e, _)) => TextEncoding::Utf16(e),
        None if std::str::from_utf8(bytes).is_ok() => TextEncoding::Utf8,
        None => TextEncoding::Gb18030,
    }
}

/// Decodes the bytes to text with the detected encoding; undecodable bytes are an error naming
/// the first row where they occur.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let enc = match detect_encoding(bytes) {
        TextEncoding::Utf8 => UTF_8,
        TextEncoding::Utf16(e) => e,
        TextEncoding::Gb18030 => GB18030,
    };
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        let row = text
            .lines()
            .position(|l| l.contains('\u{FFFD}'))
            .unwrap_or(0)
            + 1;
        return Err(ImportError::Encoding { row });
    }
    Ok(text.into_owned())
}

/// Picks the delimiter that splits the most of the first lines: comma, tab, semicolon or `|`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (0usize, b',');
    for d in [b',', b'\t', b';', b'|'] {
        let hits = lines.iter().filter(|l| l.as_bytes().contains(&d)).count();
        if hits > best.0 {
            best = (hits, d);
        }
    }
    best.1
}

/// Reads CSV bytes into rows (blank rows dropped), each with its 1-based record number.
pub fn read(bytes: &[u8]) -> Result<Vec<RawRow>, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty("CSV 文件是空的"));
    }
    let text = decode(bytes)?;
    parse_text(&text)
}

/// Parses decoded CSV text (delimiter sniffed) into rows.
pub fn parse_text(text: &str) -> Result<Vec<RawRow>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::Csv {
            row: e.position().map_or(i + 1, |p| p.record() as usize + 1),
            detail: e.to_string(),
        })?;
        // The record number is the spreadsheet row (csv's line count is unreliable with CRLF).
        let row = i + 1;
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push(RawRow { row, cells });
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Empty("CSV 文件没有数据行"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = "订单号,运单号\nP123456789012345,SF1234567890123\n";
        let rows = read(plain.as_bytes()).unwrap();
        assert_eq!(rows[0].cells, vec!["订单号", "运单号"]);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(plain.as_bytes());
        assert_eq!(read(&bom).unwrap(), rows);
        assert_eq!(detect_encoding(&bom), TextEncoding::Utf8);
    }

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (gbk, _, _) =
            GB18030.encode("订单号,快递公司,运单号\r\nP123456789012345,顺丰,SF1234567890123\r\n");
        assert_eq!(detect_encoding(&gbk), TextEncoding::Gb18030);
        let rows = read(&gbk).unwrap();
        assert_eq!(rows[1].cells[1], "顺丰");
        assert_eq!(rows[1].row, 2);
    }

    #[test]
    fn utf16_with_bom_and_tabs() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "订单号\t运单号\nP123456789012345\t773012345678\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let rows = read(&bytes).unwrap();
        assert_eq!(rows[1].cells, vec!["P123456789012345", "773012345678"]);
    }

    #[test]
    fn undecodable_bytes_name_the_row() {
        let bytes = b"a,b\n\xFF\xFF\xFF,1\n".to_vec();
        assert_eq!(read(&bytes), Err(ImportError::Encoding { row: 2 }));
        assert_eq!(read(b""), Err(ImportError::Empty("CSV 文件是空的")));
    }

    #[test]
    fn semicolon_delimiter_and_quoted_cells() {
        let rows =
            read("订单号;运单号\n\"P123456789012345\";\"7730 1234 5678\"\n".as_bytes()).unwrap();
        assert_eq!(rows[1].cells[1], "7730 1234 5678");
    }
}
