//! The live handle's kept figures (route counts, rows in doubt) are adjusted by the entries each
//! change touched, not counted again: over random sequences of list pages, detail answers, row
//! facts, shipments, routes, edits and time passing, they always equal a full count of the shop.

use super::collect::IngestRequest;
use super::fixtures::{id, pkg, HOUR, NOW};
use super::live::{LiveSnapshot, OpenRequest};
use super::routes::{route_counts, SetRouteRequest};
use super::rowsignal::{row_unclear, RowSeen};
use super::view::EditRequest;
use super::Route;
use crate::chinaday::DAY_MS;
use crate::order::profile::shipped;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Packages are numbered 1..=IDS; SKU of package `n` is `S{n % 3}`.
const IDS: u32 = 24;

#[derive(Debug, Clone)]
enum Op {
    /// A list page of packages `from..from+n`: (waiting, shipped, cancelled, unclear) by `kinds`,
    /// with the 待发货 request (reconciling its window) or as detail answers (none).
    Page {
        from: u32,
        kinds: Vec<u8>,
        listed: bool,
    },
    /// Row facts: (package, shows 发货).
    Rows(Vec<(u32, bool)>),
    /// The page shipped these.
    Shipped(Vec<u32>),
    /// A route for one order, or for a SKU (`None` clears it).
    RouteOrder(u32, Option<u8>),
    RouteSku(u32, Option<u8>),
    /// The seller's note on a package.
    Edit(u32),
    /// Time passes (closed entries are forgotten after a week).
    Later(i64),
    /// The figures are forgotten (as if never asked) before the next change.
    Reopen,
}

fn route(r: u8) -> Route {
    [Route::Warehouse, Route::Supplier, Route::SelfShip][usize::from(r % 3)]
}

fn op() -> impl Strategy<Value = Op> {
    let n = 1..=IDS;
    prop_oneof![
        4 => (n.clone(), prop::collection::vec(0u8..4, 1..8), any::<bool>())
            .prop_map(|(from, kinds, listed)| Op::Page { from, kinds, listed }),
        3 => prop::collection::vec((n.clone(), any::<bool>()), 1..6).prop_map(Op::Rows),
        2 => prop::collection::vec(n.clone(), 1..4).prop_map(Op::Shipped),
        2 => (n.clone(), prop::option::of(0u8..3)).prop_map(|(k, r)| Op::RouteOrder(k, r)),
        1 => (0u32..3, prop::option::of(0u8..3)).prop_map(|(k, r)| Op::RouteSku(k, r)),
        1 => n.prop_map(Op::Edit),
        1 => (0i64..(10 * DAY_MS)).prop_map(Op::Later),
        1 => Just(Op::Reopen),
    ]
}

/// Package `k` as an answer carries it, in state `kind` (0 waiting, 1 shipped, 2 cancelled,
/// 3 unclear: the code and the text disagree).
fn package(k: u32, kind: u8) -> Value {
    let status = [4, 6, 998, 4][usize::from(kind % 4)];
    let mut p = pkg(k, status, NOW - i64::from(k) * HOUR, &format!("S{}", k % 3));
    if kind == 3 {
        p["statusDesc"] = json!("已发货");
    }
    p
}

fn apply(live: &mut LiveSnapshot, op: Op, now: &mut i64) {
    let profile = shipped();
    match op {
        Op::Page { from, kinds, listed } => {
            let pk: Vec<Value> = kinds.iter().enumerate().map(|(i, kind)| package(from + i as u32, *kind)).collect();
            let mut answer = json!({"total": pk.len(), "packages": pk});
            if listed {
                answer["request"] = json!({"page_no": 1, "page_size": kinds.len(), "status": [4]});
            }
            // A refused answer is fine too: the figures must hold either way.
            let _ = live.ingest(&IngestRequest { shop_id: "shop1".into(), answer }, &profile, *now);
        }
        Op::Rows(rows) => {
            let rows: Vec<RowSeen> =
                rows.into_iter().map(|(k, ship_control)| RowSeen { package_id: id(k), ship_control }).collect();
            live.rows(&rows, *now);
        }
        Op::Shipped(ks) => {
            live.shipped(&ks.into_iter().map(id).collect::<Vec<_>>(), *now);
        }
        Op::RouteOrder(k, r) => {
            let req =
                SetRouteRequest { scope: "order".into(), sku_id: None, package_id: Some(id(k)), route: r.map(route) };
            let _ = live.set_routes(&[req]);
        }
        Op::RouteSku(k, r) => {
            let req = SetRouteRequest {
                scope: "sku".into(),
                sku_id: Some(format!("S{k}")),
                package_id: None,
                route: r.map(route),
            };
            let _ = live.set_routes(&[req]);
        }
        Op::Edit(k) => {
            let req = EditRequest { package_id: id(k), notes: Some(format!("备注{k}")), ..EditRequest::default() };
            let _ = live.edit(&req, *now);
        }
        Op::Later(ms) => *now += ms,
        Op::Reopen => {}
    }
}

fn open() -> LiveSnapshot {
    LiveSnapshot::open(OpenRequest { shop_id: "shop1".into(), ..OpenRequest::default() }).expect("open").0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn kept_figures_equal_a_full_count_after_any_changes(ops in prop::collection::vec(op(), 1..40)) {
        let mut live = open();
        let mut now = NOW;
        // Asked once at the start, so every change after adjusts them.
        live.counts();
        live.row_unclear();
        for op in ops {
            if matches!(op, Op::Reopen) {
                // Stored and opened again: figures counted afresh, then adjusted again.
                live = reopened(&live);
                live.counts();
                live.row_unclear();
                continue;
            }
            apply(&mut live, op, &mut now);
            let full = route_counts(live.snapshot(), live.routes());
            prop_assert_eq!(live.counts(), full);
            prop_assert_eq!(live.row_unclear(), row_unclear(live.snapshot()));
        }
    }
}

/// `live`'s state, stored whole and opened again.
fn reopened(live: &LiveSnapshot) -> LiveSnapshot {
    let snapshot = serde_json::from_str(&serde_json::to_string(live.snapshot()).expect("base")).expect("base");
    let routes =
        live.routes().map(|r| serde_json::from_str(&serde_json::to_string(r).expect("routes")).expect("routes"));
    LiveSnapshot::open(OpenRequest { shop_id: "shop1".into(), snapshot: Some(snapshot), deltas: Vec::new(), routes })
        .expect("open")
        .0
}

#[test]
fn a_list_page_adjusts_the_figures_without_counting_the_shop() {
    // The figures asked once, then a page that closes one package, marks one unclear and
    // flags one row: each figure moves by exactly those.
    let mut live = open();
    let profile = shipped();
    let pk: Vec<Value> = (1..=10).map(|k| package(k, 0)).collect();
    let answer = json!({"total": 10, "packages": pk});
    live.ingest(&IngestRequest { shop_id: "shop1".into(), answer }, &profile, NOW).expect("ingest");
    assert_eq!((live.counts().warehouse, live.counts().unclear, live.row_unclear()), (10, 0, 0));
    let answer = json!({"total": 2, "packages": [package(1, 1), package(2, 3)]});
    live.ingest(&IngestRequest { shop_id: "shop1".into(), answer }, &profile, NOW).expect("ingest");
    live.rows(&[RowSeen { package_id: id(3), ship_control: false }], NOW);
    let c = live.counts();
    assert_eq!((c.warehouse, c.total, c.unclear), (7, 7, 2), "1 closed, 2 and 3 unclear");
    assert_eq!(live.row_unclear(), 1, "3's row has no 发货");
    assert_eq!(c, route_counts(live.snapshot(), live.routes()));
}

#[test]
fn unknown_names_only_orders_neither_pending_nor_closed() {
    let mut live = open();
    let answer = json!({"total": 2, "packages": [package(1, 0), package(2, 1)]});
    live.ingest(&IngestRequest { shop_id: "shop1".into(), answer }, &shipped(), NOW).expect("ingest");
    let ids = vec![id(1), id(2), format!(" {} ", id(3))];
    assert_eq!(live.unknown(&ids), vec![id(3)], "1 pending, 2 closed, 3 unknown (trimmed)");
}

#[test]
fn known_orders_of_rows_agree_with_every_known_order() {
    use super::collect::{known_orders, known_orders_of};
    let mut live = open();
    let answer = json!({"total": 4, "packages": [package(1, 0), package(2, 1), package(3, 3), package(4, 0)]});
    live.ingest(&IngestRequest { shop_id: "shop1".into(), answer }, &shipped(), NOW).expect("ingest");
    live.rows(&[RowSeen { package_id: id(4), ship_control: false }], NOW);
    let all = known_orders(live.snapshot());
    // Rows as a file writes them: lower case, spaces, full-width digits, repeats, unknown ones.
    let rows = vec![id(2).to_lowercase(), format!(" {} ", id(3)), id(3), id(4).replace('1', "１"), id(9)];
    let some = known_orders_of(live.snapshot(), &rows);
    let want: Vec<_> =
        all.iter().filter(|k| [id(2), id(3), id(4)].contains(&k.package_id.to_string())).cloned().collect();
    assert_eq!(some, want);
}
