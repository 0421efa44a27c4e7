//! Noticing packages that left the pending list without RedShip seeing them shipped.
//!
//! A seller who browses only the 待发货 tab never sees a shipped package again: it just stops
//! appearing. Two signals catch that without guessing:
//! - the page shipped it (the ship endpoint's answer said success) → [`close`];
//! - a list page whose packages are in paid-time order, under a status filter that covers the
//!   stored package, no longer holds it although its paid time lies well inside the page's
//!   window → [`reconcile_page`]. "Well inside": a margin of an hour on both ends, because the
//!   list may be sorted by order time while we compare paid times (an unpaid order is
//!   cancelled long before an hour passes).

use super::collect::{ClosedPackage, IngestView, TransitSnapshot};
use crate::order::package::is_package_id;
use crate::order::OrderError;
use serde_json::Value;
use std::collections::BTreeSet;

/// Status code recorded for a package that left the pending list unseen (or with no code).
pub const GONE: u32 = 0;
/// Status code recorded for a package the page shipped (6 = 已发货 in both families SPEC.md
/// shows; only a marker in RedShip's own record).
pub const SHIPPED: u32 = 6;
/// Margin on both ends of a page's paid-time window.
const MARGIN_MS: i64 = 3_600_000;

/// Moves a pending package to the closed list (e.g. the page shipped it). Returns whether it
/// was pending.
pub fn close(snap: &mut TransitSnapshot, package_id: &str, status: u32, now_ms: i64) -> bool {
    let was = snap.take_package(package_id).is_some();
    if was || !snap.closed.contains_key(package_id) {
        snap.put_closed(package_id, ClosedPackage { status, at_ms: now_ms, ship_button: false });
    }
    if was {
        snap.updated_at_ms = now_ms;
    }
    was
}

/// The page shipped `package_id` (the ship endpoint answered success): it leaves the pending
/// list now, before any list answer shows it shipped. Returns whether it was pending.
pub fn mark_shipped(snap: &mut TransitSnapshot, package_id: &str, now_ms: i64) -> Result<bool, OrderError> {
    let id = package_id.trim();
    if !is_package_id(id) {
        return Err(OrderError::BadRequest { field: "packageId", reason: format!("“{id}” 不是包裹号") });
    }
    Ok(close(snap, id, SHIPPED, now_ms))
}

/// The list request's status filter when `answer` is a list page summary carrying its request
/// (`{request: {status: [...]}, packages: [...]}`); `None` for anything else.
fn status_filter(answer: &Value) -> Option<BTreeSet<u32>> {
    let request = answer.get("request")?;
    answer.get("packages")?.as_array()?;
    match request.get("status") {
        None | Some(Value::Null) => Some(BTreeSet::new()),
        Some(Value::Array(a)) => {
            a.iter().map(|v| v.as_u64().and_then(|n| u32::try_from(n).ok())).collect::<Option<BTreeSet<u32>>>()
        }
        Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()).map(|n| BTreeSet::from([n])),
    }
}

/// Removes stored pending packages that this list page proves are no longer pending (see the
/// module header). `present` is every package ID the page holds, readable or not; `paid` its
/// packages with a readable time as `(id, paid_at_ms)` in page order.
pub fn reconcile_page(
    snap: &mut TransitSnapshot,
    answer: &Value,
    present: &BTreeSet<&str>,
    paid: &[(String, i64)],
    now_ms: i64,
    view: &mut IngestView,
) {
    let Some(filter) = status_filter(answer) else { return };
    if paid.len() < 2 {
        return;
    }
    let descending = paid.windows(2).all(|w| w[0].1 >= w[1].1);
    let ascending = paid.windows(2).all(|w| w[0].1 <= w[1].1);
    if !(descending || ascending) {
        return;
    }
    let lo = paid.iter().map(|p| p.1).min().unwrap_or(i64::MAX).saturating_add(MARGIN_MS);
    let hi = paid.iter().map(|p| p.1).max().unwrap_or(i64::MIN).saturating_sub(MARGIN_MS);
    // Only the packages paid inside the page's window are read (through the paid-time index
    // when a live handle built it): the work is the page's, not the shop's.
    let gone: Vec<String> = snap
        .paid_between(lo, hi)
        .into_iter()
        .filter(|id| !present.contains(id.as_str()))
        .filter(|id| {
            snap.packages
                .get(id.as_str())
                .is_some_and(|p| filter.is_empty() || p.status.is_some_and(|c| filter.contains(&c)))
        })
        .collect();
    for id in gone {
        if close(snap, &id, GONE, now_ms) {
            view.removed += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::profile::shipped;
    use crate::transit::collect::{ingest, IngestRequest};
    use crate::transit::fixtures::{id, page, pkg, HOUR, NOW};
    use serde_json::json;

    fn summary(pk: Vec<Value>, status: Value) -> Value {
        json!({"total": pk.len(), "request": {"page_no": 1, "page_size": 50, "status": status}, "packages": pk})
    }

    fn feed(snap: Option<TransitSnapshot>, answer: Value) -> (TransitSnapshot, IngestView) {
        ingest(snap, &IngestRequest { shop_id: "shop1".into(), answer }, &shipped(), NOW).expect("ingest")
    }

    #[test]
    fn a_package_missing_from_the_middle_of_a_pending_page_leaves() {
        let all: Vec<Value> = (1..=5).map(|n| pkg(n, 4, NOW - i64::from(n) * 2 * HOUR, "S")).collect();
        let (s, _) = feed(None, page(all.clone()));
        // The pending tab again: package 3 (paid 6 h ago, inside 2 h..10 h) is not there.
        let again: Vec<Value> = all.iter().filter(|p| p["packageId"] != id(3)).cloned().collect();
        let (s, v) = feed(Some(s), summary(again, json!([4, 5])));
        assert_eq!(v.removed, 1);
        assert!(!s.packages.contains_key(id(3).as_str()));
        assert_eq!(s.closed[&id(3)].status, GONE);
        // Edges of the window (1 and 5) are never judged; a shipped-tab page judges no pending one.
        let (s2, v2) = feed(Some(s.clone()), summary(vec![all[1].clone(), all[3].clone()], json!([4, 5])));
        assert_eq!(v2.removed, 0, "packages 1 and 5 are outside the window, 3 already gone");
        let (_, v3) = feed(Some(s2), summary(vec![pkg(8, 6, NOW, "S"), pkg(9, 6, NOW - 20 * HOUR, "S")], json!([6])));
        assert_eq!(v3.removed, 0);
    }

    #[test]
    fn unordered_pages_and_answers_without_their_request_judge_nothing() {
        let all: Vec<Value> = (1..=5).map(|n| pkg(n, 4, NOW - i64::from(n) * 2 * HOUR, "S")).collect();
        let (s, _) = feed(None, page(all.clone()));
        let (_, v) = feed(Some(s.clone()), summary(vec![all[4].clone(), all[0].clone(), all[3].clone()], json!([])));
        assert_eq!(v.removed, 0, "not in paid-time order");
        let (_, v) = feed(Some(s.clone()), page(vec![all[0].clone(), all[4].clone()]));
        assert_eq!(v.removed, 0, "no request: not a list page summary");
        let mut s = s;
        assert!(close(&mut s, &id(2), 6, NOW));
        assert!(!close(&mut s, &id(2), 6, NOW));
        assert_eq!(s.closed[&id(2)].status, 6);
        assert_eq!(mark_shipped(&mut s, &id(4), NOW), Ok(true));
        assert!(mark_shipped(&mut s, "P12", NOW).is_err());
    }
}
