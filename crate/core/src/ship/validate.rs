//! Normalises and validates imported rows into the preview: one verdict per row (`ok`,
//! `warning` or `error`) with reasons in Chinese and English, and counts.
//!
//! Rows are judged together: a number on two orders, or an order with two numbers, is an error
//! on every row involved, because the core cannot know which one is right.

use super::couriers::{check_shape, guess_from_number, lookup, CourierLookup};
use super::normalize::{is_package_id, is_scientific, normal_code, normalize_code};
use super::{CourierEntry, RawEntry, ValidationContext};
use crate::hash::FastMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A row's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Ready to fill.
    Ok,
    /// Can be filled; the user should look (e.g. courier guessed).
    Warning,
    /// Will not be filled.
    Error,
}

/// Why a row got its verdict. `code` is stable (the UI and tests key on it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// Stable code, e.g. `not-seen`, `unknown-order`, `duplicate-number`.
    pub code: String,
    /// Warning or error.
    pub level: Verdict,
    /// Chinese message.
    pub message: String,
    /// English message.
    pub message_en: String,
}

/// One preview row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// Position in the row list (stable key for edits).
    pub index: usize,
    /// 1-based row or line in the source.
    pub row: usize,
    /// Normalised package ID.
    pub package_id: String,
    /// Platform courier code (empty when none could be found).
    pub courier_code: String,
    /// Platform courier name, as the ship dialog shows it.
    pub courier_name: String,
    /// Normalised tracking number.
    pub number: String,
    /// The row as given, for editing.
    pub raw: RawEntry,
    /// Verdict.
    pub verdict: Verdict,
    /// Reasons (empty for `ok`).
    pub reasons: Vec<Reason>,
    /// True when the row goes into a fill plan (not an error, not a repeat of an earlier row).
    pub fillable: bool,
}

/// Where a column was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnView {
    /// Spreadsheet letter (A, B, …).
    pub letter: String,
    /// Header text (empty when found by content).
    pub header: String,
}

/// What the reader learnt about the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMeta {
    /// CSV text encoding (`UTF-8`, `GBK`, …).
    pub encoding: Option<String>,
    /// Workbook sheets (for the picker).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    /// Header row, when one was found.
    pub header_row: Option<usize>,
    /// Order column.
    pub package_column: Option<ColumnView>,
    /// Courier column.
    pub courier_column: Option<ColumnView>,
    /// Number column.
    pub number_column: Option<ColumnView>,
    /// Rows or lines skipped as not being orders (titles, totals, chat noise).
    pub ignored_rows: Vec<usize>,
}

/// Row counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCounts {
    /// All rows.
    pub total: usize,
    /// `ok` rows.
    pub ok: usize,
    /// `warning` rows.
    pub warning: usize,
    /// `error` rows.
    pub error: usize,
    /// Rows a fill plan would take.
    pub fillable: usize,
    /// Error rows whose only errors are orders not seen yet ([`NOT_SEEN`]): seeing the order on
    /// the list may make them fillable, so the ship page checks them again when the worker
    /// learns orders.
    #[serde(default)]
    pub unseen: usize,
}

/// The preview the ship page renders. It crosses to JS by column (its transport form is
/// `redship_bind::ship::PreviewForm`, crate/bind/src/ship_preview.rs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviewView {
    /// Counts.
    pub counts: PreviewCounts,
    /// The courier list the rows were judged against (the JSON rows refer to it by position).
    pub couriers: Vec<CourierEntry>,
    /// Rows in source order.
    pub rows: Vec<PreviewRow>,
    /// Source facts.
    pub meta: SourceMeta,
}

/// The reason code of an order the extension has not seen on the list yet (a well-formed package
/// ID): the one error that seeing the list can take away.
pub const NOT_SEEN: &str = "not-seen";

pub(super) fn reason(code: &str, level: Verdict, zh: String, en: String) -> Reason {
    Reason { code: code.to_string(), level, message: zh, message_en: en }
}

pub(super) fn err(code: &str, zh: String, en: String) -> Reason {
    reason(code, Verdict::Error, zh, en)
}

/// What a courier text means, as a position in the platform list: found once per distinct text
/// (couriers repeat down a sheet, and a lookup normalises every platform and alias name), so a
/// row costs a map probe and no copy of the courier.
#[derive(Debug, Clone)]
enum Found {
    Offered(usize),
    NotOffered(String),
    Unknown,
}

fn cached_lookup<'c>(raw: &str, platform: &[CourierEntry], cache: &'c mut FastMap<String, Found>) -> &'c Found {
    if !cache.contains_key(raw) {
        let found = match lookup(raw, platform) {
            CourierLookup::Offered(c) => platform.iter().position(|p| *p == c).map_or(Found::Unknown, Found::Offered),
            CourierLookup::NotOffered(name) => Found::NotOffered(name),
            CourierLookup::Unknown => Found::Unknown,
        };
        cache.insert(raw.to_owned(), found);
    }
    &cache[raw]
}

/// What the list last said of an order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seen {
    Waiting,
    Closed,
    Unclear,
}

/// Orders seen (normalised package ID → state) and numbers used (normalised number → the
/// packages it is on), borrowing the request's texts where they are already normal.
struct Context<'a> {
    known: FastMap<Cow<'a, str>, Seen>,
    used: FastMap<Cow<'a, str>, Vec<Cow<'a, str>>>,
}

impl<'a> Context<'a> {
    fn new(ctx: &'a ValidationContext) -> Self {
        let mut known = FastMap::with_capacity_and_hasher(ctx.known_orders.len(), Default::default());
        for o in &ctx.known_orders {
            let seen = match (o.waiting, o.unclear) {
                (true, _) => Seen::Waiting,
                (false, true) => Seen::Unclear,
                (false, false) => Seen::Closed,
            };
            known.insert(normal_code(&o.package_id), seen);
        }
        let mut used: FastMap<_, Vec<_>> = FastMap::default();
        for u in &ctx.used_numbers {
            used.entry(normal_code(&u.number)).or_default().push(normal_code(&u.package_id));
        }
        Self { known, used }
    }
}

/// Per-row checks that need no other row.
fn check_row(
    index: usize,
    raw: RawEntry,
    ctx: &Context,
    platform: &[CourierEntry],
    lookups: &mut FastMap<String, Found>,
) -> PreviewRow {
    let package_id = normalize_code(&raw.package_id);
    let number = normalize_code(&raw.number);
    let mut reasons = Vec::new();
    if package_id.is_empty() {
        reasons.push(err("missing-order", "这一行没有订单号".into(), "no order ID on this row".into()));
    } else if !is_package_id(&package_id) {
        reasons.push(err(
            "unknown-order",
            format!("订单号「{package_id}」格式不对：应为 P 加 15 位以上数字（包裹号）"),
            format!("order ID {package_id} is not a package ID (P + 15 or more digits)"),
        ));
    } else {
        match ctx.known.get(package_id.as_str()) {
            None => reasons.push(err(
                NOT_SEEN,
                format!("还没见过订单 {package_id}：请在工作台打开「待发货」列表并翻页，RedShip 看到它后这一行会自动重新检查"),
                format!("order {package_id} has not been seen yet: open the workbench's 待发货 (to ship) list and page through it; this row is checked again by itself once RedShip sees it"),
            )),
            Some(Seen::Closed) => reasons.push(err(
                "not-waiting",
                format!("订单 {package_id} 已不是待发货状态（可能已发货或已取消）"),
                format!("order {package_id} is no longer waiting to ship (shipped or cancelled)"),
            )),
            Some(Seen::Unclear) => reasons.push(err(
                "status-unclear",
                format!("订单 {package_id} 的状态不明确（状态码、状态文字和列表上的「发货」按钮对不上）：请在工作台确认它仍是待发货，刷新列表后再检查"),
                format!("order {package_id} has an unclear status (its code, its text and its row's 发货 button disagree): check on the workbench that it still waits to ship, reload the list, then check again"),
            )),
            Some(Seen::Waiting) => {}
        }
    }
    // Typed into a General cell and saved as CSV by Excel: say so, instead of a shape error.
    let mangled = is_scientific(&raw.number);
    if number.is_empty() {
        reasons.push(err("missing-number", "这一行没有运单号".into(), "no tracking number on this row".into()));
    } else if mangled {
        let shown = raw.number.trim();
        reasons.push(err(
            "number-scientific",
            format!("运单号「{shown}」是 Excel 的科学计数法，后几位已经丢失：请在 Excel 里把运单号这一列设为「文本」，重新填入完整单号后再导入（或另存为 .xlsx 后导入）"),
            format!("{shown} is Excel's scientific notation and its last digits are lost: format the number column as Text, type the full numbers again and import (or save as .xlsx and import that)"),
        ));
    }
    let mut courier: Option<&CourierEntry> = None;
    if raw.courier.trim().is_empty() {
        match guess_from_number(&number, platform).and_then(|g| platform.iter().find(|c| **c == g)) {
            Some(c) => {
                reasons.push(reason(
                    "courier-guessed",
                    Verdict::Warning,
                    format!("没有填快递公司，按运单号前缀判断为「{}」，请核对", c.name),
                    format!("no courier given; {} guessed from the number's prefix — please check", c.name),
                ));
                courier = Some(c);
            }
            None if !number.is_empty() => reasons.push(err(
                "courier-missing",
                "没有填快递公司，也无法从运单号判断".into(),
                "no courier given and the number does not tell which".into(),
            )),
            None => {}
        }
    } else {
        match cached_lookup(&raw.courier, platform, lookups) {
            Found::Offered(c) => courier = platform.get(*c),
            Found::NotOffered(name) => reasons.push(err(
                "courier-not-offered",
                format!("平台的物流公司列表里没有「{name}」"),
                format!("the platform does not offer the courier {name}"),
            )),
            Found::Unknown => reasons.push(err(
                "courier-not-offered",
                format!("无法识别快递公司「{}」，平台列表里没有它", raw.courier.trim()),
                format!("unknown courier \"{}\": not on the platform's list", raw.courier.trim()),
            )),
        }
    }
    if let (Some(c), false) = (&courier, number.is_empty() || mangled) {
        if let Err(m) = check_shape(&c.code, &number) {
            reasons.push(err(
                "number-mismatch",
                format!("运单号 {number} 不符合{}的格式（应为 {}）", c.name, m.expected_zh),
                format!("{number} does not fit {} numbers ({})", c.name, m.expected_en),
            ));
        }
    }
    if !number.is_empty() {
        if let Some(other) = ctx.used.get(number.as_str()).and_then(|pkgs| pkgs.iter().find(|p| **p != package_id)) {
            reasons.push(err(
                "already-used",
                format!("运单号 {number} 已用于订单 {other}"),
                format!("{number} is already used on order {other}"),
            ));
        }
    }
    let (courier_code, courier_name) = courier.map(|c| (c.code.clone(), c.name.clone())).unwrap_or_default();
    PreviewRow {
        index,
        row: raw.row,
        package_id,
        courier_code,
        courier_name,
        number,
        raw,
        verdict: Verdict::Ok,
        reasons,
        fillable: true,
    }
}

/// Validates all rows together and builds the preview.
pub fn validate(entries: Vec<RawEntry>, ctx: &ValidationContext, meta: SourceMeta) -> PreviewView {
    let platform = ctx.courier_list();
    let context = Context::new(ctx);
    let mut lookups = FastMap::default();
    let mut rows: Vec<PreviewRow> =
        entries.into_iter().enumerate().map(|(i, e)| check_row(i, e, &context, &platform, &mut lookups)).collect();
    super::duplicates::cross_checks(&mut rows);
    let mut counts = PreviewCounts { total: rows.len(), ..PreviewCounts::default() };
    for r in &mut rows {
        r.verdict = r.reasons.iter().map(|x| x.level).max().unwrap_or(Verdict::Ok);
        r.fillable = r.fillable && r.verdict != Verdict::Error;
        match r.verdict {
            Verdict::Ok => counts.ok += 1,
            Verdict::Warning => counts.warning += 1,
            Verdict::Error => counts.error += 1,
        }
        counts.fillable += usize::from(r.fillable);
        let errors = || r.reasons.iter().filter(|x| x.level == Verdict::Error);
        counts.unseen += usize::from(r.verdict == Verdict::Error && errors().all(|x| x.code == NOT_SEEN));
    }
    PreviewView { counts, couriers: platform, rows, meta }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ship::KnownOrder;

    fn entry(row: usize, package_id: &str, number: &str) -> RawEntry {
        RawEntry { row, package_id: package_id.into(), courier: "中通".into(), number: number.into() }
    }

    #[test]
    fn rows_waiting_only_on_an_order_not_seen_are_counted_and_turn_ok_once_it_is_seen() {
        let rows = vec![
            entry(1, "P100000000000001", "773012345601"), // not seen: counted
            entry(2, "P100000000000002", ""),             // not seen and no number: not counted
            entry(3, "ABC", "773012345603"),              // no package ID: not counted
        ];
        let v = validate(rows.clone(), &ValidationContext::default(), SourceMeta::default());
        assert_eq!(v.rows[0].reasons[0].code, NOT_SEEN);
        assert_eq!(v.rows[2].reasons[0].code, "unknown-order");
        assert_eq!((v.counts.error, v.counts.unseen), (3, 1));
        let seen = |id: &str| KnownOrder { package_id: id.into(), waiting: true, unclear: false };
        let ctx = ValidationContext { known_orders: vec![seen("P100000000000001")], ..Default::default() };
        let v = validate(rows, &ctx, SourceMeta::default());
        assert_eq!((v.rows[0].verdict, v.counts.unseen), (Verdict::Ok, 0));
    }
}
