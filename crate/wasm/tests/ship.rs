//! wasm tests of the tracking bindings: requests as JS objects (bytes as `Uint8Array`), views
//! back as plain objects, errors as JS `Error`s named `ImportError` / `FillError`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, Uint8Array, JSON};
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

/// A preview row's courier code: rows come by column, and name their courier by its position in
/// `couriers`.
fn courier_code(view: &JsValue, row: usize) -> Option<String> {
    let at = get(view, &format!("rows.courier.{row}")).as_f64()?;
    get(view, &format!("couriers.{at}.code")).as_string()
}

fn error_name(e: &JsValue) -> String {
    get(e, "name").as_string().unwrap_or_default()
}

const CTX: &str =
    r#""knownOrders": {"waiting": "P100000000000001\nP100000000000002"}, "usedNumbers": [], "couriers": []"#;

#[wasm_bindgen_test]
fn paste_import_gives_a_preview() {
    let req = obj(&format!(
        r#"{{"source": "paste", "text": "P100000000000001 中通 7730 1234 5678\nP100000000000009 顺丰 SF1234567890123", {CTX}}}"#
    ));
    let v = ship_import(req).unwrap();
    assert_eq!(get(&v, "counts.total").as_f64(), Some(2.0));
    assert_eq!(get(&v, "rows.verdict").as_string().as_deref(), Some("02"), "one digit a row: 0 ok, 2 error");
    assert_eq!(courier_code(&v, 0).as_deref(), Some("zto"));
    assert_eq!(get(&v, "rows.number").as_string().as_deref().and_then(|t| t.lines().next()), Some("773012345678"));
    assert_eq!(
        (get(&v, "reasons.0.at").as_f64(), get(&v, "reasons.0.code").as_string().as_deref()),
        (Some(1.0), Some("not-seen"))
    );
}

#[wasm_bindgen_test]
fn csv_bytes_as_uint8array() {
    let req = obj(&format!(r#"{{"source": "csv", {CTX}}}"#));
    let bytes = Uint8Array::from("\u{FEFF}订单号,快递公司,运单号\nP100000000000002,极兔,JT1234567890123\n".as_bytes());
    Reflect::set(&req, &JsValue::from_str("bytes"), &bytes).unwrap();
    let v = ship_import(req).unwrap();
    assert_eq!(courier_code(&v, 0).as_deref(), Some("jtexpress"));
    assert_eq!(get(&v, "encoding").as_string().as_deref(), Some("UTF-8"));
}

#[wasm_bindgen_test]
fn csv_bytes_as_array_buffer_leave_the_callers_request_alone() {
    let req = obj(&format!(r#"{{"source": "csv", {CTX}}}"#));
    let bytes = Uint8Array::from("订单号,快递公司,运单号\nP100000000000002,极兔,JT1234567890123\n".as_bytes());
    Reflect::set(&req, &JsValue::from_str("bytes"), &bytes.buffer()).unwrap();
    let v = ship_import(req.clone()).unwrap();
    assert_eq!(get(&v, "counts.total").as_f64(), Some(1.0));
    assert!(get(&req, "bytes").is_instance_of::<js_sys::ArrayBuffer>());
}

#[wasm_bindgen_test]
fn workbooks_are_handed_to_the_office_module() {
    let xlsx = obj(&format!(r#"{{"source": "xlsx", {CTX}}}"#));
    Reflect::set(&xlsx, &JsValue::from_str("bytes"), &Uint8Array::from(&b"PK\x03\x04"[..])).unwrap();
    let err = ship_import(xlsx).unwrap_err();
    assert_eq!(error_name(&err), "ImportError");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("NeedsOffice"));
}

#[wasm_bindgen_test]
fn gbk_csv_is_decoded_by_the_browser() {
    // 订单号,快递公司,运单号 / P100000000000002,顺丰,SF1234567890123 in GBK.
    let mut gbk = b"\xb6\xa9\xb5\xa5\xba\xc5,\xbf\xec\xb5\xdd\xb9\xab\xcb\xbe,\xd4\xcb\xb5\xa5\xba\xc5\r\n".to_vec();
    gbk.extend_from_slice(b"P100000000000002,\xcb\xb3\xb7\xe1,SF1234567890123\r\n");
    let req = obj(&format!(r#"{{"source": "csv", {CTX}}}"#));
    Reflect::set(&req, &JsValue::from_str("bytes"), &Uint8Array::from(&gbk[..])).unwrap();
    let v = ship_import(req).unwrap();
    assert_eq!(get(&v, "encoding").as_string().as_deref(), Some("GBK"));
    assert_eq!(courier_code(&v, 0).as_deref(), Some("shunfeng"));
    // A byte no GB18030 sequence starts with, on the second line: the row is named.
    let req = obj(&format!(r#"{{"source": "csv", {CTX}}}"#));
    Reflect::set(&req, &JsValue::from_str("bytes"), &Uint8Array::from(&b"\xb6\xa9,a\n\xff,b\n"[..])).unwrap();
    let err = ship_import(req).unwrap_err();
    assert!(get(&err, "message").as_string().unwrap_or_default().contains("第 2 行"));
}

#[wasm_bindgen_test]
fn import_errors_are_named() {
    let req = obj(&format!(r#"{{"source": "csv", {CTX}}}"#));
    Reflect::set(&req, &JsValue::from_str("bytes"), &Uint8Array::from(&b""[..])).unwrap();
    let err = ship_import(req).unwrap_err();
    assert_eq!(error_name(&err), "ImportError");
    assert!(get(&err, "code").is_undefined());
    let bad_shape = obj(r#"{"source": "fax"}"#);
    assert_eq!(error_name(&ship_import(bad_shape).unwrap_err()), "RequestError");
}

/// The long lists cross apart from the rest of the request: absent or `null` ones read as
/// empty, a wrong shape is a `RequestError`, and the caller's object is left alone.
#[wasm_bindgen_test]
fn context_lists_are_read_apart() {
    let text = "P100000000000001 中通 7730 1234 5678";
    let bare = obj(&format!(r#"{{"source": "paste", "text": "{text}"}}"#));
    let v = ship_import(bare).unwrap();
    assert_eq!(get(&v, "reasons.0.code").as_string().as_deref(), Some("not-seen"));
    let nulls = obj(&format!(r#"{{"source": "paste", "text": "{text}", "knownOrders": null, "usedNumbers": null}}"#));
    assert!(ship_import(nulls).is_ok());
    let req = obj(&format!(r#"{{"source": "paste", "text": "{text}", {CTX}}}"#));
    let v = ship_import(req.clone()).unwrap();
    assert_eq!(get(&v, "counts.ok").as_f64(), Some(1.0));
    assert!(get(&req, "knownOrders.waiting").is_string());
    let used = obj(&format!(
        r#"{{"rows": [{{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}}], {}}}"#,
        CTX.replace(
            r#""usedNumbers": []"#,
            r#""usedNumbers": [{"number": "773012345678", "packageId": "P100000000000002"}]"#
        )
    ));
    let v = ship_revalidate(used).unwrap();
    assert_eq!(get(&v, "reasons.0.code").as_string().as_deref(), Some("already-used"));
    for bad in [
        r#""knownOrders": "P1""#,
        r#""knownOrders": [{"packageId": "P100000000000001", "waiting": true}]"#,
        r#""usedNumbers": [{"number": 7}]"#,
    ] {
        let req = obj(&format!(r#"{{"source": "paste", "text": "{text}", {bad}}}"#));
        assert_eq!(error_name(&ship_import(req).unwrap_err()), "RequestError", "{bad}");
    }
    // The old array form is refused by name, not read as an empty list.
    let old = obj(&format!(
        r#"{{"source": "paste", "text": "{text}", "knownOrders": [{{"packageId": "P100000000000001", "waiting": true}}]}}"#
    ));
    let message = get(&ship_import(old).unwrap_err(), "message").as_string().unwrap_or_default();
    assert!(message.contains("knownOrders: the old list of {packageId, waiting} objects"), "{message}");
}

#[wasm_bindgen_test]
fn plan_journal_and_report() {
    let plan_req = obj(&format!(
        r#"{{"runId": "run-1", "mode": "ship", "nowMs": 1, "rows": [{{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}}], {CTX}}}"#
    ));
    let run = ship_fill_plan(plan_req).unwrap();
    assert_eq!(get(&run, "items.0.status").as_string().as_deref(), Some("pending"));
    // The lists are read apart from the rest, as for the import: a used number is not planned,
    // and the old array form of the known orders is refused.
    let row = r#""rows": [{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}]"#;
    let used = CTX.replace(
        r#""usedNumbers": []"#,
        r#""usedNumbers": [{"number": "773012345678", "packageId": "P100000000000002"}]"#,
    );
    let req = obj(&format!(r#"{{"runId": "run-0", "mode": "ship", "nowMs": 1, {row}, {used}}}"#));
    assert_eq!(error_name(&ship_fill_plan(req).unwrap_err()), "FillError");
    let old = r#""knownOrders": [{"packageId": "P100000000000001", "waiting": true}], "usedNumbers": []"#;
    let req = obj(&format!(r#"{{"runId": "run-0", "mode": "ship", "nowMs": 1, {row}, {old}}}"#));
    assert_eq!(error_name(&ship_fill_plan(req).unwrap_err()), "RequestError");
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
    let plan_req = obj(&format!(
        r#"{{"runId": "run-2", "mode": "ship", "nowMs": 1, "rows": [{{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}}, {{"row": 2, "packageId": "P100000000000002", "courier": "中通", "number": "773012345679"}}], {CTX}}}"#
    ));
    let planned = ship_fill_plan(plan_req).unwrap();
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

#[wasm_bindgen_test]
fn default_couriers_are_spec_list() {
    let list = ship_couriers().unwrap();
    assert_eq!(get(&list, "length").as_f64(), Some(12.0));
    assert_eq!(get(&list, "0.code").as_string().as_deref(), Some("shunfeng"));
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
