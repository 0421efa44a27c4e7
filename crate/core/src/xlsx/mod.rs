//! The workbook format RedShip reads and writes, in house: XLSX (Office Open XML) only.
//!
//! [`read::open`] reads what real producers write (Excel, WPS, .NET's `x:`-prefixed parts,
//! Java POI/EasyExcel inline strings) under size caps, so a hostile file is an error, never a
//! panic or an exhausted memory. [`write::write`] writes the one-sheet workbook of the transit
//! export. Older or other formats (XLS, XLSB, ODS) are recognised and refused with advice to
//! save the file as .xlsx. ZIP and XML are handled by [`zip`] (on `miniz_oxide`) and [`xml`].

pub mod read;
pub mod write;
pub mod xml;
pub mod zip;

#[cfg(test)]
mod tests_cross;
#[cfg(test)]
mod tests_parts;

pub use read::{open, Workbook};
use thiserror::Error;

/// Excel's grid: rows.
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's grid: columns (A..XFD).
pub const MAX_COLS: u32 = 16_384;
/// Non-empty cells read from one sheet (a tracking sheet has tens of thousands).
pub const MAX_CELLS: usize = 4_000_000;

/// A cell's value as stored (dates are numbers, as Excel stores them).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Shared, inline, formula (`str`) or ISO-date (`d`) text.
    Text(String),
    /// A number (also a date's serial number).
    Number(f64),
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// An error value such as `#N/A`.
    Error,
}

/// One sheet row's non-empty cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 0-based row index.
    pub row: u32,
    /// `(0-based column, value)`, in column order.
    pub cells: Vec<(u32, Value)>,
}

/// Why a workbook could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum XlsxError {
    /// Not a ZIP container at all (a CSV or a web page renamed .xls, say).
    #[error("这不是 .xlsx 工作簿（文件不是 ZIP 格式）：请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（*.xlsx）后再导入（not an .xlsx workbook: save it as .xlsx in Excel or WPS）")]
    NotZip,
    /// A format that is recognised but not read.
    #[error("RedShip 只读取 .xlsx 工作簿，不读取 {format} 文件：请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（*.xlsx）后再导入{hint}（{format} files are not read: save it as .xlsx in Excel or WPS）")]
    OldFormat {
        /// `XLS`, `XLSB` or `ODS`.
        format: &'static str,
        /// Extra advice (may be empty).
        hint: &'static str,
    },
    /// The container or a part in it is damaged.
    #[error("文件已损坏：{0}（the workbook is damaged）")]
    Corrupt(String),
    /// Over the size caps (inflated size, inflate ratio, cell count).
    #[error("工作簿太大，超出可读取的范围：解压后超过 256 MB、压缩比异常或单元格超过 400 万个（the workbook is too large to read）")]
    TooLarge,
    /// A cell outside Excel's grid.
    #[error("单元格 {0} 超出 Excel 的行列范围（cell {0} is outside Excel's grid）")]
    OutOfRange(String),
}

impl XlsxError {
    /// The format named in an import error: the refused one, else `XLSX`.
    pub fn format(&self) -> &'static str {
        match self {
            XlsxError::OldFormat { format, .. } => format,
            _ => "XLSX",
        }
    }
}

/// `B3` for 0-based `(row, col)`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", crate::tracking::column_letter(col as usize), u64::from(row) + 1)
}
