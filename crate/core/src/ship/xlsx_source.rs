//! Workbook import from in-memory bytes (no file system in the extension): XLSX with the
//! in-house reader, XLS and ODS through calamine ([`crate::xlsx::open_any`]). Lists the sheets,
//! reads the first one or the one the user picked, and turns cells into text without losing
//! long numbers (Excel stores `773012345678901` as a float). XLSB is refused with advice to
//! save as .xlsx.

use super::{ImportError, RawRow};
use crate::xlsx::{self, Value, XlsxError};
use serde::{Deserialize, Serialize};

/// At most this many cells (rows × columns, blank rows left out) are laid out as text.
const MAX_GRID: usize = 5_000_000;

/// `shipSheets` request: a workbook's bytes, to fill the sheet picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetsRequest {
    /// The workbook.
    #[serde(with = "super::bytes_field")]
    pub bytes: Option<Vec<u8>>,
}

/// A sheet read from a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// Every sheet name, in workbook order (for the sheet picker).
    pub sheets: Vec<String>,
    /// The sheet that was read.
    pub sheet: String,
    /// Its non-blank rows.
    pub rows: Vec<RawRow>,
}

fn unreadable(e: XlsxError) -> ImportError {
    ImportError::Unreadable { format: e.format(), detail: e.to_string() }
}

/// Lists the sheet names of an XLSX, XLS or ODS workbook.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    Ok(xlsx::open_any(bytes).map_err(unreadable)?.sheet_names())
}

/// Reads one sheet (`sheet`, or the first) into rows with 1-based spreadsheet row numbers.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Book, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty("表格文件是空的"));
    }
    let mut book = xlsx::open_any(bytes).map_err(unreadable)?;
    let sheets = book.sheet_names();
    let index = match sheet.filter(|s| !s.is_empty()) {
        Some(want) => sheets
            .iter()
            .position(|s| s == want)
            .ok_or_else(|| ImportError::NoSheet { name: want.to_string(), available: sheets.join("，") })?,
        None if sheets.is_empty() => return Err(ImportError::Empty("工作簿里没有工作表")),
        None => 0,
    };
    let cells = book.rows(index).map_err(unreadable)?;
    // Every row as wide as the widest; leading empty columns are kept so column letters in
    // messages match the sheet.
    let width = cells.iter().filter_map(|r| r.cells.last()).map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
    let mut rows = Vec::new();
    for r in cells {
        let mut texts = vec![String::new(); width];
        let mut blank = true;
        for (c, v) in r.cells {
            let t = match v {
                Value::Text(s) => s,
                v => cell_text(&v),
            };
            blank &= t.trim().is_empty();
            texts[c as usize] = t;
        }
        if !blank {
            if (rows.len() + 1).saturating_mul(width) > MAX_GRID {
                return Err(unreadable(XlsxError::TooLarge));
            }
            rows.push(RawRow { row: r.row as usize + 1, cells: texts });
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Empty("所选工作表没有数据"));
    }
    let sheet = sheets.get(index).cloned().unwrap_or_default();
    Ok(Book { sheets, sheet, rows })
}

/// A cell as text. Whole numbers below 10¹⁷ print without exponent or `.0`, so a 15-digit
/// number typed into Excel comes back as the same digits; dates come back as their serial
/// number, booleans as `true`/`false`, error values as nothing.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Error => String::new(),
        Value::Text(s) => s.clone(),
        Value::Number(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
        Value::Number(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
    }
}
