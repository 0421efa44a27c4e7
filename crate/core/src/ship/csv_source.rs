//! CSV import: detects the text encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
//! GBK/GB18030 — what Excel on Chinese Windows saves), sniffs the delimiter and parses with the
//! `csv` crate. Nothing here is hand-rolled: std decodes UTF-8 and UTF-16, the platform decodes
//! GB18030 ([`Gb18030`]: the browser's `TextDecoder` in the extension, whose tables the engine
//! already has — shipping `encoding_rs`'s would add a third of a megabyte), `csv` splits.

use super::table::{CellText, Table};
use super::{ImportError, RawRow};
use std::borrow::Cow;

/// The encoding a CSV was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a BOM, if any, is dropped).
    Utf8,
    /// UTF-16 little endian, announced by its BOM.
    Utf16Le,
    /// UTF-16 big endian, announced by its BOM.
    Utf16Be,
    /// GB18030, the superset of GBK and GB2312.
    Gb18030,
}

impl TextEncoding {
    /// A short label for the preview (`UTF-8`, `UTF-16LE`, `GBK`).
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GBK",
        }
    }
}

/// Detects the encoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is
/// taken as GB18030 (and must then decode without errors).
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => TextEncoding::Utf8,
        [0xFF, 0xFE, ..] => TextEncoding::Utf16Le,
        [0xFE, 0xFF, ..] => TextEncoding::Utf16Be,
        _ if std::str::from_utf8(bytes).is_ok() => TextEncoding::Utf8,
        _ => TextEncoding::Gb18030,
    }
}

/// The 1-based row of the first replacement character, for an encoding error.
fn bad_row(text: &str) -> usize {
    text.lines().position(|l| l.contains('\u{FFFD}')).unwrap_or(0) + 1
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        // An odd trailing byte is not UTF-16: make it a replacement character.
        _ => 0xD800,
    });
    let text: String = char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    if text.contains(char::REPLACEMENT_CHARACTER) {
        return Err(ImportError::Encoding { row: bad_row(&text) });
    }
    Ok(text)
}

/// The platform's GB18030 decoder (WHATWG Encoding Standard, no BOM handling): bytes in, text
/// out with U+FFFD for every undecodable sequence.
pub type Gb18030<'a> = &'a dyn Fn(&[u8]) -> String;

fn gb18030(bytes: &[u8], decoder: Gb18030) -> Result<String, ImportError> {
    let text = decoder(bytes);
    // A replacement character is taken as an undecodable byte: a real U+FFFD in a GBK file
    // (four bytes in GB18030) is not something a warehouse export contains.
    if text.contains(char::REPLACEMENT_CHARACTER) {
        return Err(ImportError::Encoding { row: bad_row(&text) });
    }
    Ok(text)
}

/// Decodes the bytes to text with the detected encoding; undecodable bytes are an error naming
/// the first row where they occur. UTF-8 is borrowed, not copied.
pub fn decode<'a>(bytes: &'a [u8], gbk: Gb18030) -> Result<Cow<'a, str>, ImportError> {
    decode_as(bytes, detect_encoding(bytes), gbk)
}

fn decode_as<'a>(bytes: &'a [u8], encoding: TextEncoding, gbk: Gb18030) -> Result<Cow<'a, str>, ImportError> {
    match encoding {
        TextEncoding::Utf8 => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(text) => Ok(Cow::Borrowed(text)),
                Err(_) => Err(ImportError::Encoding { row: bad_row(&String::from_utf8_lossy(body)) }),
            }
        }
        TextEncoding::Utf16Le => utf16(&bytes[2..], u16::from_le_bytes).map(Cow::Owned),
        TextEncoding::Utf16Be => utf16(&bytes[2..], u16::from_be_bytes).map(Cow::Owned),
        TextEncoding::Gb18030 => gb18030(bytes, gbk).map(Cow::Owned),
    }
}

/// Picks the delimiter that splits the most of the first lines: comma, tab, semicolon or `|`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
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
pub fn read(bytes: &[u8], gbk: Gb18030) -> Result<Vec<RawRow>, ImportError> {
    read_as(bytes, detect_encoding(bytes), gbk)
}

/// [`read`] with the encoding already detected.
pub fn read_as(bytes: &[u8], encoding: TextEncoding, gbk: Gb18030) -> Result<Vec<RawRow>, ImportError> {
    read_cells_as(bytes, encoding, gbk).map(CellText::into_rows)
}

/// [`read_as`] into one [`CellText`] (what the import reads: no string per cell).
pub fn read_cells_as(bytes: &[u8], encoding: TextEncoding, gbk: Gb18030) -> Result<CellText, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty("CSV 文件是空的"));
    }
    let text = decode_as(bytes, encoding, gbk)?;
    parse_cells(&text)
}

/// Parses decoded CSV text (delimiter sniffed) into rows.
pub fn parse_text(text: &str) -> Result<Vec<RawRow>, ImportError> {
    parse_cells(text).map(CellText::into_rows)
}

/// [`parse_text`] into one [`CellText`]: blank rows dropped, cells trimmed.
pub fn parse_cells(text: &str) -> Result<CellText, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    // One record buffer for the whole file; the text is UTF-8 and split only at ASCII bytes, so
    // every field is UTF-8 too.
    let mut rec = csv::ByteRecord::new();
    let mut cells = CellText::default();
    let mut i = 0;
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError::Csv {
                    row: e.position().map_or(i + 1, |p| p.record() as usize + 1),
                    detail: e.to_string(),
                })
            }
        }
        // The record number is the spreadsheet row (csv's line count is unreliable with CRLF).
        i += 1;
        // One UTF-8 check per record (the fields lie end to end in it), not one per field.
        let all =
            std::str::from_utf8(rec.as_slice()).map_err(|e| ImportError::Csv { row: i, detail: e.to_string() })?;
        cells.start_row(i);
        for at in 0..rec.len() {
            let cell = rec.range(at).and_then(|r| all.get(r)).ok_or_else(|| ImportError::Csv {
                row: i,
                detail: format!("column {} is not text", super::column_letter(at)),
            })?;
            cells.push_cell(cell);
        }
        cells.drop_blank_row();
    }
    if cells.rows() == 0 {
        return Err(ImportError::Empty("CSV 文件没有数据行"));
    }
    Ok(cells)
}

/// The tests' GB18030 decoder, as the browser's `TextDecoder("gb18030")` decodes.
#[cfg(test)]
pub(crate) fn test_gb18030(bytes: &[u8]) -> String {
    encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Vec<RawRow>, ImportError> {
        super::read(bytes, &test_gb18030)
    }

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
            encoding_rs::GB18030.encode("订单号,快递公司,运单号\r\nP123456789012345,顺丰,SF1234567890123\r\n");
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
    fn utf16_big_endian_and_a_broken_unit() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "订单号\n单\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(read(&bytes).unwrap()[1].cells, vec!["单"]);
        // A lone surrogate on the third line.
        bytes.extend_from_slice(&[0xD8, 0x00, 0x00, 0x0A]);
        assert_eq!(read(&bytes), Err(ImportError::Encoding { row: 3 }));
    }

    #[test]
    fn undecodable_bytes_name_the_row() {
        let bytes = b"a,b\n\xFF\xFF\xFF,1\n".to_vec();
        assert_eq!(read(&bytes), Err(ImportError::Encoding { row: 2 }));
        assert_eq!(read(b""), Err(ImportError::Empty("CSV 文件是空的")));
    }

    #[test]
    fn semicolon_delimiter_and_quoted_cells() {
        let rows = read("订单号;运单号\n\"P123456789012345\";\"7730 1234 5678\"\n".as_bytes()).unwrap();
        assert_eq!(rows[1].cells[1], "7730 1234 5678");
    }
}
