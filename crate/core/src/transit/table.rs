//! The export table: one row per order line of the chosen packages, columns as the template
//! says. Both file writers (CSV, XLSX) render this same table, and both read their file back
//! and hand it to the leak scan before anything is returned.
//!
//! Every buyer field is passed through the masker again here (the snapshot is masked already;
//! this makes the export safe even against an old or hand-edited record).

use super::collect::{StoredPackage, StoredSku, TransitSnapshot};
use super::routes::{route_of, RouteBook};
use super::template::{Field, Template};
use super::{neutralise, ExportError, Route};
use crate::chinaday::{ChinaDay, CHINA_OFFSET_MS, DAY_MS};
use crate::order::leak::{scan_table, ColumnClass};
use crate::order::mask::{mask_address, mask_name, mask_phone, mask_text};
use serde::{Deserialize, Serialize};

/// `TransitLive.exportCsv` / `transitExportXlsx` request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// Template to use; the selected one when absent.
    #[serde(default)]
    pub template_id: Option<String>,
    /// Routes to include; `["warehouse"]` when absent (the file is for the warehouse).
    #[serde(default)]
    pub routes: Option<Vec<Route>>,
    /// Only these packages, when given.
    #[serde(default)]
    pub package_ids: Option<Vec<String>>,
}

/// A produced file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportFile {
    /// The file's bytes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Suggested file name.
    pub file_name: String,
    /// MIME type.
    pub mime: String,
    /// Data rows (order lines).
    pub rows: usize,
    /// Packages exported.
    pub packages: usize,
    /// Package IDs exported, in file order.
    pub package_ids: Vec<String>,
}

/// One cell: text, or a number (quantities, so spreadsheets can sum them).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, already neutralised against formulas.
    Text(String),
    /// A whole number.
    Number(u32),
}

impl Cell {
    /// The cell as the CSV shows it.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// The table both writers render.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Header texts (neutralised).
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<Cell>>,
    /// How each column is scanned by the leak guard.
    pub classes: Vec<ColumnClass>,
    /// The package-ID column, if the template has one.
    pub id_column: Option<usize>,
    /// Package IDs in file order.
    pub package_ids: Vec<String>,
    /// The columns the warehouse types into (courier, tracking number), 0-based.
    pub typed_in: Vec<usize>,
}

/// The leak-scan class of a field.
pub fn class_of(f: Field) -> ColumnClass {
    match f {
        Field::Receiver | Field::Phone | Field::Address | Field::BuyerRemark => ColumnClass::Buyer,
        Field::Notes => ColumnClass::Notes,
        Field::PackageId
        | Field::OrderId
        | Field::SkuId
        | Field::UpstreamOrderNo
        | Field::InboundTracking
        | Field::Courier
        | Field::TrackingNumber => ColumnClass::Identifier,
        Field::PaidAt | Field::Product | Field::Spec | Field::Quantity | Field::UpstreamPlatform | Field::Route => {
            ColumnClass::Plain
        }
    }
}

/// `YYYY-MM-DD HH:mm:ss` in China time.
pub fn china_time(ms: i64) -> String {
    let secs = (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 1000;
    format!("{} {:02}:{:02}:{:02}", ChinaDay::from_ms(ms).iso(), secs / 3600, secs / 60 % 60, secs % 60)
}

fn cell(p: &StoredPackage, line: Option<&StoredSku>, route: Route, f: Field) -> Cell {
    let e = &p.edits;
    let text = match f {
        Field::PackageId => p.package_id.to_string(),
        Field::OrderId => p.order_id.to_string(),
        Field::PaidAt => p.paid_at_ms.map(china_time).unwrap_or_default(),
        Field::Product => line.map(|s| s.name.to_string()).unwrap_or_default(),
        Field::Spec => line.map(|s| s.spec.to_string()).unwrap_or_default(),
        Field::SkuId => line.map(|s| s.sku_id.to_string()).unwrap_or_default(),
        Field::Quantity => match line.map(|s| s.quantity) {
            Some(Some(q)) => return Cell::Number(q),
            // Unknown: the column is left empty rather than guessed.
            _ => String::new(),
        },
        Field::Receiver => mask_text(&mask_name(&p.buyer.receiver)),
        // Parcels stay in China: a country code would only start the cell with `+`, which the
        // formula guard then quotes.
        Field::Phone => mask_text(&mask_phone(&p.buyer.phone)).trim_start_matches("+86").to_string(),
        Field::Address => mask_text(&mask_address(&p.buyer.address)),
        Field::BuyerRemark => mask_text(&p.buyer.remark),
        Field::UpstreamPlatform => e.upstream_platform.clone(),
        Field::UpstreamOrderNo => e.upstream_order_no.clone(),
        Field::InboundTracking => e.inbound_tracking.clone(),
        Field::Notes => e.notes.clone(),
        Field::Route => route.label_zh().to_string(),
        // The warehouse's columns: left empty for it to type into.
        Field::Courier | Field::TrackingNumber => String::new(),
    };
    Cell::Text(neutralise(&text))
}

/// Builds the table for `req` with `template`. Packages are ordered by paid time, then ID.
pub fn build(
    snap: &TransitSnapshot,
    book: Option<&RouteBook>,
    template: &Template,
    req: &ExportRequest,
) -> Result<Table, ExportError> {
    super::template::validate(template)?;
    let mut rows = Vec::new();
    let mut package_ids = Vec::new();
    for (p, route) in chosen(snap, book, req)? {
        package_ids.push(p.package_id.to_string());
        let lines: Vec<Option<&StoredSku>> =
            if p.skus.is_empty() { vec![None] } else { p.skus.iter().map(Some).collect() };
        for line in lines {
            rows.push(template.columns.iter().map(|c| cell(p, line, route, c.field)).collect());
        }
    }
    Ok(Table {
        header: template.columns.iter().map(|c| neutralise(&c.header)).collect(),
        rows,
        classes: template.columns.iter().map(|c| class_of(c.field)).collect(),
        id_column: template.columns.iter().position(|c| c.field == Field::PackageId),
        package_ids,
        typed_in: (0..template.columns.len())
            .filter(|&i| matches!(template.columns[i].field, Field::Courier | Field::TrackingNumber))
            .collect(),
    })
}

/// The part of the snapshot an export of `req` reads (its packages, nothing else): what the
/// live snapshot hands the office module for an XLSX file, instead of the whole shop.
pub fn export_part(
    snap: &TransitSnapshot,
    book: Option<&RouteBook>,
    req: &ExportRequest,
) -> Result<TransitSnapshot, ExportError> {
    let mut part = TransitSnapshot::new(&snap.shop_id);
    part.updated_at_ms = snap.updated_at_ms;
    for (p, _) in chosen(snap, book, req)? {
        part.packages.insert(p.package_id.clone(), Box::new(p.clone()));
    }
    Ok(part)
}

/// The packages an export of `req` holds with their routes, in file order.
fn chosen<'a>(
    snap: &'a TransitSnapshot,
    book: Option<&RouteBook>,
    req: &ExportRequest,
) -> Result<Vec<(&'a StoredPackage, Route)>, ExportError> {
    let routes = req.routes.clone().unwrap_or_else(|| vec![Route::Warehouse]);
    if let Some(ids) = &req.package_ids {
        if let Some(missing) = ids.iter().find(|id| !snap.packages.contains_key(id.as_str())) {
            return Err(ExportError::Empty(format!("包裹 {missing} 不在待发货列表中")));
        }
    }
    let mut chosen: Vec<(&StoredPackage, Route)> = snap
        .packages
        .values()
        // A package whose status is unclear goes only when chosen by ID (it may have shipped).
        .filter(|p| match &req.package_ids {
            Some(ids) => ids.iter().any(|id| p.package_id == *id),
            None => !p.is_unclear(),
        })
        .map(|p| (&**p, route_of(book, p).0))
        .filter(|(_, r)| routes.contains(r))
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = routes.iter().map(|r| r.label_zh()).collect();
        return Err(ExportError::Empty(format!("发货方式为「{}」的待发货订单为 0", names.join("、"))));
    }
    // Unknown times last.
    crate::sort::sort_by(&mut chosen, |a, b| {
        let t = |p: &StoredPackage| p.paid_at_ms.unwrap_or(i64::MAX);
        t(a.0).cmp(&t(b.0)).then_with(|| a.0.package_id.cmp(&b.0.package_id))
    });
    Ok(chosen)
}

/// The final leak scan over what a writer produced and read back (header row first).
pub fn scan_read_back(table: &Table, read_back: &[Vec<String>]) -> Result<(), ExportError> {
    let (header, rows) = read_back.split_first().ok_or_else(|| ExportError::Writer("读回的文件为空".into()))?;
    if header != &table.header || rows.len() != table.rows.len() {
        return Err(ExportError::Writer("读回的文件与生成的内容不一致".into()));
    }
    scan_table(header, rows, &table.classes, table.id_column)?;
    Ok(())
}

/// `中转仓订单_<shop>_<YYYYMMDD-HHmm>.<ext>` in China time (file-name-safe).
pub fn file_name(shop_id: &str, now_ms: i64, ext: &str) -> String {
    let t = china_time(now_ms);
    let stamp: String = t.chars().filter(char::is_ascii_digit).take(12).collect();
    let shop: String = shop_id.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_').take(32).collect();
    let (d, hm) = stamp.split_at(8.min(stamp.len()));
    format!("中转仓订单_{shop}_{d}-{hm}.{ext}")
}
