//! Regression tests from fuzzing: every committed seed in `fuzz/corpus/<target>/` and every
//! crash input kept in `fuzz/regressions/<target>/` is replayed here through the same public
//! entry points the cargo-fuzz targets call, on stable `cargo test`, so a parser that starts to
//! panic on a known input fails the ordinary test run, not only `./build.sh fuzz`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code (cfg'd with a feature, which clippy does not see as a test): a panic is a failed test

use redship_core::order::SiteProfile;
use redship_core::quota;
use redship_core::ship::{
    csv_source, xlsx_source, ImportError, ImportRequest, ImportSource, PreviewView, ValidationContext,
};
use redship_core::transit::collect::{ingest, IngestRequest, TransitSnapshot};
use redship_core::transit::export_csv::{export_csv, read_csv};
use redship_core::transit::export_xlsx::{export_xlsx, read_xlsx};
use redship_core::transit::table::ExportRequest;
use redship_core::transit::Route;
use redship_core::vault::record::open;
use redship_core::vault::DataKey;
use serde_json::Value;

/// The site profile RedShip ships.
fn profile() -> SiteProfile {
    SiteProfile::from_json(include_str!("../../../extension/site-profile.json")).expect("the shipped profile reads")
}
use std::collections::BTreeMap;
use std::path::PathBuf;

const NOW: i64 = 1_795_000_000_000;

/// Every file of `fuzz/corpus/<target>` and `fuzz/regressions/<target>`.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for e in entries.flatten() {
            if let Ok(bytes) = std::fs::read(e.path()) {
                out.push((e.path().display().to_string(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn gbk(bytes: &[u8]) -> String {
    encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
}

fn import(req: &ImportRequest) -> Result<PreviewView, ImportError> {
    redship_core::ship::import(req, &gbk)
}

fn request(source: ImportSource, text: Option<String>, bytes: Option<Vec<u8>>) -> ImportRequest {
    ImportRequest { source, text, bytes, sheet: None, context: ValidationContext::default() }
}

#[test]
fn paste_seeds_import_without_panic() {
    let seeds = inputs("ship_paste");
    assert!(!seeds.is_empty(), "the paste corpus is committed");
    for (_, b) in seeds {
        let _ = import(&request(ImportSource::Paste, Some(String::from_utf8_lossy(&b).into_owned()), None));
    }
}

#[test]
fn csv_seeds_import_and_real_ones_give_rows() {
    let seeds = inputs("ship_csv");
    assert!(!seeds.is_empty(), "the CSV corpus is committed");
    for (name, b) in seeds {
        let _ = csv_source::decode(&b, &gbk);
        let got = import(&request(ImportSource::Csv, None, Some(b)));
        // The hand-written seeds are real files (UTF-8, BOM, GBK, UTF-16): each must be read.
        if name.contains("/corpus/") && name.ends_with(".csv") {
            let view = got.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!view.rows.is_empty(), "{name}: no rows");
        }
    }
}

#[test]
fn xlsx_seeds_import_without_panic() {
    let seeds = inputs("ship_xlsx");
    assert!(!seeds.is_empty(), "the XLSX corpus is committed");
    for (name, b) in seeds {
        let _ = xlsx_source::sheet_names(&b);
        let _ = read_xlsx(&b);
        if let Ok(mut book) = redship_core::xlsx::open(&b) {
            for i in 0..book.sheet_names().len() {
                let _ = book.rows(i);
            }
        }
        let got = import(&request(ImportSource::Xlsx, None, Some(b)));
        if name.ends_with("/simple.xlsx") || name.ends_with("/inline_poi.xlsx") {
            assert!(got.is_ok(), "{name}: {got:?}");
        }
    }
}

#[test]
fn ingest_and_export_seeds_hold_the_leak_guard() {
    for (name, b) in inputs("order_ingest") {
        let Ok(answer) = serde_json::from_slice::<Value>(&b) else { continue };
        let Ok((snap, _)) = ingest(None, &IngestRequest { shop_id: "s".into(), answer }, &profile(), NOW) else {
            continue;
        };
        let text = serde_json::to_string(&snap).expect("json");
        assert!(!text.contains("13812345678"), "{name}: a plain phone was stored");
    }
    for (_, b) in inputs("transit_export") {
        let Ok(v) = serde_json::from_slice::<Value>(&b) else { continue };
        let Ok(snap) = serde_json::from_value::<TransitSnapshot>(v.get("snapshot").cloned().unwrap_or(v)) else {
            continue;
        };
        let req = ExportRequest {
            routes: Some(vec![Route::Warehouse, Route::Supplier, Route::SelfShip]),
            ..ExportRequest::default()
        };
        if let Ok(f) = export_csv(&snap, None, None, &req, NOW) {
            assert!(read_csv(&f.bytes).is_ok());
        }
        if let Ok(f) = export_xlsx(&snap, None, None, &req, NOW) {
            assert!(read_xlsx(&f.bytes).is_ok());
        }
    }
}

#[test]
fn vault_and_quota_seeds_are_typed_errors() {
    let key = DataKey::from_bytes([7u8; 32]);
    for (_, b) in inputs("vault_record") {
        if let Ok(raw) = serde_json::from_slice::<Value>(&b) {
            assert!(open(&key, "r.fuzz", &raw).is_err(), "a made-up envelope never opens");
        }
    }
    for (_, b) in inputs("quota_requests") {
        if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&b) {
            let records: BTreeMap<String, Value> = obj.into_iter().collect();
            let _ = quota::check_records(&records);
        }
    }
}

/// fuzz order_ingest, 2026-11-21: one answer naming the same package twice, first waiting
/// (status 4) then shipped (status 6). Ingesting it is counted as one added and one removed
/// package each time; the pending set must still be the same after the same answer again, and
/// the counters must add up to the change in pending packages.
#[test]
fn answer_naming_one_package_twice_is_stable() {
    let answer: Value = serde_json::from_slice(include_bytes!(
        "../../../fuzz/regressions/order_ingest/duplicate-id-pending-then-shipped.json"
    ))
    .expect("json");
    let req = IngestRequest { shop_id: "s".into(), answer };
    let (first, v1) = ingest(None, &req, &profile(), NOW).expect("accepted");
    assert_eq!(v1.added as i64 - v1.removed as i64, first.packages.len() as i64, "{v1:?}");
    let (second, v2) = ingest(Some(first.clone()), &req, &profile(), NOW + 1).expect("accepted again");
    assert_eq!(second.packages.keys().collect::<Vec<_>>(), first.packages.keys().collect::<Vec<_>>());
    assert_eq!(v2.added as i64 - v2.removed as i64, 0, "{v2:?}");
}
