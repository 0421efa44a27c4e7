//! The workbook formats RedShip reads and writes: XLSX (Office Open XML) in house, and the
//! older `.xls` (Excel 97–2003) and `.ods` (OpenDocument) through `calamine` ([`legacy`]).
//!
//! [`read::open`] reads what real producers write (Excel, WPS, .NET's `x:`-prefixed parts,
//! Java POI/EasyExcel inline strings) under size caps, so a hostile file is an error, never a
//! panic or an exhausted memory. [`open_any`] opens any of the three by its bytes. [`write::write`]
//! writes the one-sheet workbook of the transit export. XLSB is recognised and refused with
//! advice to save the file as .xlsx. ZIP and XML are handled by [`zip`] (on `miniz_oxide`) and
//! [`xml`].

mod cfb_check;
pub mod legacy;
pub mod read;
pub mod write;
pub mod xml;
pub mod zip;

#[cfg(test)]
mod tests_cross;
#[cfg(test)]
mod tests_legacy;
#[cfg(test)]
mod tests_parts;

use legacy::{Format, Legacy};
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
    #[error("RedShip 读取 .xlsx、.xls 和 .ods 工作簿，不读取 {format} 文件：请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（*.xlsx）后再导入{hint}（{format} files are not read: save it as .xlsx in Excel or WPS）")]
    OldFormat {
        /// `XLS`, `XLSB` or `ODS`.
        format: &'static str,
        /// Extra advice (may be empty).
        hint: &'static str,
    },
    /// An `.xls` or `.ods` file calamine could not read.
    #[error("{format} 文件已损坏或无法识别（{detail}）：如果它设置了打开密码请先取消；也可以在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再导入（cannot read this {format} file: remove its password, or save it as .xlsx）")]
    Legacy {
        /// `XLS` or `ODS`.
        format: &'static str,
        /// What calamine said.
        detail: String,
    },
    /// An `.xls` (or an `.xlsx` saved with an opening password, which is the same container).
    #[error("这个工作簿设置了打开密码：请在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后再导入（the workbook has an opening password: remove it first）")]
    Password,
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
            XlsxError::OldFormat { format, .. } | XlsxError::Legacy { format, .. } => format,
            XlsxError::Password => "XLS",
            _ => "XLSX",
        }
    }
}

/// `B3` for 0-based `(row, col)`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", crate::ship::column_letter(col as usize), u64::from(row) + 1)
}

/// A workbook of any format read: XLSX in house, XLS and ODS through calamine.
#[derive(Debug)]
pub enum AnyBook<'a> {
    /// XLSX / XLSM.
    Xlsx(Workbook<'a>),
    /// XLS or ODS.
    Legacy(Legacy<'a>),
}

/// Opens workbook bytes of any format read (the bytes decide, not the file name): an OLE
/// compound file is an `.xls`, a ZIP with an OpenDocument body an `.ods`, else XLSX. XLSB and
/// foreign files are refused as [`open`] refuses them.
pub fn open_any(bytes: &[u8]) -> Result<AnyBook<'_>, XlsxError> {
    match open(bytes) {
        Ok(book) => Ok(AnyBook::Xlsx(book)),
        Err(XlsxError::OldFormat { format: "XLS", .. }) => legacy::open(bytes, Format::Xls).map(AnyBook::Legacy),
        Err(XlsxError::OldFormat { format: "ODS", .. }) => legacy::open(bytes, Format::Ods).map(AnyBook::Legacy),
        Err(e) => Err(e),
    }
}

impl AnyBook<'_> {
    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            AnyBook::Xlsx(b) => b.sheet_names(),
            AnyBook::Legacy(b) => b.sheet_names(),
        }
    }

    /// The non-empty cells of sheet `index`, row by row.
    pub fn rows(&mut self, index: usize) -> Result<Vec<Row>, XlsxError> {
        match self {
            AnyBook::Xlsx(b) => b.rows(index),
            AnyBook::Legacy(b) => b.rows(index),
        }
    }
}
