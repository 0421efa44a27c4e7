//! Fuzzes the export with any snapshot the store could hold (corrupt, edited, hostile text):
//! CSV and XLSX export must never panic; when a file is produced it parses back, and no cell
//! of it starts with a formula character (`= + - @`) nor holds a plain phone or ID in a buyer
//! column (the leak guard holds).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::transit::collect::TransitSnapshot;
use redship_core::transit::export_csv::{export_csv, read_csv};
use redship_core::transit::export_xlsx::{export_xlsx, read_xlsx};
use redship_core::transit::routes::RouteBook;
use redship_core::transit::table::ExportRequest;
use redship_core::transit::template::TemplateBook;
use redship_core::transit::Route;

const NOW: i64 = 1_795_000_000_000;

fn check(rows: &[Vec<String>]) {
    for row in rows.iter().skip(1) {
        for cell in row {
            assert!(
                !matches!(cell.chars().next(), Some('=' | '+' | '-' | '@')),
                "formula-looking cell left active: {cell:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let snap_v = v.get("snapshot").cloned().unwrap_or_else(|| v.clone());
    let Ok(snap) = serde_json::from_value::<TransitSnapshot>(snap_v) else { return };
    let routes: Option<RouteBook> = v.get("routes").and_then(|r| serde_json::from_value(r.clone()).ok());
    let templates: Option<TemplateBook> = v.get("templates").and_then(|t| serde_json::from_value(t.clone()).ok());
    let mut reqs = vec![ExportRequest {
        template_id: None,
        routes: Some(vec![Route::Warehouse, Route::Supplier, Route::SelfShip]),
        package_ids: None,
    }];
    if let Some(r) = v.get("request").and_then(|r| serde_json::from_value::<ExportRequest>(r.clone()).ok()) {
        reqs.push(r);
    }
    for req in &reqs {
        if let Ok(f) = export_csv(&snap, routes.as_ref(), templates.as_ref(), req, NOW) {
            let rows = read_csv(&f.bytes).expect("our own CSV parses back");
            check(&rows);
        }
        if let Ok(f) = export_xlsx(&snap, routes.as_ref(), templates.as_ref(), req, NOW) {
            let rows = read_xlsx(&f.bytes).expect("our own XLSX parses back");
            check(&rows);
        }
    }
});
