//! The leak guard's last line: a scan of a produced export, cell by cell, for buyer data that
//! is not masked. Any hit blocks the export with the file row and column named.
//!
//! The masker should already have hidden everything; this scan exists so that a bug, a new
//! column or a note typed by the seller can never put a phone number or an ID into a file
//! that leaves the computer.

use super::detect::{self, Kind, Mode};
use thiserror::Error;

/// How a column is scanned (see [`detect::Mode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnClass {
    /// Buyer fields (name, phone, address, remark): strict scan, addresses included.
    Buyer,
    /// The seller's own notes: whole numbers only, addresses included.
    Notes,
    /// Product text, times, quantities: whole numbers only, no address check.
    Plain,
    /// Platform and logistics identifiers: whole numbers only, no address check. (In whole-number
    /// mode an 18-digit number counts as an ID only with a plausible birth date: long order
    /// numbers pass the check digit 1 time in 11.)
    Identifier,
}

/// Plaintext buyer data found in an export: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("导出已阻止：第 {row} 行（{package_id}）「{column}」列含未打码的{}。请修改后再导出。(export blocked: row {row}, column {column}: unmasked {})", kind_zh(*.kind), kind_en(*.kind))]
pub struct LeakError {
    /// The row in the file, 1-based, header row included (as a spreadsheet shows it).
    pub row: usize,
    /// The column's header text.
    pub column: String,
    /// The package ID of that row, or empty.
    pub package_id: String,
    /// What was found.
    pub kind: Kind,
}

/// The Chinese name of a kind of buyer data, for messages.
pub fn kind_zh(k: Kind) -> &'static str {
    match k {
        Kind::Phone => "手机号",
        Kind::IdNumber => "身份证号",
        Kind::Email => "邮箱",
        Kind::WeChat => "微信号",
        Kind::Address => "详细地址",
    }
}

fn kind_en(k: Kind) -> &'static str {
    match k {
        Kind::Phone => "mobile number",
        Kind::IdNumber => "ID number",
        Kind::Email => "email",
        Kind::WeChat => "WeChat ID",
        Kind::Address => "street address",
    }
}

/// What a single cell holds that must not leave, if anything.
pub fn scan_cell(text: &str, class: ColumnClass) -> Option<Kind> {
    let chars: Vec<char> = text.chars().collect();
    let (mode, addresses) = match class {
        ColumnClass::Buyer => (Mode::Strict, true),
        ColumnClass::Notes => (Mode::Bounded, true),
        ColumnClass::Plain | ColumnClass::Identifier => (Mode::Bounded, false),
    };
    let spans = detect::find(&chars, mode, addresses);
    // WeChat IDs are masked in remarks; elsewhere a bare word is no evidence of one.
    spans.into_iter().map(|s| s.kind).find(|k| *k != Kind::WeChat)
}

/// Scans a table as it was read back from the produced file: `header` is the first row,
/// `rows` the data rows, `classes[i]` how column `i` is scanned. `id_column` names the column
/// holding the package ID (for the message), if the template has one.
pub fn scan_table(
    header: &[String],
    rows: &[Vec<String>],
    classes: &[ColumnClass],
    id_column: Option<usize>,
) -> Result<(), LeakError> {
    let all = std::iter::once(header).chain(rows.iter().map(Vec::as_slice));
    for (r, row) in all.enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Unknown extra columns are scanned as buyer text: the strictest reading.
            let class = if r == 0 { ColumnClass::Notes } else { classes.get(c).copied().unwrap_or(ColumnClass::Buyer) };
            if let Some(kind) = scan_cell(cell, class) {
                return Err(LeakError {
                    row: r + 1,
                    column: header.get(c).cloned().unwrap_or_else(|| format!("#{}", c + 1)),
                    package_id: id_column.and_then(|i| row.get(i)).filter(|_| r > 0).cloned().unwrap_or_default(),
                    kind,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn blocks_with_row_and_column() {
        let header = s(&["包裹号", "收件人", "手机号", "备注"]);
        let classes = [ColumnClass::Identifier, ColumnClass::Buyer, ColumnClass::Buyer, ColumnClass::Notes];
        let ok = vec![s(&["P123456789013812345", "张**", "138****5678", "易碎"])];
        assert_eq!(scan_table(&header, &ok, &classes, Some(0)), Ok(()));
        let bad = vec![ok[0].clone(), s(&["P123456789012345678", "李**", "13912345678", ""])];
        let err = scan_table(&header, &bad, &classes, Some(0)).expect_err("leak");
        assert_eq!((err.row, err.column.as_str(), err.kind), (3, "手机号", Kind::Phone));
        assert_eq!(err.package_id, "P123456789012345678");
        assert!(err.to_string().contains("第 3 行"), "{err}");
        let note = vec![s(&["P123456789012345678", "李**", "139****5678", "客户说送到人民路8号"])];
        let err = scan_table(&header, &note, &classes, Some(0)).expect_err("address");
        assert_eq!((err.row, err.column.as_str(), err.kind), (2, "备注", Kind::Address));
    }

    #[test]
    fn identifiers_tolerate_long_numbers_but_not_phones() {
        assert_eq!(scan_cell("SF1381234567890", ColumnClass::Identifier), None);
        assert_eq!(scan_cell("13812345678", ColumnClass::Identifier), Some(Kind::Phone));
        assert_eq!(scan_cell("11010519491231002X", ColumnClass::Identifier), Some(Kind::IdNumber));
        assert_eq!(scan_cell("a@b.cn", ColumnClass::Plain), Some(Kind::Email));
        assert_eq!(scan_cell("3号色 口红 路易", ColumnClass::Plain), None);
    }
}

#[cfg(test)]
mod seen_forms {
    use super::*;
    use crate::order::mask::{mask_address, mask_name, mask_phone, mask_text};

    /// The platform's masking forms (SPEC.md "Platform rules"), as exported through the masker.
    fn exported(name: &str, phone: &str, address: &str) -> [String; 3] {
        [mask_text(&mask_name(name)), mask_text(&mask_phone(phone)), mask_text(&mask_address(address))]
    }

    #[test]
    fn the_seen_masking_forms_are_masked() {
        for cell in [
            "**市**金钟路**号**栋****",
            "上海市浦东新区**市**金钟路**号**栋****",
            "+86138****5678",
            "138****5678",
            "王**",
        ] {
            assert_eq!(scan_cell(cell, ColumnClass::Buyer), None, "{cell}");
        }
        let out = exported("王**", "+86138****5678", "上海市浦东新区**市**金钟路**号**栋****");
        for cell in &out {
            assert_eq!(scan_cell(cell, ColumnClass::Buyer), None, "{cell}");
        }
        assert_eq!(out[1], "+86138****5678", "the platform's own form stays as it is");
    }

    #[test]
    fn a_virtual_number_is_plain() {
        assert_eq!(scan_cell("18000000000-9999", ColumnClass::Buyer), Some(Kind::Phone));
        assert_eq!(scan_cell("+8618000000000-9999", ColumnClass::Buyer), Some(Kind::Phone));
        let masked = mask_text(&mask_phone("18000000000-9999"));
        assert_eq!(scan_cell(&masked, ColumnClass::Buyer), None, "{masked}");
        assert_eq!(masked, "180****0000-****", "the extension is hidden too");
        assert_eq!(mask_phone("+86 13812345678"), "+86138****5678");
    }
}
