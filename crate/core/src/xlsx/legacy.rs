//! The older workbook formats, read with `calamine`: Excel 97–2003 (`.xls`, BIFF8 in an OLE
//! compound file) and OpenDocument spreadsheets (`.ods`). Their cells come back as the same
//! [`Row`]s and [`Value`]s as the in-house XLSX reader's, so the import lays every format out
//! one way. XLSX stays with the in-house reader (README, "Dependencies and why": measured).

use super::{Row, Value, XlsxError, MAX_CELLS};
use calamine::{Data, Ods, Range, Reader, Xls};
use std::io::Cursor;

/// An older format calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Excel 97–2003 (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// The name shown in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xls => "XLS",
            Format::Ods => "ODS",
        }
    }
}

/// An opened `.xls` or `.ods` workbook.
pub enum Legacy<'a> {
    /// Excel 97–2003.
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    /// OpenDocument.
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
}

impl std::fmt::Debug for Legacy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Legacy({})", self.format().name())
    }
}

fn failed(format: Format, detail: impl std::fmt::Debug) -> XlsxError {
    XlsxError::Legacy { format: format.name(), detail: format!("{detail:?}") }
}

/// Opens `bytes` as `format`. A `.xlsx` with an opening password is an OLE file too: it fails
/// here, and the error says so. An `.xls` container is checked first ([`super::cfb_check`]):
/// calamine panics on a file cut short.
pub fn open(bytes: &[u8], format: Format) -> Result<Legacy<'_>, XlsxError> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xls => {
            super::cfb_check::check(bytes)?;
            match Xls::new(cursor) {
                Ok(book) => Ok(Legacy::Xls(Box::new(book))),
                Err(calamine::XlsError::Password) => Err(XlsxError::Password),
                Err(e) => Err(failed(format, e)),
            }
        }
        Format::Ods => Ods::new(cursor).map(|b| Legacy::Ods(Box::new(b))).map_err(|e| failed(format, e)),
    }
}

impl Legacy<'_> {
    /// The format opened.
    pub fn format(&self) -> Format {
        match self {
            Legacy::Xls(_) => Format::Xls,
            Legacy::Ods(_) => Format::Ods,
        }
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Legacy::Xls(b) => b.sheet_names(),
            Legacy::Ods(b) => b.sheet_names(),
        }
    }

    /// The non-empty cells of sheet `index`, row by row (0-based rows and columns).
    pub fn rows(&mut self, index: usize) -> Result<Vec<Row>, XlsxError> {
        let format = self.format();
        let name = self.sheet_names().get(index).cloned().ok_or_else(|| failed(format, "no such sheet"))?;
        let range = match self {
            Legacy::Xls(b) => b.worksheet_range(&name).map_err(|e| failed(format, e))?,
            Legacy::Ods(b) => b.worksheet_range(&name).map_err(|e| failed(format, e))?,
        };
        rows_of(&range)
    }
}

/// A calamine range as rows of non-empty cells, under the reader's cell cap.
fn rows_of(range: &Range<Data>) -> Result<Vec<Row>, XlsxError> {
    let Some((row0, col0)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut count = 0usize;
    for (i, cells) in range.rows().enumerate() {
        let mut row = Row { row: row0.saturating_add(i as u32), cells: Vec::new() };
        for (j, d) in cells.iter().enumerate() {
            let value = match d {
                Data::Empty => continue,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
                // Exact digits: an integer past 2^53 would lose some as a float.
                Data::Int(n) => Value::Text(n.to_string()),
                Data::Float(f) => Value::Number(*f),
                Data::Bool(b) => Value::Bool(*b),
                // A date as its serial number, as the XLSX reader gives it.
                Data::DateTime(d) => Value::Number(d.as_f64()),
                Data::Error(_) => Value::Error,
            };
            count += 1;
            if count > MAX_CELLS {
                return Err(XlsxError::TooLarge);
            }
            row.cells.push((col0.saturating_add(j as u32), value));
        }
        if !row.cells.is_empty() {
            out.push(row);
        }
    }
    Ok(out)
}
