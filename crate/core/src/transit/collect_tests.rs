//! Tests of collecting, routes, the planner, the page view and edits.

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::fixtures::{decrypted, id, page, pkg, HOUR, NOW};
use super::planner::{plan, PlanRequest, RAISE_REASON_1};
use super::routes::{route_counts, set_route, RouteBook, SetRouteRequest};
use super::view::{edit, view, EditRequest};
use super::Route;
use crate::chinaday::DAY_MS;
use crate::order::profile::shipped;
use crate::order::OrderError;
use serde_json::Value;

fn feed(snap: Option<TransitSnapshot>, answer: Value, now: i64) -> TransitSnapshot {
    let req = IngestRequest { shop_id: "shop1".into(), answer };
    ingest(snap, &req, &shipped(), now).expect("ingest").0
}

fn route(book: Option<RouteBook>, snap: &TransitSnapshot, scope: &str, key: &str, r: Option<Route>) -> RouteBook {
    let req = SetRouteRequest {
        scope: scope.into(),
        sku_id: (scope == "sku").then(|| key.to_string()),
        package_id: (scope == "order").then(|| key.to_string()),
        route: r,
    };
    set_route(book, snap, &req).expect("route set")
}

#[test]
fn pages_and_days_merge_without_duplicates_and_status_changes_remove() {
    let s = feed(None, page((1..=3).map(|n| pkg(n, 4, NOW - HOUR, "S1")).collect()), NOW);
    // Page 2, then page 1 again the next day with package 2 shipped and 3 cancelled.
    let s = feed(Some(s), page((4..=5).map(|n| pkg(n, 5, NOW - 2 * HOUR, "S2")).collect()), NOW);
    assert_eq!(s.packages.len(), 5);
    let req = IngestRequest {
        shop_id: "shop1".into(),
        answer: page(vec![pkg(1, 4, NOW - HOUR, "S1"), pkg(2, 6, NOW - HOUR, "S1"), pkg(3, 998, NOW - HOUR, "S1")]),
    };
    let (s, v) = ingest(Some(s), &req, &shipped(), NOW + DAY_MS).expect("ingest");
    assert_eq!((v.added, v.updated, v.removed, v.pending), (0, 1, 2, 3));
    let ids: Vec<&str> = s.packages.keys().map(|k| k.as_str()).collect();
    assert_eq!(ids, vec![&id(1), &id(4), &id(5)]);
    let known = super::collect::known_orders(&s);
    assert_eq!(known.len(), 5);
    assert!(known.iter().any(|k| k.package_id == id(2) && !k.waiting));
    assert!(known.iter().any(|k| k.package_id == id(1) && k.waiting));
    // Paid orders per China day count every package seen once, whatever its status.
    let days = super::collect::paid_by_day(&s, NOW + DAY_MS);
    assert_eq!(days.len(), 1);
    assert_eq!((days[0].day.as_str(), days[0].paid_orders), ("2026-11-21", 5));
}

#[test]
fn a_page_seen_again_unchanged_changes_nothing_and_any_difference_does() {
    let ingest_at = |snap: &TransitSnapshot, answer: Value, now: i64| {
        ingest(Some(snap.clone()), &IngestRequest { shop_id: "shop1".into(), answer }, &shipped(), now).expect("ingest")
    };
    let list = || page(vec![pkg(1, 4, NOW - HOUR, "S1"), pkg(2, 4, NOW - HOUR, "S1"), pkg(3, 6, NOW - HOUR, "S1")]);
    let (first, v) =
        ingest(None, &IngestRequest { shop_id: "shop1".into(), answer: list() }, &shipped(), NOW).expect("ingest");
    assert!(v.changed);
    assert_eq!(first.updated_at_ms, NOW);
    // The same page a minute later: same record, nothing to save (the closed package 3 is not
    // re-stamped within the hour).
    let (again, v) = ingest_at(&first, list(), NOW + 60_000);
    assert!(!v.changed);
    assert_eq!((v.updated, v.added, v.removed), (2, 0, 0));
    assert_eq!(again, first);
    // Each kind of difference is a change.
    let mut renamed = pkg(2, 4, NOW - HOUR, "S1");
    renamed["statusDesc"] = "待发货（已打单）".into();
    let changes = [
        ("a new package", page(vec![pkg(4, 4, NOW - HOUR, "S1")])),
        ("a status text", page(vec![renamed])),
        ("a package shipped", page(vec![pkg(1, 6, NOW - HOUR, "S1")])),
        ("a closed package back to waiting", page(vec![pkg(3, 4, NOW - HOUR, "S1")])),
    ];
    for (what, answer) in changes {
        let (s, v) = ingest_at(&first, answer, NOW + 60_000);
        assert!(v.changed, "{what}");
        assert_ne!(s, first, "{what}");
        assert_eq!(s.updated_at_ms, NOW + 60_000, "{what}");
    }
    // Hours later the closed package is re-stamped, so it is remembered from its last sighting.
    let (later, v) = ingest_at(&first, list(), NOW + 2 * HOUR);
    assert!(v.changed);
    assert_eq!(later.closed[&id(3)].at_ms, NOW + 2 * HOUR);
    // Nine days later the same two waiting packages alone: only forgetting changes the record
    // (the old paid day and the closed package 3 are past keeping), and that is a change too.
    let waiting = page(vec![pkg(1, 4, NOW - HOUR, "S1"), pkg(2, 4, NOW - HOUR, "S1")]);
    let (pruned, v) = ingest_at(&first, waiting, NOW + 9 * DAY_MS);
    assert!(v.changed);
    assert!(pruned.paid_days.is_empty() && pruned.closed.is_empty());
    assert_eq!(pruned.packages, first.packages);
}

#[test]
fn decrypted_plaintext_is_masked_before_it_is_stored() {
    let s = feed(None, page(vec![decrypted(pkg(1, 4, NOW, "S1"))]), NOW);
    let stored = serde_json::to_string(&s).expect("json");
    for plain in ["张三丰", "13812345678", "13912345678", "科技园", "18号", "zsf_2024", "11010519491231002X"] {
        assert!(!stored.contains(plain), "{plain} stored in {stored}");
    }
    let b = &s.packages[id(1).as_str()].buyer;
    assert_eq!(
        (b.receiver.as_str(), b.phone.as_str(), b.address.as_str()),
        ("张**", "138****5678", "广东省深圳市南山区****")
    );
    // Seeing the masked list again keeps it masked and does not duplicate.
    let s = feed(Some(s), page(vec![pkg(1, 4, NOW, "S1")]), NOW + 1);
    assert_eq!(s.packages.len(), 1);
}

#[test]
fn refused_and_foreign_answers_change_nothing() {
    let s = feed(None, page(vec![pkg(1, 4, NOW, "S1")]), NOW);
    let refused = serde_json::json!({"success": false, "code": 500, "msg": "系统繁忙", "data": null});
    let req = IngestRequest { shop_id: "shop1".into(), answer: refused };
    assert!(matches!(ingest(Some(s.clone()), &req, &shipped(), NOW), Err(OrderError::Refused(_))));
    let other = IngestRequest { shop_id: "shop2".into(), answer: page(vec![]) };
    assert!(ingest(Some(s), &other, &shipped(), NOW).is_err());
    let mut bad = pkg(2, 4, NOW, "S1");
    bad["packageId"] = "P123".into();
    let req = IngestRequest { shop_id: "shop1".into(), answer: page(vec![bad, pkg(3, 4, NOW, "S1")]) };
    let (s, v) = ingest(None, &req, &shipped(), NOW).expect("partial");
    assert_eq!((v.accepted, v.rejected.len(), s.packages.len()), (1, 1, 1));
    assert_eq!(v.rejected[0].index, 1);
}

#[test]
fn routes_per_sku_with_order_overrides() {
    let s = feed(None, page(vec![pkg(1, 4, NOW, "S1"), pkg(2, 4, NOW, "S1"), pkg(3, 4, NOW, "S2")]), NOW);
    assert_eq!(route_counts(&s, None).warehouse, 3);
    let b = route(None, &s, "sku", "S1", Some(Route::Supplier));
    let b = route(Some(b), &s, "order", &id(2), Some(Route::SelfShip));
    let c = route_counts(&s, Some(&b));
    assert_eq!((c.warehouse, c.supplier, c.self_ship, c.total), (1, 1, 1, 3));
    let b = route(Some(b), &s, "order", &id(2), None);
    assert_eq!(route_counts(&s, Some(&b)).supplier, 2);
    let bad =
        SetRouteRequest { scope: "order".into(), sku_id: None, package_id: Some(id(9)), route: Some(Route::Supplier) };
    assert!(matches!(set_route(Some(b.clone()), &s, &bad), Err(OrderError::UnknownPackage(_))));
    let bad = SetRouteRequest {
        scope: "sku".into(),
        sku_id: Some("S9".into()),
        package_id: None,
        route: Some(Route::Supplier),
    };
    assert!(set_route(Some(b), &s, &bad).is_err());
    let v = view(&s, None, route_counts(&s, None), NOW, 100);
    assert_eq!((v.rows.len(), v.total_rows), (3, 3));
    assert_eq!(v.rows[0].route, Route::Warehouse);
    // The first rows only, oldest paid first: the same with the paid-time index as without.
    let first: Vec<&str> = view(&s, None, route_counts(&s, None), NOW, 2).rows.iter().map(|r| r.package_id).collect();
    let mut indexed = s.clone();
    indexed.index_paid();
    let again: Vec<&str> =
        view(&indexed, None, route_counts(&s, None), NOW, 2).rows.iter().map(|r| r.package_id).collect();
    assert_eq!((first.len(), &first), (2, &again));
    // What each decrypt reads (the live handle's `paidByDay` and `counts`) is the view's.
    let b2 = route(None, &s, "sku", "S1", Some(Route::Supplier));
    let full = view(&s, Some(&b2), route_counts(&s, Some(&b2)), NOW, 100);
    assert_eq!(super::collect::paid_by_day(&s, NOW), full.paid_by_day);
    assert_eq!(full.counts.supplier, 2);
}

#[test]
fn planner_numbers_match_a_hand_computation() {
    // Six supplier orders paid an hour apart (1 oldest … 6 newest), one already decrypted
    // today, two warehouse orders, and 3 decrypts left.
    let mut pk: Vec<Value> = (1..=6).map(|n| pkg(n, 4, NOW - HOUR * (10 - i64::from(n)), "SUP")).collect();
    pk.push(pkg(7, 4, NOW, "WH"));
    pk.push(pkg(8, 4, NOW, "WH"));
    let s = feed(None, page(pk), NOW);
    let b = route(None, &s, "sku", "SUP", Some(Route::Supplier));
    let p = plan(&s, Some(&b), &PlanRequest { remaining: 3, decrypted_today: vec![id(1)] });
    // needed = 6 supplier - 1 already decrypted = 5; short = 5 - 3 = 2; move the 2 newest.
    assert_eq!((p.counts.supplier, p.counts.warehouse), (6, 2));
    assert_eq!((p.decrypts_needed, p.remaining, p.already_decrypted, p.short_by, p.fits), (5, 3, 1, 2, false));
    assert_eq!(p.move_to_warehouse, vec![id(6), id(5)]);
    assert_eq!((p.counts_after_move.supplier, p.counts_after_move.warehouse), (4, 4));
    let raise = p.raise.expect("raise helper");
    assert_eq!((raise.reason_code, raise.reason.as_str(), raise.short_by), (1, RAISE_REASON_1, 2));
    assert!(raise.text_zh.contains("缺口 2 次"), "{}", raise.text_zh);
    let p = plan(&s, Some(&b), &PlanRequest { remaining: 20, decrypted_today: vec![] });
    assert!(p.fits && p.raise.is_none() && p.move_to_warehouse.is_empty());
    assert_eq!(p.decrypts_needed, 6);
    assert_eq!(plan(&s, Some(&b), &PlanRequest { remaining: -4, decrypted_today: vec![] }).short_by, 6);
}

#[test]
fn edits_are_kept_and_privacy_in_them_is_refused() {
    let s = feed(None, page(vec![pkg(1, 4, NOW, "S1")]), NOW);
    let req = EditRequest {
        package_id: id(1),
        upstream_platform: Some("淘宝".into()),
        upstream_order_no: Some("3456789012345678901".into()),
        inbound_tracking: Some("SF1381234567890".into()),
        notes: Some("易碎".into()),
    };
    let s = edit(s, &req, NOW).expect("edit");
    // Survives a later list answer.
    let s = feed(Some(s), page(vec![pkg(1, 4, NOW, "S1")]), NOW + 1);
    assert_eq!(s.packages[id(1).as_str()].edits.upstream_platform, "淘宝");
    let leak = EditRequest { package_id: id(1), notes: Some("买家电话13812345678".into()), ..Default::default() };
    let e = edit(s.clone(), &leak, NOW).expect_err("refused");
    assert!(e.to_string().contains("手机号"), "{e}");
    let unknown = EditRequest { package_id: id(9), ..Default::default() };
    assert!(matches!(edit(s, &unknown, NOW), Err(OrderError::UnknownPackage(_))));
}
