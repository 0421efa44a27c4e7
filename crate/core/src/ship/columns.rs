//! Finds the order, courier and number columns of a table: by header (Chinese or English, in
//! any of the first rows, after title rows) or, when there is no header, by what the cells
//! contain. Then turns each data row into a [`RawEntry`].

use super::couriers::{lookup, CourierLookup};
use super::groups::{self, Reading};
use super::normalize::{is_package_id, looks_like_number, normal_code, normalize_header, to_half_width};
use super::table::Table;
use super::validate::{ColumnView, SourceMeta};
use super::{column_letter, CourierEntry, ImportError, RawEntry, RawRow};
use crate::hash::FastMap;

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

/// Share of the non-empty cells of column `col` in the rows from `from` on that look like `kind`.
fn content_score(t: &dyn Table, from: usize, col: usize, kind: Kind, platform: &[CourierEntry]) -> f64 {
    let cells: Vec<&str> =
        (from..t.rows()).filter_map(|i| t.cell(i, col)).filter(|c| !c.trim().is_empty()).take(200).collect();
    if cells.is_empty() {
        return 0.0;
    }
    // A courier lookup normalises every platform and alias name: once per distinct text (a
    // sheet's couriers are a handful of names, repeated down the column).
    let mut couriers: FastMap<&str, bool> = FastMap::default();
    let hits = cells
        .iter()
        .filter(|c| match kind {
            Kind::Package => is_package_id(&normal_code(c)),
            Kind::Number => looks_like_number(&normal_code(c)),
            Kind::Courier => *couriers.entry(c).or_insert_with(|| lookup(c, platform) != CourierLookup::Unknown),
        })
        .count();
    hits as f64 / cells.len() as f64
}

/// The first row (among the first ten) that names at least one column and holds no package ID.
fn find_header(t: &dyn Table) -> Option<usize> {
    (0..t.rows().min(10)).find(|&i| {
        let cells = || (0..t.width(i)).filter_map(|c| t.cell(i, c));
        cells().any(|c| header_kind(c).is_some()) && !cells().any(|c| is_package_id(&normal_code(c)))
    })
}

/// Finds the columns and extracts the entries. Errors when no order or number column exists.
/// Takes the rows: the entries keep their cells' texts instead of copies.
pub fn extract(mut rows: Vec<RawRow>, platform: &[CourierEntry]) -> Result<(Vec<RawEntry>, SourceMeta), ImportError> {
    extract_table(&mut rows, platform)
}

/// [`extract`] from any [`Table`] (a CSV's [`super::table::CellText`]). A trait object, not a
/// generic: one copy of the column finding in the main module, whose size is guarded.
pub fn extract_table(t: &mut dyn Table, platform: &[CourierEntry]) -> Result<(Vec<RawEntry>, SourceMeta), ImportError> {
    if t.rows() == 0 {
        return Err(ImportError::Empty("没有数据行"));
    }
    let header = find_header(t);
    let data_from = header.map_or(0, |i| i + 1);
    let width = (0..t.rows()).map(|i| t.width(i)).max().unwrap_or(0);
    let header_cell = |c: usize| header.and_then(|h| t.cell(h, c));
    let mut taken: Vec<usize> = Vec::new();
    let pick = |kind: Kind, taken: &mut Vec<usize>| -> Option<usize> {
        // Header candidates first (best content wins among them); without any, content alone.
        let ranked: Vec<(usize, u8)> = header
            .map(|h| {
                (0..t.width(h))
                    .filter_map(|c| header_rank(header_cell(c)?).filter(|(k, _)| *k == kind).map(|(_, r)| (c, r)))
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
            .map(|c| (c, content_score(t, data_from, c, kind, platform)))
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
    let header_row = header.map(|h| t.row_number(h));
    let (where_, where_en) = match header_row {
        Some(row) => (format!("（表头在第 {row} 行）"), format!(" (header on row {row})")),
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
        c.map(|c| ColumnView { letter: column_letter(c), header: header_cell(c).unwrap_or_default().to_string() })
    };
    let mut meta = SourceMeta {
        header_row,
        package_column: column_view(Some(package)),
        courier_column: column_view(courier),
        number_column: column_view(Some(number)),
        ..SourceMeta::default()
    };
    let mut entries: Vec<RawEntry> = Vec::with_capacity(t.rows() - data_from);
    // The row above as given: a package's further lines continue it (see `continues`). It is the
    // last entry pushed (the first of two when its cell read as two numbers), with its number as
    // written when the entry holds a reading of it: no copy of every row kept for the next one.
    let mut above: Option<Above> = None;
    let mut couriers = CourierCodes::default();
    for i in data_from..t.rows() {
        let mut e = RawEntry {
            row: t.row_number(i),
            package_id: t.take(i, package),
            courier: courier.map(|c| t.take(i, c)).unwrap_or_default(),
            number: t.take(i, number),
        };
        let above_entry = above.as_ref().and_then(|a| Some((a, entries.get(a.at)?)));
        if e.package_id.is_empty() && e.number.is_empty() {
            // Totals, notes and blank-ish rows: shown as ignored, never as orders.
            meta.ignored_rows.push(e.row);
        } else if above_entry.is_some_and(|(a, ae)| continues(ae, a.number(ae), &e)) {
            meta.ignored_rows.push(e.row);
        } else {
            if above_entry.is_some_and(|(a, ae)| ae.package_id == e.package_id && is_blank_line(ae, a.number(ae))) {
                // The number is on a later line of the package: that line stands for it.
                if let Some(gone) = entries.pop() {
                    meta.ignored_rows.push(gone.row);
                }
            }
            let at = entries.len();
            above = Some(match grouped_number(&e.number, &e.courier, platform, &mut couriers) {
                Reading::One(n) => {
                    let written = std::mem::replace(&mut e.number, n);
                    entries.push(e);
                    Above { at, written: Some(written) }
                }
                Reading::Two(a, b) => {
                    let written = e.number.clone();
                    entries.push(RawEntry { number: a, ..e.clone() });
                    entries.push(RawEntry { number: b, ..e });
                    Above { at, written: Some(written) }
                }
                Reading::None => {
                    entries.push(e);
                    Above { at, written: None }
                }
            });
        }
    }
    crate::sort::sort(&mut meta.ignored_rows);
    Ok((entries, meta))
}

/// The entry of the row above: where it is among the entries, and its number as written when
/// the entry holds a reading of it ([`grouped_number`]).
struct Above {
    at: usize,
    written: Option<String>,
}

impl Above {
    /// The number as written on the row above (`entry` is `entries[self.at]`).
    fn number<'a>(&'a self, entry: &'a RawEntry) -> &'a str {
        self.written.as_deref().unwrap_or(&entry.number)
    }
}

/// True for a line without courier and number.
fn is_blank_line(e: &RawEntry, number: &str) -> bool {
    e.courier.is_empty() && number.is_empty()
}

/// A further line of the package on the row above (`above`, whose number was written as
/// `above_number`), as the transit export writes one line per product: nothing of its own
/// (blank, or the same courier and number copied down). One package is one shipment, so the
/// lines are one row, not a repeat to warn about.
fn continues(above: &RawEntry, above_number: &str, e: &RawEntry) -> bool {
    e.package_id == above.package_id
        && (is_blank_line(e, &e.number) || (e.courier == above.courier && e.number == above_number))
}

/// The platform code each courier text of a sheet names (couriers repeat down a sheet, and a
/// lookup normalises every platform and alias name), looked up once per distinct text.
#[derive(Default)]
struct CourierCodes(FastMap<String, Option<String>>);

impl CourierCodes {
    fn code(&mut self, courier: &str, platform: &[CourierEntry]) -> Option<&str> {
        if !self.0.contains_key(courier) {
            self.0.insert(courier.to_owned(), groups::courier_code(courier, platform));
        }
        self.0.get(courier).and_then(Option::as_deref)
    }
}

/// A number cell written in pieces with words around it (`7730 1234 5678 2件`,
/// `2026-12-06 SF1402 5581 33092`) read by its groups ([`groups`]) against the row's courier
/// (or the shape of exactly one courier). [`Reading::None`] for a cell of one piece (`'7730…`,
/// kept as written: validation normalises it) and for pieces no courier's shape takes.
fn grouped_number(cell: &str, courier: &str, platform: &[CourierEntry], couriers: &mut CourierCodes) -> Reading {
    // Most cells are one piece of ASCII (`SF1402558133092`): settled without copying the cell.
    // (Half-width forms only change characters outside ASCII.)
    if cell.is_ascii() && cell.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).nth(1).is_none() {
        return Reading::None;
    }
    let chars: Vec<char> = to_half_width(cell).chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.iter().filter(|c| c.is_ascii_alphanumeric()).count() == 0
        || chars.split(|c| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).nth(1).is_none()
    {
        return Reading::None;
    }
    let code = couriers.code(courier, platform);
    groups::read_for_code(&chars, code, platform)
}

#[cfg(test)]
#[path = "tests_columns.rs"]
mod tests;
