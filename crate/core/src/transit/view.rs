//! What transit.html shows (one row per pending package with its route) and the seller's
//! edits before export (upstream platform, upstream order number, inbound tracking, notes).
//!
//! Also the figures other domains read from the snapshot: paid orders per China day (quota
//! tier), known orders (tracking validation) and route counts.

use super::collect::{known_orders, paid_by_day, KnownOrder, PaidDay, StoredSku, TransitSnapshot};
use super::routes::{route_counts, route_of, RouteBook, RouteCounts, RouteSource};
use super::table::china_time;
use super::Route;
use crate::order::leak::{kind_zh, scan_cell, ColumnClass};
use crate::order::mask::MaskedBuyer;
use crate::order::OrderError;
use serde::{Deserialize, Serialize};

/// One pending package as transit.html lists it (buyer fields masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitRowView {
    /// `P…`.
    pub package_id: String,
    /// Platform order ID.
    pub order_id: String,
    /// Paid time, epoch ms.
    pub paid_at_ms: i64,
    /// Paid time as `YYYY-MM-DD HH:mm:ss`, China time.
    pub paid_at: String,
    /// Status code.
    pub status: u32,
    /// Status text.
    pub status_desc: String,
    /// After-sale text.
    pub after_sale_status_desc: String,
    /// Masked buyer fields.
    pub buyer: MaskedBuyer,
    /// Order lines.
    pub skus: Vec<StoredSku>,
    /// The route.
    pub route: Route,
    /// Where the route comes from.
    pub route_source: RouteSource,
    /// Upstream platform.
    pub upstream_platform: String,
    /// Upstream order number.
    pub upstream_order_no: String,
    /// Inbound tracking number.
    pub inbound_tracking: String,
    /// Notes.
    pub notes: String,
}

/// `transitView` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitView {
    /// The shop.
    pub shop_id: String,
    /// Pending packages, oldest paid first.
    pub rows: Vec<TransitRowView>,
    /// Pending packages per route.
    pub counts: RouteCounts,
    /// Paid orders per China day (quota tier input), oldest first.
    pub paid_by_day: Vec<PaidDay>,
    /// Known packages for tracking validation.
    pub known_orders: Vec<KnownOrder>,
    /// Last change, epoch ms.
    pub updated_at_ms: i64,
}

/// Builds the page's view.
pub fn view(snap: &TransitSnapshot, book: Option<&RouteBook>, now_ms: i64) -> TransitView {
    let mut rows: Vec<TransitRowView> = snap
        .packages
        .values()
        .map(|p| {
            let (route, route_source) = route_of(book, p);
            TransitRowView {
                package_id: p.package_id.clone(),
                order_id: p.order_id.clone(),
                paid_at_ms: p.paid_at_ms,
                paid_at: china_time(p.paid_at_ms),
                status: p.status,
                status_desc: p.status_desc.clone(),
                after_sale_status_desc: p.after_sale_status_desc.clone(),
                buyer: p.buyer.clone(),
                skus: p.skus.clone(),
                route,
                route_source,
                upstream_platform: p.edits.upstream_platform.clone(),
                upstream_order_no: p.edits.upstream_order_no.clone(),
                inbound_tracking: p.edits.inbound_tracking.clone(),
                notes: p.edits.notes.clone(),
            }
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| a.paid_at_ms.cmp(&b.paid_at_ms).then_with(|| a.package_id.cmp(&b.package_id)));
    TransitView {
        shop_id: snap.shop_id.clone(),
        rows,
        counts: route_counts(snap, book),
        paid_by_day: paid_by_day(snap, now_ms),
        known_orders: known_orders(snap),
        updated_at_ms: snap.updated_at_ms,
    }
}

/// `transitEdit` request: fields left out are unchanged.
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
    let p = snap
        .packages
        .get_mut(req.package_id.trim())
        .ok_or_else(|| OrderError::UnknownPackage(req.package_id.clone()))?;
    let fields: [(&'static str, &Option<String>, &mut String, ColumnClass); 4] = [
        ("upstreamPlatform", &req.upstream_platform, &mut p.edits.upstream_platform, ColumnClass::Plain),
        ("upstreamOrderNo", &req.upstream_order_no, &mut p.edits.upstream_order_no, ColumnClass::Identifier),
        ("inboundTracking", &req.inbound_tracking, &mut p.edits.inbound_tracking, ColumnClass::Identifier),
        ("notes", &req.notes, &mut p.edits.notes, ColumnClass::Notes),
    ];
    let mut changes = Vec::new();
    for (field, new, slot, class) in fields {
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
    for (slot, new) in changes {
        *slot = new;
    }
    snap.updated_at_ms = now_ms;
    Ok(snap)
}
