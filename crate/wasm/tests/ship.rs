//! wasm tests of the ship bindings a fill run needs: requests as JS objects, views back as plain
//! objects, errors as JS `Error`s named `FillError` (the import, preview and plan are the office
//! module's: crate/office/tests/import.rs).
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use redship_wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |cur, k| match k.parse::<u32>() {
        Ok(i) => Reflect::get_u32(&cur, i).unwrap(),
        Err(_) => Reflect::get(&cur, &JsValue::from_str(k)).unwrap(),
    })
}

fn error_name(e: &JsValue) -> String {
    get(e, "name").as_string().unwrap_or_default()
}

/// A planned run as the office module's `shipFillPlan` hands it to the worker (the core's plan,
/// crossed as JSON; the plan itself is tested in crate/office/tests/import.rs).
fn planned(run_id: &str, rows: &[(&str, &str)]) -> JsValue {
    use redship_core::ship::plan::{plan, FillMode, PlanRequest};
    use redship_core::ship::{KnownOrder, RawEntry, ValidationContext};
    let known_orders =
        rows.iter().map(|(id, _)| KnownOrder { package_id: (*id).into(), waiting: true, unclear: false }).collect();
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, (id, number))| RawEntry {
            row: i + 1,
            package_id: (*id).into(),
            courier: "中通".into(),
            number: (*number).into(),
        })
        .collect();
    let context = ValidationContext { known_orders, ..ValidationContext::default() };
    let req =
        PlanRequest { run_id: run_id.into(), mode: FillMode::Ship, rows, context, pace: Default::default(), now_ms: 1 };
    obj(&serde_json::to_string(&plan(&req).unwrap()).unwrap())
}

#[wasm_bindgen_test]
fn plan_journal_and_report() {
    let run = planned("run-1", &[("P100000000000001", "773012345678")]);
    assert_eq!(get(&run, "items.0.status").as_string().as_deref(), Some("pending"));
    let step = |run: &JsValue, event: &str| {
        let req = obj(&format!(r#"{{"event": {event}, "nowMs": 2}}"#));
        Reflect::set(&req, &JsValue::from_str("run"), run).unwrap();
        ship_journal_apply(req)
    };
    let v = step(&run, r#"{"type": "start"}"#).unwrap();
    assert_eq!(get(&v, "action.kind").as_string().as_deref(), Some("fill"));
    assert_eq!(get(&v, "action.courierName").as_string().as_deref(), Some("中通快递"));
    let run = get(&v, "run");
    // Shipped without a recorded 确定 is refused by name.
    let refused = step(&run, r#"{"type": "result", "packageId": "P100000000000001", "outcome": {"kind": "shipped"}}"#)
        .unwrap_err();
    assert_eq!(error_name(&refused), "FillError");
    let run = get(&step(&run, r#"{"type": "confirming", "packageId": "P100000000000001"}"#).unwrap(), "run");
    let run = get(
        &step(&run, r#"{"type": "result", "packageId": "P100000000000001", "outcome": {"kind": "shipped"}}"#).unwrap(),
        "run",
    );
    let v = step(&run, r#"{"type": "next", "visible": []}"#).unwrap();
    assert_eq!(get(&v, "action.kind").as_string().as_deref(), Some("done"));
    assert_eq!(get(&v, "progress.done").as_f64(), Some(1.0));
    let rep_req = obj("{}");
    Reflect::set(&rep_req, &JsValue::from_str("run"), &get(&v, "run")).unwrap();
    let rep = ShipJournal::open(rep_req.clone()).unwrap().report().unwrap();
    assert_eq!(get(&rep, "rows.0.status").as_string().as_deref(), Some("shipped"));
    // The report's CSV is the office module's (crate/office/tests/office.rs).
}

#[wasm_bindgen_test]
fn the_live_journal_stages_a_step_saves_a_log_and_reopens_with_it() {
    let planned = planned("run-2", &[("P100000000000001", "773012345678"), ("P100000000000002", "773012345679")]);
    let start = obj(r#"{"event": {"type": "start"}, "nowMs": 2}"#);
    Reflect::set(&start, &JsValue::from_str("run"), &planned).unwrap();
    let record = get(&ship_journal_apply(start).unwrap(), "run");
    let rec = obj("{}");
    Reflect::set(&rec, &JsValue::from_str("run"), &record).unwrap();
    let mut journal = ShipJournal::open(rec).unwrap();
    assert!(journal.log().unwrap().is_null());
    let req = obj(
        r#"{"events": [{"type": "next", "visible": []}], "confirm": "P100000000000001", "lookahead": true, "nowMs": 3}"#,
    );
    let v = journal.step(req.clone()).unwrap();
    assert_eq!(get(&v, "confirmed").as_bool(), Some(true));
    assert_eq!(get(&v, "ahead.packageId").as_string().as_deref(), Some("P100000000000002"));
    assert_eq!(get(&v, "ahead.number").as_string().as_deref(), Some("773012345679"));
    assert_eq!(get(&v, "log.items.length").as_f64(), Some(1.0));
    assert_eq!(get(&v, "log.items.0.phase").as_string().as_deref(), Some("confirming"));
    assert!(v.is_object() && get(&v, "run").is_undefined(), "the run does not cross");
    // Staged, not live, until the log is saved.
    let stringify = |v: &JsValue| JSON::stringify(v).unwrap().as_string();
    assert_eq!(stringify(&journal.run(false).unwrap()), stringify(&record));
    let staged = journal.run(true).unwrap();
    assert_eq!(get(&staged, "items.0.phase").as_string().as_deref(), Some("confirming"));
    assert!(journal.commit());
    assert_eq!(stringify(&journal.run(false).unwrap()), stringify(&staged));
    assert_eq!(journal.state().unwrap().as_string().as_deref(), Some("running"));
    assert_eq!(get(&journal.report().unwrap(), "rows.length").as_f64(), Some(2.0));
    // After a restart: the saved record plus the log is the live run.
    let rec = obj("{}");
    Reflect::set(&rec, &JsValue::from_str("run"), &record).unwrap();
    Reflect::set(&rec, &JsValue::from_str("log"), &get(&v, "log")).unwrap();
    let reopened = ShipJournal::open(rec).unwrap();
    assert_eq!(stringify(&reopened.run(false).unwrap()), stringify(&staged));
    assert_eq!(stringify(&reopened.log().unwrap()), stringify(&get(&v, "log")));
    // A log that does not extend the record is refused by name.
    let bad = obj("{}");
    Reflect::set(&bad, &JsValue::from_str("run"), &record).unwrap();
    let log = get(&v, "log");
    Reflect::set(&log, &JsValue::from_str("base"), &JsValue::from_f64(7.0)).unwrap();
    Reflect::set(&bad, &JsValue::from_str("log"), &log).unwrap();
    assert_eq!(error_name(&ShipJournal::open(bad).err().unwrap()), "FillError");
    // A refused step throws by name and leaves the live run as it was.
    let before = stringify(&journal.run(false).unwrap());
    let refused =
        obj(r#"{"events": [{"type": "checked", "packageId": "P999999999999999", "status": "waiting"}], "nowMs": 4}"#);
    assert_eq!(error_name(&journal.step(refused).unwrap_err()), "FillError");
    assert!(!journal.commit());
    assert_eq!(stringify(&journal.run(false).unwrap()), before);
    // A whole save: the next change starts a new log on the saved record.
    journal.saved_whole();
    assert!(journal.log().unwrap().is_null());
}

/// Ship mode's pace: the default when nothing is stored, a change applied, an unknown pace a
/// `FillError`; a step names the wait before its 确定.
#[wasm_bindgen_test]
fn pace_settings_cross_the_boundary() {
    let v = ship_pace_settings(obj(r#"{"stored": null}"#)).unwrap();
    assert_eq!(get(&v, "pace").as_string().as_deref(), Some("person"));
    assert_eq!(get(&v, "choices.0.maxMs").as_f64(), Some(3000.0));
    let v = ship_pace_settings(obj(r#"{"stored": {"v": 1, "pace": "person"}, "change": {"pace": "fast"}}"#)).unwrap();
    assert_eq!(get(&v, "pace").as_string().as_deref(), Some("fast"));
    let err = ship_pace_settings(obj(r#"{"stored": null, "change": {"pace": "warp"}}"#)).unwrap_err();
    assert_eq!(error_name(&err), "FillError");
}

/// The 待发货 pages read: a list page with a waiting order is noted, its view says one page.
#[wasm_bindgen_test]
fn list_pages_cross_the_boundary() {
    let req = obj(
        r#"{"request": {"page_no": 2, "page_size": 50, "status": []}, "summary": {"waitingOnly": false, "packages": [{"packageId": "P1", "status": 4, "state": "waiting"}]}, "nowMs": 1765000000000}"#,
    );
    let out = order_page_seen(JsValue::NULL, req).unwrap();
    assert_eq!(get(&out, "record.pages.0.key").as_string().as_deref(), Some("|50|2"));
    assert_eq!(get(&out, "view.pages").as_f64(), Some(1.0));
    assert_eq!(get(&out, "view.lastTime").as_string().as_deref(), Some("13:46"));
    let view = order_pages_view(get(&out, "record"), 1_765_000_000_000.0).unwrap();
    assert_eq!(get(&view, "today").as_bool(), Some(true));
}

/// The seen record after a list page crosses both ways: entries as stored in, the rows as two
/// string arrays, the new entries (or null when nothing changed) out.
#[wasm_bindgen_test]
fn the_seen_record_crosses_the_boundary() {
    let (a, b) = ("P100000000000000001", "P100000000000000002");
    let entries = obj(&format!(r#"[{{"packageId":"{a}","waiting":true}}]"#));
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = ship_seen_record(entries.clone(), ids(&[a, b]), ids(&["waiting", "unclear"]), ids(&[a, b])).unwrap();
    let stringify = |v: &JsValue| JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(
        stringify(&out),
        format!(r#"[{{"packageId":"{a}","waiting":true}},{{"packageId":"{b}","waiting":false,"unclear":true}}]"#)
    );
    let same = ship_seen_record(entries, ids(&[a]), ids(&["waiting"]), ids(&[a])).unwrap();
    assert!(same.is_null());
    assert!(ship_seen_record(JsValue::NULL, ids(&[a]), ids(&["waiting"]), ids(&[a])).unwrap().is_array());
    let err = ship_seen_record(JsValue::NULL, ids(&[a]), ids(&[]), ids(&[a])).unwrap_err();
    assert_eq!(Reflect::get(&err, &"name".into()).unwrap().as_string().as_deref(), Some("FillError"));
}
