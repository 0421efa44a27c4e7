//! Workbook import with `calamine`, from in-memory bytes (no file system in the extension):
//! lists the sheets, reads the first one or the one the user picked, and turns cells into text
//! without losing long numbers (Excel stores `773012345678901` as a float).

use super::{ImportError, RawRow};
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// `trackingSheets` request: a workbook's bytes, to fill the sheet picker.
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

/// Lists the sheet names of a workbook (XLSX, XLS, XLSB or ODS).
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    let book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    Ok(book.sheet_names())
}

fn unreadable(e: impl std::fmt::Display) -> ImportError {
    ImportError::Unreadable {
        format: "XLSX",
        detail: e.to_string(),
    }
}

/// Reads one sheet (`sheet`, or the first) into rows with 1-based spreadsheet row numbers.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Book, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty("表格文件是空的"));
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let sheets = book.sheet_names();
    let name = match sheet.filter(|s| !s.is_empty()) {
        Some(want) => sheets
            .iter()
            .find(|s| s.as_str() == want)
            .cloned()
            .ok_or_else(|| ImportError::NoSheet {
                name: want.to_string(),
                available: sheets.join("，"),
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or(ImportError::Empty("工作簿里没有工作表"))?,
    };
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        // Leading empty columns are kept so column letters in messages match the sheet.
        let mut cells: Vec<String> = vec![String::new(); first_col as usize];
        cells.extend(r.iter().map(cell_text));
        if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push(RawRow {
                row: first_row as usize + i + 1,
                cells,
            });
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Empty("所选工作表没有数据"));
    }
    Ok(Book {
        sheets,
        sheet: name,
        rows,
    })
}

/// A cell as text. Whole floats print without exponent or `.0`, so a 15-digit number typed
/// into Excel comes back as the same digits.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
    }
}
