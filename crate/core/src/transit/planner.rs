//! The quota planner: how many decrypts today's `supplier` orders need against what is left
//! of today's quota, which orders to move to the transit warehouse to stay within it, and the
//! wording for a quota raise (申请提额, reason 1) when the seller would rather not move them.
//!
//! `remaining` comes from the quota ledger (another domain) as a plain number; orders already
//! decrypted today cost nothing again (the platform counts per order per China day).

use super::collect::TransitSnapshot;
use super::routes::{route_of, RouteBook, RouteCounts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// `TransitLive.plan` request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanRequest {
    /// Decrypts left today (from the quota ledger). Negative values count as 0.
    pub remaining: i64,
    /// Packages already decrypted today: viewing them again is free.
    #[serde(default)]
    pub decrypted_today: Vec<String>,
}

/// The 申请提额 helper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RaiseHelper {
    /// The platform's reason number (1 of 5).
    pub reason_code: u8,
    /// The reason as the platform words it.
    pub reason: String,
    /// Where to apply.
    pub where_zh: String,
    /// How many more decrypts today's supplier orders need.
    pub short_by: u32,
    /// A ready-to-paste application text (Chinese).
    pub text_zh: String,
}

/// What the planner says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    /// Pending packages per route, as set now.
    pub counts: RouteCounts,
    /// Decrypts the `supplier` orders still need today.
    pub decrypts_needed: u32,
    /// Decrypts left today (as given, floored at 0).
    pub remaining: u32,
    /// `supplier` orders already decrypted today (free).
    pub already_decrypted: u32,
    /// True if the needed decrypts fit in what is left.
    pub fits: bool,
    /// `decrypts_needed - remaining` when positive.
    pub short_by: u32,
    /// Suggested moves to the warehouse (newest paid first, so the oldest orders keep going
    /// to the supplier): exactly `short_by` packages.
    pub move_to_warehouse: Vec<String>,
    /// Counts after those moves.
    pub counts_after_move: RouteCounts,
    /// The raise helper, present when the needed decrypts do not fit.
    pub raise: Option<RaiseHelper>,
}

/// The reason text of 申请提额 reason 1 (SPEC.md).
pub const RAISE_REASON_1: &str = "代发商家需要让供应商发货";

/// Plans today's decrypts.
pub fn plan(snap: &TransitSnapshot, book: Option<&RouteBook>, req: &PlanRequest) -> PlanView {
    let free: BTreeSet<&str> = req.decrypted_today.iter().map(String::as_str).collect();
    let remaining = u32::try_from(req.remaining.max(0)).unwrap_or(u32::MAX);
    let mut counts = RouteCounts::default();
    let mut needing: Vec<(i64, &str)> = Vec::new();
    let mut already = 0u32;
    // A package whose status is unclear may not need shipping at all: it is planned for once
    // the page says it waits.
    for p in snap.packages.values().filter(|p| !p.is_unclear()) {
        let (route, _) = route_of(book, p);
        counts.add(route);
        if route.needs_decrypt() {
            if free.contains(p.package_id.as_str()) {
                already += 1;
            } else {
                needing.push((p.paid_at_ms.unwrap_or(i64::MIN), p.package_id.as_str()));
            }
        }
    }
    let needed = u32::try_from(needing.len()).unwrap_or(u32::MAX);
    let short_by = needed.saturating_sub(remaining);
    // Newest first; ties by package ID so the suggestion is stable.
    crate::sort::sort_by(&mut needing, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let move_to_warehouse: Vec<String> = needing.iter().take(short_by as usize).map(|(_, id)| id.to_string()).collect();
    let mut after = counts;
    after.supplier -= move_to_warehouse.len();
    after.warehouse += move_to_warehouse.len();
    let raise = (short_by > 0).then(|| RaiseHelper {
        reason_code: 1,
        reason: RAISE_REASON_1.to_string(),
        where_zh: "店铺管理 → 隐私保护 → 申请提额".to_string(),
        short_by,
        text_zh: format!(
            "本店为代发商家，部分商品由供应商直接发货，供应商需要完整的收货信息。\
             今日待发的供应商代发订单共 {} 单，需要查看收货信息 {needed} 次，\
             当前剩余解密额度 {remaining} 次，缺口 {short_by} 次，特申请提高每日解密额度。",
            counts.supplier
        ),
    });
    PlanView {
        counts,
        decrypts_needed: needed,
        remaining,
        already_decrypted: already,
        fits: short_by == 0,
        short_by,
        move_to_warehouse,
        counts_after_move: after,
        raise,
    }
}
