//! Tests of the live snapshot: what it hands out to store rebuilds it exactly (change records,
//! compaction, a worker stopped between writes), a 0.2.0 record opens as a base, and its
//! in-place rules agree with the stateless ones.

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::fixtures::{id, pkg, HOUR, NOW};
use super::live::{LiveSnapshot, OpenRequest, SnapshotDelta, Writes, BASE_MAX_AGE_MS, MAX_DELTAS, MIN_DELTA_ROWS};
use super::routes::{route_counts, RouteBook, SetRouteRequest};
use super::rowsignal::RowSeen;
use super::view::EditRequest;
use super::Route;
use crate::order::profile::shipped;
use crate::order::OrderError;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The worker's storage, as JSON text (what survives a restart).
#[derive(Default)]
struct Store {
    base: Option<String>,
    deltas: BTreeMap<u64, String>,
    routes: Option<String>,
}

impl Store {
    fn write(&mut self, w: &Writes<'_>) {
        if let Some(s) = w.snapshot {
            self.base = Some(serde_json::to_string(s).expect("base"));
        }
        if let Some(d) = &w.delta {
            self.deltas.insert(d.seq, serde_json::to_string(d).expect("delta"));
        }
        if w.drop_all {
            self.deltas.clear();
        } else if let Some(through) = w.drop_through {
            self.deltas.retain(|seq, _| *seq > through);
        }
        if let Some(r) = w.routes {
            self.routes = Some(serde_json::to_string(r).expect("routes"));
        }
    }

    fn open(&self) -> LiveSnapshot {
        let req = OpenRequest {
            shop_id: "shop1".into(),
            snapshot: self.base.as_deref().map(|s| serde_json::from_str(s).expect("base")),
            deltas: self.deltas.values().map(|s| serde_json::from_str(s).expect("delta")).collect(),
            routes: self.routes.as_deref().map(|s| serde_json::from_str(s).expect("routes")),
        };
        LiveSnapshot::open(req).expect("open").0
    }
}

/// A 待发货 list page as the worker hands it in: packages `from..from+n`, paid an hour apart,
/// newest first, with the request that asked for it.
fn list_page(from: u32, n: u32, status: u32) -> Value {
    let pk: Vec<Value> = (from..from + n).map(|k| pkg(k, status, NOW - i64::from(k) * HOUR, "S1")).collect();
    json!({"total": pk.len(), "request": {"page_no": 1, "page_size": n, "status": [status]}, "packages": pk})
}

fn req(answer: Value) -> IngestRequest {
    IngestRequest { shop_id: "shop1".into(), answer }
}

fn order_route(n: u32, r: Route) -> SetRouteRequest {
    SetRouteRequest { scope: "order".into(), sku_id: None, package_id: Some(id(n)), route: Some(r) }
}

#[test]
fn what_it_hands_out_rebuilds_it_after_every_kind_of_change() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    let ingest_write = |live: &mut LiveSnapshot, store: &mut Store, answer: Value, now: i64| {
        live.ingest(&req(answer), &profile, now).expect("ingest");
        store.write(&live.writes(NOW));
    };
    ingest_write(&mut live, &mut store, list_page(1, 50, 4), NOW);
    assert!(store.base.is_some(), "a shop's first write is its base");
    ingest_write(&mut live, &mut store, list_page(51, 50, 4), NOW);
    // Package 60 shipped and 70 cancelled on the page; 30 missing from the middle of page 1.
    let mut again = list_page(1, 50, 4);
    let pk = again["packages"].as_array_mut().expect("packages");
    pk.retain(|p| p["packageId"] != id(30));
    ingest_write(&mut live, &mut store, again, NOW + HOUR);
    ingest_write(&mut live, &mut store, list_page(60, 1, 6), NOW + HOUR);
    live.shipped(&[id(70), "P1".into()], NOW + HOUR);
    store.write(&live.writes(NOW));
    assert_eq!(live.row_unclear(), 0);
    let rows = [RowSeen { package_id: id(80), ship_control: false }];
    assert!(live.rows(&rows, NOW + HOUR).changed);
    assert_eq!(live.row_unclear(), 1, "counted again after the change");
    store.write(&live.writes(NOW));
    let edit = EditRequest { package_id: id(81), notes: Some("加急".into()), ..EditRequest::default() };
    live.edit(&edit, NOW + HOUR).expect("edit");
    live.set_routes(&[order_route(82, Route::Supplier), order_route(83, Route::SelfShip)]).expect("routes");
    store.write(&live.writes(NOW));
    assert_eq!(store.deltas.len(), 6, "one small change record per change after the base");

    let reopened = store.open();
    assert_eq!(reopened.snapshot(), live.snapshot());
    assert_eq!(reopened.routes(), live.routes());
    let s = reopened.snapshot();
    assert!(!s.packages.contains_key(id(30).as_str()) && s.closed.contains_key(&id(30)));
    assert!(!s.packages.contains_key(id(60).as_str()) && !s.packages.contains_key(id(70).as_str()));
    assert!(s.packages[id(80).as_str()].no_ship_button);
    assert_eq!(s.packages[id(81).as_str()].edits.notes, "加急");
    assert_eq!(s.packages.len(), 100 - 3);
}

#[test]
fn change_records_are_folded_into_the_base_past_their_bound() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    // Each change record holds one row fact: the bound that strikes is their number.
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW));
    for k in 0..MAX_DELTAS {
        let rows = [RowSeen { package_id: id(1), ship_control: k % 2 == 1 }];
        assert!(live.rows(&rows, NOW).changed);
        store.write(&live.writes(NOW));
        assert_eq!(store.deltas.len(), k + 1);
    }
    let before = store.base.clone();
    live.rows(&[RowSeen { package_id: id(2), ship_control: false }], NOW);
    let w = live.writes(NOW);
    assert!(w.snapshot.is_some() && w.delta.is_none());
    assert_eq!(w.drop_through, Some(MAX_DELTAS as u64 + 2));
    store.write(&w);
    assert!(store.deltas.is_empty() && store.base != before);
    assert_eq!(store.open().snapshot(), live.snapshot());

    // The entries bound: at least MIN_DELTA_ROWS (this shop is small), counted over the
    // change records since the base; a page of 50 new packages adds at most 200 entries.
    let mut from = 100;
    let mut held = 0;
    loop {
        live.ingest(&req(list_page(from, 50, 4)), &profile, NOW).expect("ingest");
        let w = live.writes(NOW);
        let compacted = w.snapshot.is_some();
        held += w.delta.as_ref().map_or(0, SnapshotDelta::rows);
        store.write(&w);
        from += 50;
        if compacted {
            break;
        }
        assert!(held <= MIN_DELTA_ROWS && from < 5_000);
    }
    assert!(held > MIN_DELTA_ROWS - 200, "folded only past the bound ({held} entries held)");
    assert!(store.deltas.is_empty());
    assert_eq!(store.open().snapshot(), live.snapshot());
}

#[test]
fn a_stop_between_the_base_write_and_the_change_records_deletion_loses_nothing() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW));
    live.ingest(&req(list_page(51, 50, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW));
    let left = store.deltas.clone();
    // Force a compaction by the number of records, then "stop" before the deletion.
    for _ in 0..MAX_DELTAS {
        live.rows(&[RowSeen { package_id: id(3), ship_control: false }], NOW);
        live.rows(&[RowSeen { package_id: id(3), ship_control: true }], NOW);
        live.ingest(&req(list_page(4, 1, 4)), &profile, NOW + 2 * HOUR).expect("ingest");
        let w = live.writes(NOW);
        if let Some(s) = w.snapshot {
            store.base = Some(serde_json::to_string(s).expect("base"));
            break;
        }
        store.write(&w);
    }
    assert!(!store.deltas.is_empty());
    store.deltas.extend(left);
    let req = OpenRequest {
        shop_id: "shop1".into(),
        snapshot: store.base.as_deref().map(|s| serde_json::from_str(s).expect("base")),
        deltas: store.deltas.values().map(|s| serde_json::from_str(s).expect("delta")).collect(),
        routes: None,
    };
    let (reopened, view) = LiveSnapshot::open(req).expect("open");
    assert_eq!(view.applied, 0);
    assert_eq!(view.stale.len(), store.deltas.len(), "every record left is already in the base");
    assert_eq!(reopened.snapshot(), live.snapshot());
}

#[test]
fn a_snapshot_as_0_2_0_wrote_it_opens_as_a_base() {
    // The record 0.2.0 stored under `orders/<shop>/snapshot`: no `seq`, no change records.
    let old = r#"{"v":1,"shopId":"shop1","packages":{"P2026112100000001":{"packageId":"P2026112100000001",
        "orderId":"O1","paidAtMs":1795230000000,"status":4,"statusDesc":"待发货","afterSaleStatusDesc":"",
        "buyer":{"receiver":"张**","phone":"138****1234","address":"广东省深圳市****","remark":""},
        "skus":[{"skuId":"S1","name":"陶瓷杯","spec":"白色","quantity":1}],"firstSeenMs":1795230000000,
        "edits":{"upstreamPlatform":"淘宝","upstreamOrderNo":"","inboundTracking":"","notes":""}}},
        "closed":{"P2026112100000009":{"status":6,"atMs":1795230000000}},
        "paidDays":{"2026-11-21":["P2026112100000001"]},"updatedAtMs":1795230000000}"#;
    let snap: TransitSnapshot = serde_json::from_str(old).expect("0.2.0 record");
    let routes: RouteBook =
        serde_json::from_str(r#"{"v":1,"shopId":"shop1","sku":{"S1":"supplier"},"order":{}}"#).expect("routes");
    let req =
        OpenRequest { shop_id: "shop1".into(), snapshot: Some(snap.clone()), deltas: vec![], routes: Some(routes) };
    let (mut live, view) = LiveSnapshot::open(req).expect("open");
    assert_eq!((view.pending, view.applied), (1, 0));
    assert_eq!(live.snapshot(), &snap);
    assert_eq!(live.counts().supplier, 1);
    // Its first change is a change record after it, numbered 1; the base stays as it was.
    live.ingest(&req_one(2), &shipped(), NOW).expect("ingest");
    let w = live.writes(1_795_230_000_000 + HOUR);
    assert!(w.snapshot.is_none());
    assert_eq!(w.delta.as_ref().map(|d| d.seq), Some(1));
    let mut store = Store {
        base: Some(old.to_string()),
        deltas: BTreeMap::from([(1, serde_json::to_string(&w.delta).expect("delta"))]),
        routes: None,
    };
    store.routes = Some(serde_json::to_string(live.routes().expect("routes")).expect("routes"));
    assert_eq!(store.open().snapshot(), live.snapshot());
    // Written whole again, the base says which change it holds.
    let text = serde_json::to_string(live.snapshot()).expect("base");
    assert!(text.contains(r#""seq":1"#) && !old.contains("seq"));
}

fn req_one(n: u32) -> IngestRequest {
    req(list_page(n, 1, 4))
}

#[test]
fn in_place_rules_agree_with_the_stateless_ones() {
    // The same answers through the live handle (paid-time index) and through `ingest` (every
    // package read): the same snapshot, the same views.
    let profile = shipped();
    let mut live = Store::default().open();
    let mut snap: Option<TransitSnapshot> = None;
    let mut answers: Vec<Value> = (0..6).map(|k| list_page(1 + 40 * k, 40, 4)).collect();
    let mut gap = list_page(1, 120, 4);
    gap["packages"].as_array_mut().expect("packages").retain(|p| p["packageId"] != id(57) && p["packageId"] != id(90));
    answers.push(gap);
    answers.push(list_page(100, 3, 6));
    for (k, a) in answers.into_iter().enumerate() {
        let now = NOW + k as i64 * HOUR;
        let lv = live.ingest(&req(a.clone()), &profile, now).expect("live");
        let (s, v) = ingest(snap, &req(a), &profile, now).expect("stateless");
        assert_eq!(lv, v);
        assert_eq!(live.snapshot(), &s);
        snap = Some(s);
    }
    assert_eq!(live.snapshot().packages.len(), 240 - 2 - 3);
}

#[test]
fn routing_many_orders_is_one_call_all_or_nothing_with_counts_kept() {
    let profile = shipped();
    let mut live = Store::default().open();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    let before = live.counts();
    let many: Vec<SetRouteRequest> = (1..=20).map(|n| order_route(n, Route::Supplier)).collect();
    let counts = live.set_routes(&many).expect("routes");
    assert_eq!(counts, route_counts(live.snapshot(), live.routes()));
    assert_eq!((counts.supplier, counts.warehouse, before.warehouse), (20, 30, 50));
    // One unknown package: nothing changes.
    let mut bad: Vec<SetRouteRequest> = (21..=30).map(|n| order_route(n, Route::SelfShip)).collect();
    bad.push(order_route(999, Route::SelfShip));
    assert_eq!(live.set_routes(&bad), Err(OrderError::UnknownPackage(id(999))));
    assert_eq!(live.counts(), counts);
    assert_eq!(live.routes().map(|b| b.order.len()), Some(20));
    let w = live.writes(NOW);
    assert!(w.routes.is_some() && w.delta.is_none() && w.snapshot.is_some(), "routes and the first base");
    assert!(live.writes(NOW).is_empty());
}

#[test]
fn an_old_base_is_written_again_and_changes_without_a_base_are_stale() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW));
    live.ingest(&req(list_page(51, 5, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW + BASE_MAX_AGE_MS));
    assert_eq!(store.deltas.len(), 1, "a day old: still a change record");
    live.ingest(&req(list_page(60, 5, 4)), &profile, NOW).expect("ingest");
    let w = live.writes(NOW + BASE_MAX_AGE_MS + 1);
    assert!(w.snapshot.is_some(), "older than a day: the base again");
    store.write(&w);
    assert!(store.deltas.is_empty());
    // The vault's retention forgot the base but not a change record after it.
    live.ingest(&req(list_page(70, 5, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW + BASE_MAX_AGE_MS + 2));
    store.base = None;
    let req = OpenRequest {
        shop_id: "shop1".into(),
        deltas: store.deltas.values().map(|s| serde_json::from_str(s).expect("delta")).collect(),
        ..OpenRequest::default()
    };
    let (reopened, view) = LiveSnapshot::open(req).expect("open");
    assert_eq!((view.applied, view.stale.len(), reopened.snapshot().packages.len()), (0, 1, 0));
}

#[test]
fn the_first_base_after_a_forgotten_one_drops_every_change_record() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.write(&live.writes(NOW));
    for i in 0..3 {
        live.ingest(&req(list_page(60 + i * 5, 5, 4)), &profile, NOW).expect("ingest");
        store.write(&live.writes(NOW + 1));
    }
    assert_eq!(store.deltas.len(), 3);
    // The base is forgotten; its change records (seq 2..4) stay, stale.
    store.base = None;
    let mut fresh = store.open();
    assert!(fresh.snapshot().packages.is_empty());
    fresh.ingest(&req(list_page(200, 5, 4)), &profile, NOW).expect("ingest");
    let w = fresh.writes(NOW + 2);
    assert!(w.snapshot.is_some() && w.drop_all, "the first base takes every stored change record away");
    assert_eq!(w.drop_through, Some(1), "the new base's seq is below the stale records'");
    store.write(&w);
    assert!(store.deltas.is_empty());
    assert_eq!(store.open().snapshot().packages.len(), 5, "nothing stale read back as a change");
    // Later writes of the same handle keep the usual bound.
    fresh.ingest(&req(list_page(300, 5, 4)), &profile, NOW).expect("ingest");
    assert!(!fresh.writes(NOW + 3).drop_all);
}

#[test]
fn records_of_another_shop_are_refused() {
    let d = SnapshotDelta {
        v: 1,
        shop_id: "other".into(),
        seq: 1,
        packages: BTreeMap::new(),
        closed: BTreeMap::new(),
        forget: vec![],
        paid: vec![],
        days_dropped: vec![],
        updated_at_ms: 0,
    };
    let req = OpenRequest { shop_id: "shop1".into(), deltas: vec![d], ..OpenRequest::default() };
    assert!(LiveSnapshot::open(req).is_err());
    let req = OpenRequest {
        shop_id: "shop1".into(),
        snapshot: Some(TransitSnapshot::new("other")),
        ..OpenRequest::default()
    };
    assert!(LiveSnapshot::open(req).is_err());
}
