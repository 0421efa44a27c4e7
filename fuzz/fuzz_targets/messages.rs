//! Fuzzes the request JSON each wasm binding deserialises before calling the core: whatever a
//! message carries after the service worker's catalogue check (or if that check is wrong), the
//! core must answer with a value or a typed error, never a panic. The first byte picks the
//! binding, the rest is the JSON request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_bind::ship::{ImportForm, PlanForm, RevalidateForm};
use redship_core::chinaday::ChinaDayView;
use redship_core::quota;
use redship_core::ship::{self, journal, plan, report, ImportRequest, RevalidateRequest};
use redship_core::transit::collect::{ingest, IngestRequest, TransitSnapshot};
use redship_core::transit::planner::{self, PlanRequest};
use redship_core::transit::routes::{set_route, RouteBook, SetRouteRequest};
use redship_core::transit::template::{self, Template, TemplateBook};
use redship_core::transit::view::{edit, EditRequest};
use redship_core::vault::keys::{unlock_with_device, DeviceRecord, KeysRecord};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The site profile RedShip ships (the fuzzed answers are read through it).
fn profile() -> redship_core::order::SiteProfile {
    redship_core::order::SiteProfile::from_json(include_str!("../../extension/site-profile.json"))
        .expect("the shipped profile reads")
}

const NOW: i64 = 1_795_000_000_000;

fn parse<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

fn field<T: DeserializeOwned>(v: &Value, name: &str) -> Option<T> {
    v.get(name).and_then(|x| serde_json::from_value(x.clone()).ok())
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(v) = serde_json::from_slice::<Value>(rest) else { return };
    match which % 16 {
        0 => {
            if let Some(r) = parse::<quota::RecordEventRequest>(&v) {
                let _ = quota::record_event(&r);
            }
        }
        1 => {
            if let Some(r) = parse::<quota::RecordPageShowsRequest>(&v) {
                let _ = quota::record_page_shows(&r);
            }
        }
        2 => {
            if let Some(r) = parse::<quota::DashboardRequest>(&v) {
                let _ = quota::dashboard(&r);
            }
            if let Some(s) = v.get("shop").and_then(Value::as_str) {
                let _ = quota::ledger_keys(s, v.get("nowMs").and_then(Value::as_i64).unwrap_or(NOW));
            }
        }
        3 => {
            if let Some(s) = parse::<quota::QuotaSettings>(&v) {
                let _ = serde_json::to_value(&s);
            }
        }
        4 => {
            // The ship requests are read through their transport forms (crate/bind).
            if let Some(r) = parse::<ImportForm>(&v).map(ImportRequest::from) {
                // Bytes sources are fuzzed on their own; keep this target on the JSON shape.
                if r.source == ship::ImportSource::Paste {
                    // Paste never reaches the GB18030 decoder.
                    let _ = ship::import(&r, &|b: &[u8]| String::from_utf8_lossy(b).into_owned());
                }
            }
        }
        5 => {
            if let Some(r) = parse::<RevalidateForm>(&v).map(RevalidateRequest::from) {
                let _ = ship::revalidate(&r);
            }
        }
        6 => {
            if let Some(r) = parse::<PlanForm>(&v).map(plan::PlanRequest::from) {
                if let Ok(run) = plan::plan(&r) {
                    let _ = report::report(&run);
                }
            }
        }
        7 => {
            if let Some(r) = parse::<journal::ApplyRequest>(&v) {
                let _ = journal::apply(r);
            }
        }
        8 => {
            if let Some(r) = parse::<report::ReportRequest>(&v) {
                let _ = report::report(&r.run);
                let _ = report::report_csv(&r);
            }
        }
        9 => {
            let snap: Option<TransitSnapshot> = field(&v, "snapshot");
            if let Some(r) = field::<IngestRequest>(&v, "request") {
                let _ = ingest(snap, &r, &profile(), NOW);
            }
        }
        10 => {
            if let (Some(snap), Some(r)) =
                (field::<TransitSnapshot>(&v, "snapshot"), field::<EditRequest>(&v, "request"))
            {
                let _ = edit(snap, &r, NOW);
            }
        }
        11 => {
            let book: Option<RouteBook> = field(&v, "routes");
            if let (Some(snap), Some(r)) =
                (field::<TransitSnapshot>(&v, "snapshot"), field::<SetRouteRequest>(&v, "request"))
            {
                let _ = set_route(book, &snap, &r);
            }
        }
        12 => {
            let book: Option<RouteBook> = field(&v, "routes");
            if let (Some(snap), Some(r)) =
                (field::<TransitSnapshot>(&v, "snapshot"), field::<PlanRequest>(&v, "request"))
            {
                let _ = planner::plan(&snap, book.as_ref(), &r);
            }
        }
        13 => {
            let book: Option<TemplateBook> = field(&v, "templates");
            if let Some(t) = field::<Template>(&v, "template") {
                let _ = template::validate(&t);
                let _ = template::save(book.clone(), t);
            }
            if let Some(id) = v.get("id").and_then(Value::as_str) {
                let _ = template::delete(book.clone(), id);
                let _ = template::select(book.clone(), id);
            }
            let _ = template::checked(book);
        }
        14 => {
            if let (Some(keys), Some(device)) = (field::<KeysRecord>(&v, "keys"), field::<DeviceRecord>(&v, "device")) {
                let _ = unlock_with_device(&keys, &device);
            }
        }
        _ => {
            if let Some(ms) = v.get("nowMs").and_then(Value::as_f64) {
                let _ = ChinaDayView::at(ms as i64);
            }
            if let Some(ms) = v.as_i64() {
                let _ = ChinaDayView::at(ms);
            }
        }
    }
});
