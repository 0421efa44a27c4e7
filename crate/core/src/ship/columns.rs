//! Finds the order, courier and number columns of a table: by header (Chinese or English, in
//! any of the first rows, after title rows) or, when there is no header, by what the cells
//! contain. Then turns each data row into a [`RawEntry`].

use super::couriers::{lookup, CourierLookup};
use super::groups::{self, Reading};
use super::normalize::{is_package_id, looks_like_number, normalize_code, normalize_header, to_half_width};
use super::validate::{ColumnView, SourceMeta};
use super::{column_letter, CourierEntry, ImportError, RawEntry, RawRow};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Package ID.
    Package,
    /// Courier name.
    Courier,
    /// Tracking number.
    Number,
}

const PACKAGE_EXACT: &[&str] = &[
    "订单号",
    "包裹号",
    "小红书订单号",
    "包裹id",
    "订单编号",
    "订单id",
    "包裹编号",
    "小红书包裹号",
    "packageid",
    "package",
    "orderid",
    "order",
    "orderno",
    "ordernumber",
];
const COURIER_EXACT: &[&str] = &[
    "快递公司",
    "物流公司",
    "快递",
    "物流",
    "承运商",
    "快递名称",
    "快递公司名称",
    "物流公司名称",
    "courier",
    "carrier",
    "expresscompany",
    "logisticscompany",
    "express",
];
const NUMBER_EXACT: &[&str] = &[
    "运单号",
    "快递单号",
    "物流单号",
    "单号",
    "运单编号",
    "快递单号码",
    "运单号码",
    "物流编号",
    "trackingnumber",
    "trackingno",
    "tracking",
    "waybill",
    "waybillno",
    "expressno",
    "trackno",
];

/// Headers that are never the return file's order, courier or number column, though they hold
/// the words: the inbound parcel's number (`入库快递单号`), the upstream purchase (`上游订单号`),
/// returns. A transit export carries such columns next to the warehouse's own.
const NOT_OURS: &[&str] =
    &["入库", "上游", "采购", "退货", "退回", "寄回", "inbound", "upstream", "return", "purchase"];
/// Package headers preferred over other exact order headers: a sheet with both `订单编号` (the
/// platform order ID, which can look like a package ID) and `包裹号` ships by the package.
const PACKAGE_FIRST: &[&str] = &["包裹号", "包裹id", "包裹编号", "小红书包裹号", "packageid", "package"];

/// Classifies a header cell. Exact names first; then containment, checked in an order that
/// keeps `订单号` (order) apart from `运单号` / `快递单号` (number).
pub fn header_kind(cell: &str) -> Option<Kind> {
    header_rank(cell).map(|(kind, _)| kind)
}

/// A header cell's kind and how sure the name is: 3 for a preferred package header, 2 for an
/// exact name, 1 for a name that only contains a word of the kind. Among the columns of one
/// kind only the surest names compete, so `快递单号` wins over a `备用快递单号` beside it.
fn header_rank(cell: &str) -> Option<(Kind, u8)> {
    let h = normalize_header(cell);
    if h.is_empty() || NOT_OURS.iter().any(|w| h.contains(w)) {
        return None;
    }
    if PACKAGE_FIRST.contains(&h.as_str()) {
        return Some((Kind::Package, 3));
    }
    for (list, kind) in [(PACKAGE_EXACT, Kind::Package), (NUMBER_EXACT, Kind::Number), (COURIER_EXACT, Kind::Courier)] {
        if list.contains(&h.as_str()) {
            return Some((kind, 2));
        }
    }
    let has = |subs: &[&str]| subs.iter().any(|s| h.contains(s));
    if has(&["运单", "快递单", "物流单", "tracking", "waybill", "expressno"]) {
        Some((Kind::Number, 1))
    } else if has(&["订单", "包裹", "order", "package"]) {
        Some((Kind::Package, 1))
    } else if has(&["快递", "物流", "承运", "courier", "carrier", "express", "logistics"]) {
        Some((Kind::Courier, 1))
    } else {
        None
    }
}

/// Share of the non-empty cells of column `col` in `rows` that look like `kind`.
fn content_score(rows: &[RawRow], col: usize, kind: Kind, platform: &[CourierEntry]) -> f64 {
    let cells: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.cells.get(col).map(String::as_str))
        .filter(|c| !c.trim().is_empty())
        .take(200)
        .collect();
    if cells.is_empty() {
        return 0.0;
    }
    let hits = cells
        .iter()
        .filter(|c| match kind {
            Kind::Package => is_package_id(&normalize_code(c)),
            Kind::Number => looks_like_number(&normalize_code(c)),
            Kind::Courier => lookup(c, platform) != CourierLookup::Unknown,
        })
        .count();
    hits as f64 / cells.len() as f64
}

/// The first row (among the first ten) that names at least one column and holds no package ID.
fn find_header(rows: &[RawRow]) -> Option<usize> {
    rows.iter().take(10).position(|r| {
        r.cells.iter().any(|c| header_kind(c).is_some()) && !r.cells.iter().any(|c| is_package_id(&normalize_code(c)))
    })
}

/// Finds the columns and extracts the entries. Errors when no order or number column exists.
/// Takes the rows: the entries keep their cells' texts instead of copies.
pub fn extract(rows: Vec<RawRow>, platform: &[CourierEntry]) -> Result<(Vec<RawEntry>, SourceMeta), ImportError> {
    if rows.is_empty() {
        return Err(ImportError::Empty("没有数据行"));
    }
    let header_at = find_header(&rows);
    let header = header_at.map(|i| &rows[i]);
    let data_from = header_at.map_or(0, |i| i + 1);
    let data = &rows[data_from..];
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut taken: Vec<usize> = Vec::new();
    let pick = |kind: Kind, taken: &mut Vec<usize>| -> Option<usize> {
        // Header candidates first (best content wins among them); without any, content alone.
        let ranked: Vec<(usize, u8)> = header
            .map(|h| {
                (0..h.cells.len())
                    .filter_map(|c| header_rank(&h.cells[c]).filter(|(k, _)| *k == kind).map(|(_, r)| (c, r)))
                    .collect()
            })
            .unwrap_or_default();
        let surest = ranked.iter().map(|(_, r)| *r).max().unwrap_or(0);
        let by_header: Vec<usize> = ranked.into_iter().filter(|(_, r)| *r == surest).map(|(c, _)| c).collect();
        let threshold = if by_header.is_empty() { 0.5 } else { f64::NEG_INFINITY };
        let pool: Vec<usize> = if by_header.is_empty() { (0..width).collect() } else { by_header };
        let chosen = pool
            .into_iter()
            .filter(|c| !taken.contains(c))
            .map(|c| (c, content_score(data, c, kind, platform)))
            .filter(|(_, s)| *s >= threshold)
            .fold(None, |best: Option<(usize, f64)>, (c, s)| match best {
                Some((_, bs)) if bs >= s => best,
                _ => Some((c, s)),
            })
            .map(|(c, _)| c);
        if let Some(c) = chosen {
            taken.push(c);
        }
        chosen
    };
    let package = pick(Kind::Package, &mut taken);
    let number = pick(Kind::Number, &mut taken);
    let courier = pick(Kind::Courier, &mut taken);
    let (where_, where_en) = match header {
        Some(h) => (format!("（表头在第 {} 行）", h.row), format!(" (header on row {})", h.row)),
        None => (String::new(), String::new()),
    };
    let package = package.ok_or_else(|| ImportError::NoColumn {
        what: "订单号",
        what_en: "order ID",
        examples: "订单号 / 包裹号 / 小红书订单号",
        where_: where_.clone(),
        where_en: where_en.clone(),
    })?;
    let number = number.ok_or(ImportError::NoColumn {
        what: "运单号",
        what_en: "tracking number",
        examples: "运单号 / 快递单号 / 物流单号",
        where_,
        where_en,
    })?;
    let column_view = |c: Option<usize>| {
        c.map(|c| ColumnView {
            letter: column_letter(c),
            header: header.and_then(|h| h.cells.get(c)).cloned().unwrap_or_default(),
        })
    };
    let mut meta = SourceMeta {
        header_row: header.map(|h| h.row),
        package_column: column_view(Some(package)),
        courier_column: column_view(courier),
        number_column: column_view(Some(number)),
        ..SourceMeta::default()
    };
    let cell = |r: &mut RawRow, c: Option<usize>| {
        c.and_then(|c| r.cells.get_mut(c))
            .map(|s| match s.trim() {
                same if same.len() == s.len() => std::mem::take(s),
                trimmed => trimmed.to_string(),
            })
            .unwrap_or_default()
    };
    let mut entries = Vec::with_capacity(rows.len() - data_from);
    // The row above as given: a package's further lines continue it (see `continues`).
    let mut above: Option<RawEntry> = None;
    for mut r in rows.into_iter().skip(data_from) {
        let e = RawEntry {
            row: r.row,
            package_id: cell(&mut r, Some(package)),
            courier: cell(&mut r, courier),
            number: cell(&mut r, Some(number)),
        };
        if e.package_id.is_empty() && e.number.is_empty() {
            // Totals, notes and blank-ish rows: shown as ignored, never as orders.
            meta.ignored_rows.push(r.row);
        } else if above.as_ref().is_some_and(|a| continues(a, &e)) {
            meta.ignored_rows.push(r.row);
        } else {
            if let Some(a) = above.take().filter(|a| a.package_id == e.package_id && is_blank_line(a)) {
                // The number is on a later line of the package: that line stands for it.
                entries.pop();
                meta.ignored_rows.push(a.row);
            }
            above = Some(e.clone());
            match grouped_number(&e.number, &e.courier, platform) {
                Reading::One(n) => entries.push(RawEntry { number: n, ..e }),
                Reading::Two(a, b) => {
                    entries.push(RawEntry { number: a, ..e.clone() });
                    entries.push(RawEntry { number: b, ..e });
                }
                Reading::None => entries.push(e),
            }
        }
    }
    crate::sort::sort(&mut meta.ignored_rows);
    Ok((entries, meta))
}

/// True for a line without courier and number.
fn is_blank_line(e: &RawEntry) -> bool {
    e.courier.is_empty() && e.number.is_empty()
}

/// A further line of the package on the row above, as the transit export writes one line per
/// product: nothing of its own (blank, or the same courier and number copied down). One
/// package is one shipment, so the lines are one row, not a repeat to warn about.
fn continues(above: &RawEntry, e: &RawEntry) -> bool {
    e.package_id == above.package_id && (is_blank_line(e) || (e.courier == above.courier && e.number == above.number))
}

/// A number cell written in pieces with words around it (`7730 1234 5678 2件`,
/// `2026-12-06 SF1402 5581 33092`) read by its groups ([`groups`]) against the row's courier
/// (or the shape of exactly one courier). [`Reading::None`] for a cell of one piece (`'7730…`,
/// kept as written: validation normalises it) and for pieces no courier's shape takes.
fn grouped_number(cell: &str, courier: &str, platform: &[CourierEntry]) -> Reading {
    let chars: Vec<char> = to_half_width(cell).chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.iter().filter(|c| c.is_ascii_alphanumeric()).count() == 0
        || chars.split(|c| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).nth(1).is_none()
    {
        return Reading::None;
    }
    groups::read_for(&chars, courier, platform)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ship::couriers::default_couriers;

    fn rows(t: &[&[&str]]) -> Vec<RawRow> {
        t.iter()
            .enumerate()
            .map(|(i, r)| RawRow { row: i + 1, cells: r.iter().map(|s| s.to_string()).collect() })
            .collect()
    }

    #[test]
    fn header_words() {
        assert_eq!(header_kind("订单号"), Some(Kind::Package));
        assert_eq!(header_kind("小红书订单号"), Some(Kind::Package));
        assert_eq!(header_kind("快递单号"), Some(Kind::Number));
        assert_eq!(header_kind("物流单号"), Some(Kind::Number));
        assert_eq!(header_kind("物流公司"), Some(Kind::Courier));
        assert_eq!(header_kind("Tracking Number"), Some(Kind::Number));
        assert_eq!(header_kind("商品名称"), None);
    }

    #[test]
    fn by_header_after_a_title_row() {
        let t = rows(&[
            &["发货表 2026-11-21"],
            &["商品", "运单号", "物流公司", "订单号"],
            &["口红", "SF1234567890123", "顺丰", "P123456789012345"],
            &["合计", "", "", ""],
        ]);
        let (e, meta) = extract(t, &default_couriers()).unwrap();
        assert_eq!(
            e,
            vec![RawEntry {
                row: 3,
                package_id: "P123456789012345".into(),
                courier: "顺丰".into(),
                number: "SF1234567890123".into()
            }]
        );
        assert_eq!(meta.header_row, Some(2));
        assert_eq!(meta.package_column.unwrap().letter, "D");
        assert_eq!(meta.ignored_rows, vec![4]);
    }

    #[test]
    fn by_content_without_header() {
        let t = rows(&[&["中通", "773012345678", "P123456789012345"], &["韵达", "4312345678901", "P123456789012346"]]);
        let (e, meta) = extract(t, &default_couriers()).unwrap();
        assert_eq!(meta.header_row, None);
        assert_eq!(e[1].courier, "韵达");
        assert_eq!(e[1].number, "4312345678901");
    }

    #[test]
    fn the_surest_header_wins_and_inbound_or_upstream_columns_never_count() {
        assert_eq!(header_kind("入库快递单号"), None);
        assert_eq!(header_kind("上游订单号"), None);
        assert_eq!(header_kind("退货运单号"), None);
        // Every cell of the inbound and upstream columns looks like what the import wants.
        let t = rows(&[
            &["订单编号", "入库快递单号", "上游订单号", "备用快递单号", "快递单号", "包裹号", "快递公司"],
            &[
                "P700000000000000001",
                "YT7412345678901",
                "P123456789012349",
                "",
                "773012345678",
                "P123456789012345",
                "中通",
            ],
        ]);
        let (e, meta) = extract(t, &default_couriers()).unwrap();
        assert_eq!((e[0].package_id.as_str(), e[0].number.as_str()), ("P123456789012345", "773012345678"));
        assert_eq!(meta.number_column.unwrap().header, "快递单号");
        assert_eq!(meta.package_column.unwrap().header, "包裹号");
    }

    #[test]
    fn a_package_on_several_lines_is_one_entry() {
        let t = rows(&[
            &["包裹号", "商品", "快递公司", "快递单号"],
            &["P123456789012345", "杯", "中通", "773012345678"],
            &["P123456789012345", "盖", "", ""],
            &["P123456789012346", "杯", "", ""],
            &["P123456789012346", "盖", "韵达", "4312345678901"],
            &["P123456789012347", "杯", "韵达", "4312345678902"],
            &["P123456789012347", "盖", "韵达", "4312345678902"],
            &["P123456789012347", "碟", "韵达", "4312345678903"],
        ]);
        let (e, meta) = extract(t, &default_couriers()).unwrap();
        let got: Vec<(usize, &str)> = e.iter().map(|e| (e.row, e.number.as_str())).collect();
        // A different number on a further line is not a continuation: validation calls it out.
        assert_eq!(got, [(2, "773012345678"), (5, "4312345678901"), (6, "4312345678902"), (8, "4312345678903")]);
        assert_eq!(meta.ignored_rows, vec![3, 4, 7]);
    }

    #[test]
    fn missing_number_column_names_the_header_row() {
        let t = rows(&[&["订单号", "备注"], &["P123456789012345", "急"]]);
        let err = extract(t, &default_couriers()).unwrap_err();
        assert!(err.to_string().contains("运单号") && err.to_string().contains("第 1 行"), "{err}");
    }
}
