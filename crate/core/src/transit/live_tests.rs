//! Tests of the live snapshot: what it hands out to store rebuilds it exactly (change records,
//! compaction, records left below the base), a 0.2.0 record opens as a base and moves into
//! shards, and its in-place rules agree with the stateless ones (the shards: shards_tests.rs).

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::delta::SnapshotDelta;
use super::fixtures::{id, pkg, HOUR, NOW};
use super::live::{LiveSnapshot, OpenRequest, BASE_MAX_AGE_MS, MAX_DELTAS, MIN_DELTA_ROWS};
use super::live_store::{delta_key, Store, SNAP};
use super::routes::{route_counts, RouteBook, SetRouteRequest};
use super::rowsignal::RowSeen;
use super::view::EditRequest;
use super::Route;
use crate::order::profile::shipped;
use crate::order::OrderError;
use serde_json::{json, Value};
use std::collections::BTreeMap;

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
        store.save(live, NOW);
    };
    ingest_write(&mut live, &mut store, list_page(1, 50, 4), NOW);
    assert!(store.records.contains_key(SNAP), "a shop's first write is its base");
    ingest_write(&mut live, &mut store, list_page(51, 50, 4), NOW);
    // Package 60 shipped and 70 cancelled on the page; 30 missing from the middle of page 1.
    let mut again = list_page(1, 50, 4);
    let pk = again["packages"].as_array_mut().expect("packages");
    pk.retain(|p| p["packageId"] != id(30));
    ingest_write(&mut live, &mut store, again, NOW + HOUR);
    ingest_write(&mut live, &mut store, list_page(60, 1, 6), NOW + HOUR);
    live.shipped(&[id(70), "P1".into()], NOW + HOUR);
    store.save(&mut live, NOW);
    assert_eq!(live.row_unclear(), 0);
    let rows = [RowSeen { package_id: id(80), ship_control: false }];
    assert!(live.rows(&rows, NOW + HOUR).changed);
    assert_eq!(live.row_unclear(), 1, "counted again after the change");
    store.save(&mut live, NOW);
    let edit = EditRequest { package_id: id(81), notes: Some("加急".into()), ..EditRequest::default() };
    live.edit(&edit, NOW + HOUR).expect("edit");
    live.set_routes(&[order_route(82, Route::Supplier), order_route(83, Route::SelfShip)]).expect("routes");
    store.save(&mut live, NOW);
    assert_eq!(store.deltas(), 6, "one small change record per change after the base");

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
    store.save(&mut live, NOW);
    for k in 0..MAX_DELTAS {
        let rows = [RowSeen { package_id: id(1), ship_control: k % 2 == 1 }];
        assert!(live.rows(&rows, NOW).changed);
        store.save(&mut live, NOW);
        assert_eq!(store.deltas(), k + 1);
    }
    let before = store.records.get(&format!("{SNAP}/0")).cloned();
    live.rows(&[RowSeen { package_id: id(2), ship_control: false }], NOW);
    let w = live.writes(NOW);
    assert!(w.compact && w.delta.is_some());
    let delta = serde_json::to_string(&w.delta).expect("delta");
    let seq = w.delta.as_ref().map(|d| d.seq);
    assert_eq!(seq, Some(MAX_DELTAS as u64 + 2));
    let step = live.next_step(NOW).expect("a step");
    assert_eq!(step.shards.len(), 1, "the one shard changed");
    assert_eq!(step.drop_through, seq);
    assert!(live.next_step(NOW).is_none());
    // Stored as the worker would (the same change again through the store).
    store.records.insert(delta_key(MAX_DELTAS as u64 + 2), delta);
    let mut again = store.open();
    assert_eq!(again.snapshot(), live.snapshot());
    again.rows(&[RowSeen { package_id: id(3), ship_control: false }], NOW);
    for _ in 0..MAX_DELTAS {
        again.rows(&[RowSeen { package_id: id(3), ship_control: true }], NOW);
        again.rows(&[RowSeen { package_id: id(3), ship_control: false }], NOW);
        store.save(&mut again, NOW);
    }
    assert!(store.deltas() < MAX_DELTAS && store.records.get(&format!("{SNAP}/0")) != before.as_ref());
    assert_eq!(store.open().snapshot(), again.snapshot());
    // A new shop for the entries bound.
    let mut store = Store::default();
    let mut live = store.open();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW);

    // The entries bound: at least MIN_DELTA_ROWS (this shop is small), counted over the
    // change records since the base; a page of 50 new packages adds at most 200 entries.
    let mut from = 100;
    loop {
        live.ingest(&req(list_page(from, 50, 4)), &profile, NOW).expect("ingest");
        let held = delta_rows(&store);
        let puts = store.puts;
        store.save(&mut live, NOW);
        from += 50;
        if store.puts > puts + 1 {
            assert!(held > MIN_DELTA_ROWS - 200, "folded only past the bound ({held} entries held)");
            break;
        }
        assert!(held <= MIN_DELTA_ROWS && from < 5_000);
    }
    assert_eq!(store.deltas(), 0);
    assert_eq!(store.open().snapshot(), live.snapshot());
}

/// Entries the stored change records hold.
fn delta_rows(store: &Store) -> usize {
    let deltas = store.records.iter().filter(|(k, _)| k.contains("/delta/"));
    deltas.map(|(_, v)| serde_json::from_str::<SnapshotDelta>(v).expect("delta").rows()).sum()
}

#[test]
fn change_records_left_below_the_base_are_skipped() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW);
    live.ingest(&req(list_page(51, 50, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW);
    let left: Vec<(String, String)> =
        store.records.iter().filter(|(k, _)| k.contains("/delta/")).map(|(k, v)| (k.clone(), v.clone())).collect();
    assert_eq!(left.len(), 1);
    // Package 51 changes after; a compaction folds it in; the old record is put back (as a
    // worker stopped before its tombstone was written would leave it).
    for _ in 0..=MAX_DELTAS {
        live.rows(&[RowSeen { package_id: id(51), ship_control: false }], NOW);
        store.save(&mut live, NOW);
        live.rows(&[RowSeen { package_id: id(51), ship_control: true }], NOW);
        store.save(&mut live, NOW);
    }
    live.rows(&[RowSeen { package_id: id(51), ship_control: false }], NOW);
    store.save(&mut live, NOW);
    store.records.extend(left);
    let (reopened, view) = store.open_view();
    assert_eq!(reopened.snapshot(), live.snapshot(), "the older record did not undo the newer state");
    assert!(reopened.snapshot().packages[id(51).as_str()].no_ship_button);
    assert!(view.applied < MAX_DELTAS);
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
    // Its first change (numbered 1) moves it into shards, in one write over the whole base.
    live.ingest(&req_one(2), &shipped(), NOW).expect("ingest");
    let mut store = Store::default();
    store.records.insert(SNAP.into(), old.to_string());
    store
        .records
        .insert("orders/shop1/routes".into(), serde_json::to_string(live.routes().expect("routes")).expect("r"));
    store.save(&mut live, 1_795_230_000_000 + HOUR);
    assert_eq!((store.puts, store.shards(), store.deltas()), (2, 1, 0), "the change, then shard and head");
    assert!(store.records[SNAP].contains(r#""shards""#) && !store.records[SNAP].contains("P2026112100000001"));
    let shard: TransitSnapshot = serde_json::from_str(&store.records[&format!("{SNAP}/0")]).expect("shard");
    assert_eq!(shard.packages[id(1).as_str()], snap.packages[id(1).as_str()], "stored as before");
    assert!(shard.closed.contains_key("P2026112100000009"));
    assert!(shard.paid_days.values().any(|ids| ids.contains(id(1).as_str())));
    assert_eq!(store.open().snapshot(), live.snapshot());
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
    assert!(w.routes.is_some() && w.delta.is_none() && w.compact, "routes, then the first base");
    assert!(live.writes(NOW).is_empty());
}

#[test]
fn an_old_shard_is_written_again_and_changes_without_a_base_are_stale() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW);
    live.ingest(&req(list_page(51, 5, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW + BASE_MAX_AGE_MS);
    assert_eq!(store.deltas(), 1, "a day old: still a change record");
    live.ingest(&req(list_page(60, 5, 4)), &profile, NOW).expect("ingest");
    let puts = store.puts;
    store.save(&mut live, NOW + BASE_MAX_AGE_MS + 1);
    assert_eq!(store.puts, puts + 2, "older than a day: the shard again");
    assert_eq!(store.deltas(), 0);
    // The vault's retention forgot the base but not a change record after it.
    live.ingest(&req(list_page(70, 5, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW + BASE_MAX_AGE_MS + 2);
    store.records.retain(|k, _| !k.starts_with(SNAP));
    let (reopened, view) = store.open_view();
    assert_eq!((view.applied, reopened.snapshot().packages.len()), (0, 0));
}

#[test]
fn the_first_base_after_a_forgotten_one_drops_every_change_record() {
    let mut store = Store::default();
    let mut live = store.open();
    let profile = shipped();
    live.ingest(&req(list_page(1, 50, 4)), &profile, NOW).expect("ingest");
    store.save(&mut live, NOW);
    for i in 0..3 {
        live.ingest(&req(list_page(60 + i * 5, 5, 4)), &profile, NOW).expect("ingest");
        store.save(&mut live, NOW + 1);
    }
    assert_eq!(store.deltas(), 3);
    // The base is forgotten; its change records (seq 2..4) stay, stale.
    store.records.remove(SNAP);
    assert!(store.open_view().1.no_base, "the worker deletes a stored tally then");
    let mut fresh = store.open();
    assert!(fresh.snapshot().packages.is_empty());
    fresh.ingest(&req(list_page(200, 5, 4)), &profile, NOW).expect("ingest");
    let w = fresh.writes(NOW + 2);
    assert!(w.compact && w.delta.is_none(), "no change record without a base");
    let step = fresh.next_step(NOW + 2).expect("the base");
    assert!(step.drop_all, "the first base takes every stored record it does not name away");
    let mut fresh = store.open();
    fresh.ingest(&req(list_page(200, 5, 4)), &profile, NOW).expect("ingest");
    store.save(&mut fresh, NOW + 2);
    assert_eq!((store.deltas(), store.shards()), (0, 1));
    assert_eq!(store.open().snapshot().packages.len(), 5, "nothing stale read back as a change");
    // Later writes of the same handle keep the usual bound.
    fresh.ingest(&req(list_page(300, 5, 4)), &profile, NOW).expect("ingest");
    assert!(!fresh.writes(NOW + 3).compact);
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
