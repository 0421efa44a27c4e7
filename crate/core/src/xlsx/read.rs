//! Reading a workbook: the package relationships to the workbook part, sheet names and order
//! from `workbook.xml` resolved through its relationships, shared strings (rich-text runs
//! joined, phonetic runs left out) and a sheet's cells of every type real producers write.

use super::xml::{attr, attrs, decode, decode_text, tokens, unescape_office, Token};
use super::zip::Archive;
use super::{Row, Value, XlsxError, MAX_CELLS, MAX_COLS, MAX_ROWS};

/// An opened workbook.
#[derive(Debug)]
pub struct Workbook<'a> {
    zip: Archive<'a>,
    /// `(name, part path)` in workbook order.
    sheets: Vec<(String, Option<String>)>,
    strings_part: Option<String>,
    strings: Option<Vec<String>>,
}

/// Opens workbook bytes; an old or foreign format is an [`XlsxError::OldFormat`].
pub fn open(bytes: &[u8]) -> Result<Workbook<'_>, XlsxError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(XlsxError::OldFormat {
            format: "XLS",
            hint: "；设置了打开密码的 .xlsx 也是这种格式，请先取消密码",
        });
    }
    let mut zip = Archive::open(bytes)?;
    let root = read_rels(&mut zip, "_rels/.rels", "")?;
    let book_part = root
        .iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.target.clone());
    if book_part.to_ascii_lowercase().ends_with(".bin") {
        return Err(XlsxError::OldFormat { format: "XLSB", hint: "" });
    }
    let Some(book) = zip.read(&book_part)? else {
        return Err(if zip.has("xl/workbook.bin") {
            XlsxError::OldFormat { format: "XLSB", hint: "" }
        } else if zip.has("content.xml") || zip.has("mimetype") {
            XlsxError::OldFormat { format: "ODS", hint: "" }
        } else {
            XlsxError::Corrupt("压缩包里没有工作簿（xl/workbook.xml），不是 Excel 文件".into())
        });
    };
    let dir = book_part.rfind('/').map_or("", |i| &book_part[..=i]).to_string();
    let file = &book_part[dir.len()..];
    let rels = read_rels(&mut zip, &format!("{dir}_rels/{file}.rels"), &dir)?;
    let mut sheets = Vec::new();
    for t in tokens(&text(book)?) {
        if let Token::Start { name: "sheet", attrs: a, .. } = t? {
            let mut name = String::new();
            decode(attr(a, "name").unwrap_or(""), &mut name);
            let part = attr(a, "id").and_then(|id| rels.iter().find(|r| r.id == id)).map(|r| r.target.clone());
            sheets.push((name, part));
        }
    }
    let strings_part = rels
        .iter()
        .find(|r| r.kind.ends_with("/sharedStrings"))
        .map(|r| r.target.clone())
        .or_else(|| Some(format!("{dir}sharedStrings.xml")));
    Ok(Workbook { zip, sheets, strings_part, strings: None })
}

/// A part's bytes as text: UTF-8 (BOM dropped) or UTF-16 with a BOM.
fn text(mut bytes: Vec<u8>) -> Result<String, XlsxError> {
    let utf16 = |unit: fn([u8; 2]) -> u16| {
        let units = bytes[2..].chunks_exact(2).map(|c| unit([c[0], c[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| XlsxError::Corrupt("XML 的 UTF-16 编码有误".into()))
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => utf16(u16::from_le_bytes),
        [0xFE, 0xFF, ..] => utf16(u16::from_be_bytes),
        _ => {
            if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
                bytes.drain(..3);
            }
            String::from_utf8(bytes).map_err(|_| XlsxError::Corrupt("XML 不是有效的 UTF-8 文本".into()))
        }
    }
}

struct Rel {
    id: String,
    kind: String,
    target: String,
}

/// Reads a relationships part (absent: none); targets resolved against `base` (a folder).
fn read_rels(zip: &mut Archive<'_>, part: &str, base: &str) -> Result<Vec<Rel>, XlsxError> {
    let Some(bytes) = zip.read(part)? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for t in tokens(&text(bytes)?) {
        if let Token::Start { name: "Relationship", attrs: a, .. } = t? {
            if attr(a, "TargetMode") == Some("External") {
                continue;
            }
            let mut target = String::new();
            decode(attr(a, "Target").unwrap_or(""), &mut target);
            out.push(Rel {
                id: attr(a, "Id").unwrap_or("").to_string(),
                kind: attr(a, "Type").unwrap_or("").to_string(),
                target: resolve(base, &target),
            });
        }
    }
    Ok(out)
}

/// `target` relative to the folder `base` (`/xl/...` is from the package root).
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The text of a string item (`<si>` or `<is>`): its `<t>` runs joined, phonetic runs
/// (`<rPh>`) left out, each run trimmed of ASCII whitespace unless `xml:space="preserve"`.
#[derive(Default)]
struct StringItem {
    out: String,
    run: Option<(String, bool)>,
    phonetic: u32,
}

impl StringItem {
    /// Takes a token inside the item.
    fn token(&mut self, t: Token<'_>) {
        match t {
            Token::Start { name: "rPh", empty: false, .. } => self.phonetic += 1,
            Token::End("rPh") => self.phonetic = self.phonetic.saturating_sub(1),
            Token::Start { name: "t", attrs: a, empty: false } if self.phonetic == 0 => {
                self.run = Some((String::new(), attr(a, "space") == Some("preserve")));
            }
            Token::Text(s) => {
                if let Some((buf, _)) = &mut self.run {
                    decode_text(s, buf);
                }
            }
            Token::CData(s) => {
                if let Some((buf, _)) = &mut self.run {
                    buf.push_str(s);
                }
            }
            Token::End("t") => {
                if let Some((buf, preserve)) = self.run.take() {
                    let text = if preserve { buf } else { buf.trim_matches([' ', '\t', '\r', '\n']).to_string() };
                    self.out.push_str(&unescape_office(text));
                }
            }
            _ => {}
        }
    }

    /// The item's text; the item is emptied for the next one.
    fn finish(&mut self) -> String {
        let out = std::mem::take(&mut self.out);
        *self = StringItem::default();
        out
    }
}

/// Parses `sharedStrings.xml`: one string per `<si>`.
fn shared_strings(xml: &str) -> Result<Vec<String>, XlsxError> {
    let mut out = Vec::new();
    let mut item = StringItem::default();
    for t in tokens(xml) {
        match t? {
            Token::Start { name: "si", empty, .. } => {
                item.finish();
                if empty {
                    out.push(String::new());
                }
            }
            Token::End("si") => out.push(item.finish()),
            t => item.token(t),
        }
    }
    Ok(out)
}

/// `"AB12"` → 0-based `(row, col)`; `None` if it is not a cell reference.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn out_of_range(row: u32, col: u32) -> XlsxError {
    XlsxError::OutOfRange(super::cell_name(row, col))
}

impl Workbook<'_> {
    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The non-empty cells of sheet `index`, grouped in rows, rows and cells in order.
    pub fn rows(&mut self, index: usize) -> Result<Vec<Row>, XlsxError> {
        let (name, part) =
            self.sheets.get(index).cloned().ok_or_else(|| XlsxError::Corrupt("没有这个工作表".into()))?;
        let missing = || XlsxError::Corrupt(format!("找不到工作表「{name}」的内容"));
        let part = part.ok_or_else(missing)?;
        let xml = text(self.zip.read(&part)?.ok_or_else(missing)?)?;
        if self.strings.is_none() {
            let sst = match self.strings_part.clone() {
                Some(p) => self.zip.read(&p)?,
                None => None,
            };
            self.strings = Some(match sst {
                Some(b) => shared_strings(&text(b)?)?,
                None => Vec::new(),
            });
        }
        sheet_cells(&xml, self.strings.as_deref().unwrap_or(&[]))
    }
}

/// What the cell being read has seen so far.
#[derive(Default)]
struct CellState<'a> {
    row: u32,
    col: u32,
    kind: &'a str,
    buf: String,
    has_value: bool,
    in_v: bool,
    in_is: bool,
    inline: StringItem,
}

/// Parses a worksheet's `<sheetData>` into rows of non-empty cells.
fn sheet_cells(xml: &str, strings: &[String]) -> Result<Vec<Row>, XlsxError> {
    let mut cells: Vec<(u32, u32, Value)> = Vec::new();
    let (mut next_row, mut next_col) = (0u32, 0u32);
    let mut c = CellState::default();
    let mut in_data = false;
    for t in tokens(xml) {
        match t? {
            Token::Start { name: "sheetData", empty, .. } => in_data = !empty,
            Token::End("sheetData") => break,
            _ if !in_data => {}
            Token::Start { name: "row", attrs: a, .. } => {
                let row = match attr(a, "r") {
                    Some(r) => r
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .and_then(|r| r.checked_sub(1))
                        .ok_or_else(|| XlsxError::Corrupt(format!("行号「{r}」无效")))?,
                    None => next_row,
                };
                if row >= MAX_ROWS {
                    return Err(out_of_range(row, 0));
                }
                next_row = row + 1;
                c.row = row;
                next_col = 0;
            }
            Token::Start { name: "c", attrs: a, empty } => {
                let (mut row, mut col) = (c.row, next_col);
                let mut kind = "n";
                for (k, v) in attrs(a) {
                    match k {
                        "r" => {
                            (row, col) =
                                cell_ref(v).ok_or_else(|| XlsxError::Corrupt(format!("单元格位置「{v}」无效")))?
                        }
                        "t" => kind = v,
                        _ => {}
                    }
                }
                if row >= MAX_ROWS || col >= MAX_COLS {
                    return Err(out_of_range(row, col));
                }
                next_col = col + 1;
                c = CellState { row, col, kind, buf: std::mem::take(&mut c.buf), ..CellState::default() };
                c.buf.clear();
                if empty {
                    c.kind = "";
                }
            }
            Token::Start { name: "v", empty: false, .. } if !c.in_is => {
                c.in_v = true;
                c.has_value = true;
            }
            Token::End("v") => c.in_v = false,
            Token::Start { name: "is", empty, .. } => {
                c.in_is = !empty;
                c.has_value = true;
                c.kind = "is";
            }
            Token::End("is") => {
                c.in_is = false;
                c.buf = c.inline.finish();
            }
            t if c.in_is => c.inline.token(t),
            Token::Text(s) if c.in_v => decode_text(s, &mut c.buf),
            Token::CData(s) if c.in_v => c.buf.push_str(s),
            Token::End("c") if c.has_value => {
                if let Some(v) = value(&c, strings)? {
                    if cells.len() >= MAX_CELLS {
                        return Err(XlsxError::TooLarge);
                    }
                    cells.push((c.row, c.col, v));
                }
                c.has_value = false;
            }
            _ => {}
        }
    }
    if !cells.windows(2).all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1)) {
        cells.sort_by_key(|&(r, c, _)| (r, c));
    }
    let mut rows: Vec<Row> = Vec::new();
    for (r, col, v) in cells {
        match rows.last_mut() {
            Some(last) if last.row == r => last.cells.push((col, v)),
            _ => rows.push(Row { row: r, cells: vec![(col, v)] }),
        }
    }
    Ok(rows)
}

/// The value of a finished cell by its type; `None` for an empty one.
fn value(c: &CellState<'_>, strings: &[String]) -> Result<Option<Value>, XlsxError> {
    let raw = c.buf.as_str();
    Ok(Some(match c.kind {
        "s" => {
            let i = raw.trim().parse::<usize>().ok().and_then(|i| strings.get(i));
            let i = i.ok_or_else(|| {
                XlsxError::Corrupt(format!("{} 引用了不存在的共享字符串「{raw}」", super::cell_name(c.row, c.col)))
            })?;
            Value::Text(i.clone())
        }
        // Inline-string text is unescaped already, run by run.
        "is" => Value::Text(raw.to_string()),
        "str" | "inlineStr" => Value::Text(unescape_office(raw.to_string())),
        "d" => Value::Text(raw.to_string()),
        "b" => Value::Bool(raw.trim() != "0" && !raw.trim().eq_ignore_ascii_case("false")),
        "e" => Value::Error,
        _ if raw.trim().is_empty() => return Ok(None),
        // Anything else is a number; text that is not one is kept as text, never dropped.
        _ => raw.trim().parse::<f64>().map_or_else(|_| Value::Text(raw.to_string()), Value::Number),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(resolve("xl/", "../xl/./a.xml"), "xl/a.xml");
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("AB"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("ABCD1"), None);
    }
}
