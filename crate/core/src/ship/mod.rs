//! Tracking numbers: import (paste, CSV in UTF-8 or GBK, XLSX), validation and preview, and the
//! fill run that the content script carries out row by row with a journal that never ships an
//! order twice.
//!
//! Flow: [`import`] reads a source into raw rows, finds the columns, normalises and validates
//! every row against the orders the extension has seen, the numbers already used and the
//! platform's courier list, and returns a [`PreviewView`]. The user fixes rows and the service
//! worker calls [`revalidate`]. On confirmation [`plan::plan`] builds a [`plan::FillRun`] record
//! from the rows that passed; [`journal::apply`] moves it through its states as the page answers;
//! [`report`] turns it into the report and its CSV. The worker holds the live run in a
//! [`live::LiveRun`] and steps it once per step of the run; what a step changed is saved as a
//! small write-ahead log ([`wal::RunLog`]) that [`wal::recover`] folds back into the run record.

pub mod columns;
pub mod couriers;
pub mod csv_source;
mod duplicates;
pub mod events;
mod events_wire;
mod groups;
pub mod journal;
pub mod known;
pub mod live;
pub mod normalize;
pub mod pace;
pub mod paste;
pub mod plan;
pub mod report;
pub mod table;
pub mod used;
pub mod validate;
pub mod wal;
#[cfg(feature = "office")]
pub mod xlsx_source;

#[cfg(test)]
mod tests_fill;
#[cfg(test)]
mod tests_fill_props;
#[cfg(test)]
mod tests_fill_replay;
#[cfg(test)]
mod tests_fill_wal;
#[cfg(all(test, feature = "office"))]
mod tests_import;
#[cfg(test)]
mod tests_pace;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use validate::{PreviewRow, PreviewView, Reason, Verdict};

/// One courier of the platform's list (`express_company_code`, `express_company_name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CourierEntry {
    /// Code sent with the shipment, e.g. `shunfeng`.
    pub code: String,
    /// Name the ship dialog shows, e.g. `顺丰速运`.
    pub name: String,
}

/// An order the extension has seen on the workbench list. In a request it crosses in the known
/// orders' transport form (`redship_bind::ship::known_orders`: IDs joined by line breaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnownOrder {
    /// Package ID (`P` + 15 or more digits).
    pub package_id: String,
    /// True while the order waits to ship (its status read through the site profile).
    pub waiting: bool,
    /// Listed, but its status is unclear (code and text disagree, or neither is known): never
    /// filled by a run until the page says it waits.
    #[serde(default)]
    pub unclear: bool,
}

/// A tracking number already entered on an order (from earlier runs or the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsedNumber {
    /// The tracking number.
    pub number: String,
    /// The package it was used on.
    pub package_id: String,
}

/// Where the rows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportSource {
    /// Text pasted from WeChat, Excel or anywhere.
    Paste,
    /// A CSV file (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030).
    Csv,
    /// An XLSX (or XLS) workbook.
    Xlsx,
}

/// The context every validation needs; the service worker supplies it from storage (its
/// transport form is crate/bind's, `redship_bind::ship`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationContext {
    /// Orders seen on the workbench list.
    pub known_orders: Vec<KnownOrder>,
    /// Numbers already used on orders.
    pub used_numbers: Vec<UsedNumber>,
    /// The platform's courier list; empty means SPEC.md's default list.
    pub couriers: Vec<CourierEntry>,
}

impl ValidationContext {
    /// The courier list to use: the given one, or SPEC.md's default when none was given.
    pub fn courier_list(&self) -> Vec<CourierEntry> {
        if self.couriers.is_empty() {
            couriers::default_couriers()
        } else {
            self.couriers.clone()
        }
    }
}

/// `shipImport` request (read from its transport form in crate/bind, `redship_bind::ship`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    /// The source kind.
    pub source: ImportSource,
    /// Pasted text (source `paste`).
    pub text: Option<String>,
    /// File bytes (sources `csv` and `xlsx`).
    pub bytes: Option<Vec<u8>>,
    /// XLSX sheet name; the first sheet when absent.
    pub sheet: Option<String>,
    /// Orders, used numbers and couriers.
    pub context: ValidationContext,
}

/// A row as the user gave it (raw text), with its place in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawEntry {
    /// 1-based row (file) or line (paste) number in the source.
    pub row: usize,
    /// Package ID as given.
    pub package_id: String,
    /// Courier as given (may be empty).
    pub courier: String,
    /// Tracking number as given.
    pub number: String,
}

/// `shipRevalidate` request: the rows as the user edited them, validated again together
/// (duplicates are a property of the whole set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevalidateRequest {
    /// All rows, edited ones included.
    pub rows: Vec<RawEntry>,
    /// Orders, used numbers and couriers.
    pub context: ValidationContext,
}

/// Why an import could not produce rows. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// Nothing to read.
    #[error("没有可导入的内容：{0}（nothing to import: {0}）")]
    Empty(&'static str),
    /// The file is not a readable CSV/XLSX.
    #[error("无法读取{format}文件：{detail}（cannot read the {format} file）")]
    Unreadable {
        /// `CSV` or `XLSX`.
        format: &'static str,
        /// What the reader said.
        detail: String,
    },
    /// The CSV's text encoding is neither UTF-8/UTF-16 nor GBK/GB18030.
    #[error(
        "无法识别文件编码（第 {row} 行附近）：请另存为 UTF-8 或 GBK 的 CSV（unknown text encoding near row {row})"
    )]
    Encoding {
        /// First row with undecodable bytes.
        row: usize,
    },
    /// A CSV record could not be parsed.
    #[error("CSV 第 {row} 行无法解析：{detail}（CSV row {row} cannot be parsed）")]
    Csv {
        /// 1-based record number.
        row: usize,
        /// What the parser said.
        detail: String,
    },
    /// The asked-for sheet does not exist.
    #[error("工作簿中没有名为「{name}」的工作表；现有：{available}（no sheet named {name}）")]
    NoSheet {
        /// Sheet asked for.
        name: String,
        /// Sheets present, comma-separated.
        available: String,
    },
    /// A required column was not found by header or by content.
    #[error("找不到{what}列{where_}：请给该列加上表头（如 {examples}）（no {what_en} column found{where_en}）")]
    NoColumn {
        /// Column kind, Chinese.
        what: &'static str,
        /// Column kind, English.
        what_en: &'static str,
        /// Header names that would be recognised.
        examples: &'static str,
        /// Where the header row was, Chinese (may be empty).
        where_: String,
        /// Where the header row was, English (may be empty).
        where_en: String,
    },
    /// This build has no workbook reader: the `office` feature has it. The extension's main
    /// module answers this, and the worker then hands the same request to the office module it
    /// loads on demand.
    #[error("需要表格读取模块才能读取{0}（reading {0} needs the office module）")]
    NeedsOffice(&'static str),
    /// The request itself is incomplete (e.g. source `csv` without bytes).
    #[error("导入请求不完整：{0}（incomplete import request）")]
    BadRequest(&'static str),
}

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA), for messages.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// A table as read from a source: rows of cells, each with its 1-based source row number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based row number in the source.
    pub row: usize,
    /// Cell texts.
    pub cells: Vec<String>,
}

/// Reads, extracts and validates a source into a preview. Rejects unreadable input with an
/// [`ImportError`] that says where.
/// `gbk` decodes GB18030 CSVs (see [`csv_source::Gb18030`]).
pub fn import(req: &ImportRequest, gbk: csv_source::Gb18030) -> Result<PreviewView, ImportError> {
    let platform = req.context.courier_list();
    let (entries, meta) = match req.source {
        ImportSource::Paste => {
            let text = req.text.as_deref().ok_or(ImportError::BadRequest("粘贴导入缺少 text"))?;
            paste::extract(text, &platform)?
        }
        ImportSource::Csv => {
            let bytes = req.bytes.as_deref().ok_or(ImportError::BadRequest("CSV 导入缺少 bytes"))?;
            let encoding = csv_source::detect_encoding(bytes);
            let mut cells = csv_source::read_cells_as(bytes, encoding, gbk)?;
            let (entries, mut meta) = columns::extract_table(&mut cells, &platform)?;
            meta.encoding = Some(encoding.label().to_string());
            (entries, meta)
        }
        #[cfg(feature = "office")]
        ImportSource::Xlsx => {
            let bytes = req.bytes.as_deref().ok_or(ImportError::BadRequest("XLSX 导入缺少 bytes"))?;
            read_workbook(bytes, req.sheet.as_deref(), &platform)?
        }
        #[cfg(not(feature = "office"))]
        ImportSource::Xlsx => return Err(ImportError::NeedsOffice("Excel")),
    };
    Ok(validate::validate(entries, &req.context, meta))
}

/// Sheets tried when none is asked for. Each is inflated and read on its own budget, so a
/// hostile workbook of thousands of sheets pointing at one big part could keep the search busy;
/// a real warehouse list is among the first few, and the sheet picker reaches every other.
#[cfg(feature = "office")]
const SHEETS_SEARCHED: usize = 16;

#[cfg(feature = "office")]
/// Reads the asked-for sheet; without one, the first of the first [`SHEETS_SEARCHED`] sheets
/// that has usable columns (a notes or cover sheet first in the workbook is passed over), else
/// the first sheet's error.
fn read_workbook(
    bytes: &[u8],
    sheet: Option<&str>,
    platform: &[CourierEntry],
) -> Result<(Vec<RawEntry>, validate::SourceMeta), ImportError> {
    let read = |name: Option<&str>| -> Result<_, ImportError> {
        let book = xlsx_source::read(bytes, name)?;
        let (entries, mut meta) = columns::extract(book.rows, platform)?;
        meta.sheets = book.sheets;
        meta.sheet = Some(book.sheet);
        Ok((entries, meta))
    };
    if sheet.is_some_and(|s| !s.is_empty()) {
        return read(sheet);
    }
    let first = read(None);
    if first.is_ok() {
        return first;
    }
    let names = xlsx_source::sheet_names(bytes)?;
    names.iter().take(SHEETS_SEARCHED).skip(1).find_map(|n| read(Some(n)).ok()).map_or(first, Ok)
}

/// Validates edited rows again (fix a row in place, remove a row): same rules as [`import`].
pub fn revalidate(req: &RevalidateRequest) -> PreviewView {
    validate::validate(req.rows.clone(), &req.context, validate::SourceMeta::default())
}

/// Deserialises bytes from a JS `Uint8Array` (fast path), an `ArrayBuffer`, or a JSON array of
/// numbers, so the same request works from the service worker and from native tests.
#[cfg(feature = "office")]
pub(crate) mod bytes_field {
    use serde::de::{Deserializer, SeqAccess, Visitor};
    use serde::Serializer;
    use std::fmt;

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Option<Vec<u8>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("bytes (Uint8Array or array of numbers)")
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(Some(v.to_vec()))
        }
        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(Some(out))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_byte_buf(BytesVisitor)
        }
    }

    /// Reads optional bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        d.deserialize_option(BytesVisitor)
    }

    /// Writes optional bytes as an array of numbers.
    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.collect_seq(b.iter()),
            None => s.serialize_none(),
        }
    }
}
