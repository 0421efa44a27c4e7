//! Fuzzes what the page-world hook passes on from the order list / detail answers: any JSON is
//! an answer. Ingest must never panic, a refused answer changes nothing, and the stored
//! snapshot never holds an unmasked phone or ID in its buyer fields (the masker's promise).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::order::detect::Kind;
use redship_core::order::leak::{scan_cell, ColumnClass};
use redship_core::transit::collect::{ingest, known_orders, paid_by_day, IngestRequest, TransitSnapshot};
use redship_core::transit::routes::route_counts;
use redship_core::transit::view::view;

/// The site profile RedShip ships (the fuzzed answers are read through it).
fn profile() -> redship_core::order::SiteProfile {
    redship_core::order::SiteProfile::from_json(include_str!("../../extension/site-profile.json"))
        .expect("the shipped profile reads")
}

const NOW: i64 = 1_795_000_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let req = IngestRequest { shop_id: "fuzz-shop".into(), answer };
    let profile = profile();
    let first = ingest(None, &req, &profile, NOW);
    let Ok((snap, _view)) = first else { return };
    let stored = serde_json::to_value(&snap).expect("snapshot serialises");
    let back: TransitSnapshot = serde_json::from_value(stored).expect("snapshot reads back");
    for p in back.packages.values() {
        for field in [&p.buyer.receiver, &p.buyer.phone, &p.buyer.address, &p.buyer.remark] {
            if let Some(kind) = scan_cell(field, ColumnClass::Buyer) {
                assert!(
                    !matches!(kind, Kind::Phone | Kind::IdNumber),
                    "stored buyer field holds a plain {kind:?}: {field:?}"
                );
            }
        }
    }
    let _ = view(&back, None, route_counts(&back, None), NOW, 200);
    let _ = known_orders(&back);
    let _ = paid_by_day(&back, NOW);
    // The same answer again: the pending set is unchanged, and (unless the answer names one
    // package twice, see fuzz_regressions.rs) nothing is counted as added.
    let (again, v2) = ingest(Some(back.clone()), &req, &profile, NOW + 1).expect("second ingest of an accepted answer");
    assert_eq!(again.packages.keys().collect::<Vec<_>>(), back.packages.keys().collect::<Vec<_>>());
    let ids: Vec<&str> = req
        .answer
        .pointer("/data/packages")
        .or_else(|| req.answer.get("packages"))
        .and_then(|p| p.as_array())
        .map(|a| a.iter().filter_map(|p| p.get("packageId").and_then(|v| v.as_str())).collect())
        .unwrap_or_default();
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    if distinct.len() == ids.len() {
        assert_eq!(v2.added, 0, "the same answer added packages twice");
    }
});
