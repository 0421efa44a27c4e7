//! What transit.html shows (one row per pending package with its route) and the seller's
//! edits before export (upstream platform, upstream order number, inbound tracking, notes).
//! (The figures other domains read — paid orders per day, known orders, route counts — are
//! `collect::paid_by_day`, `collect::known_orders` and the live handle's kept counts.)

use super::collect::{paid_by_day, PaidDay, StoredPackage, StoredSku, TransitSnapshot};
use super::routes::{route_of, RouteBook, RouteCounts, RouteSource};
use super::table::china_time;
use super::Route;
use crate::order::leak::{kind_zh, scan_cell, ColumnClass};
use crate::order::mask::MaskedBuyer;
use crate::order::OrderError;
use serde::{Deserialize, Serialize};

/// One pending package as transit.html lists it (buyer fields masked). It borrows from the
/// snapshot: at 10,000 packages a cloned view doubled the worker's wasm memory while it was
/// written out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitRowView<'a> {
    /// `P…`.
    pub package_id: &'a str,
    /// Platform order ID.
    pub order_id: &'a str,
    /// Paid time, epoch ms, when known.
    pub paid_at_ms: Option<i64>,
    /// Paid time as `YYYY-MM-DD HH:mm:ss`, China time; empty when unknown.
    pub paid_at: String,
    /// Status code, when known.
    pub status: Option<u32>,
    /// The code and the text disagree, or neither is known: shown as such, never shipped by a run.
    pub unclear: bool,
    /// Why it is unclear (`status`: code and text; `noShipButton`: its row has no 发货), when it is.
    pub unclear_why: Option<super::rowsignal::UnclearWhy>,
    /// Status text.
    pub status_desc: &'a str,
    /// After-sale text.
    pub after_sale_status_desc: &'a str,
    /// Masked buyer fields.
    pub buyer: &'a MaskedBuyer,
    /// Order lines.
    pub skus: &'a [StoredSku],
    /// The route.
    pub route: Route,
    /// Where the route comes from.
    pub route_source: RouteSource,
    /// Upstream platform.
    pub upstream_platform: &'a str,
    /// Upstream order number.
    pub upstream_order_no: &'a str,
    /// Inbound tracking number.
    pub inbound_tracking: &'a str,
    /// Notes.
    pub notes: &'a str,
}

/// `TransitLive.view` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitView<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The first pending packages, oldest paid first (unknown times last), at most the limit
    /// asked: the page draws these first, and asks for more.
    pub rows: Vec<TransitRowView<'a>>,
    /// Pending packages in all (rows not sent included).
    pub total_rows: usize,
    /// Pending packages per route.
    pub counts: RouteCounts,
    /// Paid orders per China day (quota tier input), oldest first.
    pub paid_by_day: Vec<PaidDay>,
    /// Last change, epoch ms.
    pub updated_at_ms: i64,
}

/// Builds the page's view with its first `limit` rows; `counts` are the snapshot's route counts
/// (a live handle keeps them). With the paid-time index built (a live handle's snapshot), the
/// rows are read in order from it: the work is the rows sent, not the shop.
pub fn view<'a>(
    snap: &'a TransitSnapshot,
    book: Option<&RouteBook>,
    counts: RouteCounts,
    now_ms: i64,
    limit: usize,
) -> TransitView<'a> {
    let rows = first_rows(snap, limit).into_iter().map(|p| row_view(p, book)).collect();
    TransitView {
        shop_id: &snap.shop_id,
        rows,
        total_rows: snap.packages.len(),
        counts,
        paid_by_day: paid_by_day(snap, now_ms),
        updated_at_ms: snap.updated_at_ms,
    }
}

/// The first `limit` pending packages by paid time, then those without one (by ID).
fn first_rows(snap: &TransitSnapshot, limit: usize) -> Vec<&StoredPackage> {
    let untimed = snap.packages.values().filter(|p| p.paid_at_ms.is_none()).map(|p| &**p);
    match &snap.book.by_paid {
        Some(index) => index
            .iter()
            .filter_map(|(_, id)| snap.packages.get(id.as_str()).map(|p| &**p))
            .chain(untimed)
            .take(limit)
            .collect(),
        None => {
            let mut all: Vec<&StoredPackage> =
                snap.packages.values().filter(|p| p.paid_at_ms.is_some()).map(|p| &**p).collect();
            crate::sort::sort_by(&mut all, |a, b| {
                a.paid_at_ms.cmp(&b.paid_at_ms).then_with(|| a.package_id.cmp(&b.package_id))
            });
            all.into_iter().chain(untimed).take(limit).collect()
        }
    }
}

fn row_view<'a>(p: &'a StoredPackage, book: Option<&RouteBook>) -> TransitRowView<'a> {
    let (route, route_source) = route_of(book, p);
    TransitRowView {
        package_id: &p.package_id,
        order_id: &p.order_id,
        paid_at_ms: p.paid_at_ms,
        paid_at: p.paid_at_ms.map(china_time).unwrap_or_default(),
        status: p.status,
        unclear: p.is_unclear(),
        unclear_why: p.unclear_why(),
        status_desc: &p.status_desc,
        after_sale_status_desc: &p.after_sale_status_desc,
        buyer: &p.buyer,
        skus: &p.skus,
        route,
        route_source,
        upstream_platform: &p.edits.upstream_platform,
        upstream_order_no: &p.edits.upstream_order_no,
        inbound_tracking: &p.edits.inbound_tracking,
        notes: &p.edits.notes,
    }
}

/// `TransitLive.edit` request: fields left out are unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditRequest {
    /// The package.
    pub package_id: String,
    /// Upstream platform (淘宝, 拼多多, 1688 …).
    #[serde(default)]
    pub upstream_platform: Option<String>,
    /// Upstream order number.
    #[serde(default)]
    pub upstream_order_no: Option<String>,
    /// Inbound tracking number.
    #[serde(default)]
    pub inbound_tracking: Option<String>,
    /// Notes for the warehouse.
    #[serde(default)]
    pub notes: Option<String>,
}

const MAX_EDIT_CHARS: usize = 200;

/// Applies an edit. Refused (nothing changes) if the package is unknown, a value is too long
/// or holds what the leak guard would block at export (a phone number in a note …): better to
/// say so while the seller is typing than when the warehouse is waiting.
pub fn edit(mut snap: TransitSnapshot, req: &EditRequest, now_ms: i64) -> Result<TransitSnapshot, OrderError> {
    edit_in(&mut snap, req, now_ms)?;
    Ok(snap)
}

/// [`edit`] on a snapshot held in place (a live handle's); a refused edit changes nothing.
pub fn edit_in(snap: &mut TransitSnapshot, req: &EditRequest, now_ms: i64) -> Result<(), OrderError> {
    let p = snap
        .packages
        .get_mut(req.package_id.trim())
        .ok_or_else(|| OrderError::UnknownPackage(req.package_id.clone()))?;
    let fields: [(&'static str, &Option<String>, ColumnClass); 4] = [
        ("upstreamPlatform", &req.upstream_platform, ColumnClass::Plain),
        ("upstreamOrderNo", &req.upstream_order_no, ColumnClass::Identifier),
        ("inboundTracking", &req.inbound_tracking, ColumnClass::Identifier),
        ("notes", &req.notes, ColumnClass::Notes),
    ];
    let mut changes = Vec::new();
    for (slot, (field, new, class)) in fields.into_iter().enumerate() {
        let Some(new) = new else { continue };
        let new = new.trim();
        if new.chars().count() > MAX_EDIT_CHARS {
            return Err(OrderError::BadRequest { field, reason: format!("超过 {MAX_EDIT_CHARS} 个字") });
        }
        if let Some(kind) = scan_cell(new, class) {
            return Err(OrderError::BadRequest {
                field,
                reason: format!("含有{}，导出时会被拦截，请删除", kind_zh(kind)),
            });
        }
        changes.push((slot, new.to_string()));
    }
    // Checked whole before any is kept: a refused edit changes nothing.
    if !changes.is_empty() {
        let e = p.edits.get_mut();
        for (slot, new) in changes {
            let field = match slot {
                0 => &mut e.upstream_platform,
                1 => &mut e.upstream_order_no,
                2 => &mut e.inbound_tracking,
                _ => &mut e.notes,
            };
            *field = new;
        }
        p.edits.tidy();
    }
    snap.touch(req.package_id.trim());
    snap.updated_at_ms = now_ms;
    Ok(())
}
