//! The tracking-number import in wasm, read by the office module for every source: a paste, a
//! CSV (its bytes as `Uint8Array` or `ArrayBuffer`, GBK decoded by the platform's
//! `TextDecoder`) and workbooks (tests/office.rs); the context lists read apart from the rest;
//! errors named `ImportError` or `RequestError`. Runs in node and, with
//! `WASM_BINDGEN_USE_BROWSER=1`, in Chromium.
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, Uint8Array, JSON};
use redship_office::ship_import;
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

/// The revalidation reads the long lists apart from the rest of the request, as the import does:
/// a used number is named, a wrong shape is a `RequestError`.
#[wasm_bindgen_test]
fn revalidation_reads_the_context_lists_apart() {
    let used = obj(&format!(
        r#"{{"rows": [{{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}}], {}}}"#,
        CTX.replace(
            r#""usedNumbers": []"#,
            r#""usedNumbers": [{"number": "773012345678", "packageId": "P100000000000002"}]"#
        )
    ));
    let v = redship_office::ship_revalidate(used).unwrap();
    assert_eq!(get(&v, "reasons.0.code").as_string().as_deref(), Some("already-used"));
    assert_eq!(courier_code(&v, 0).as_deref(), Some("zto"));
    let old =
        obj(r#"{"rows": [], "knownOrders": [{"packageId": "P100000000000001", "waiting": true}], "usedNumbers": []}"#);
    assert_eq!(error_name(&redship_office::ship_revalidate(old).unwrap_err()), "RequestError");
}

/// The fill plan validates the rows once more, reading the lists apart as the import does: a
/// used number is not planned (`FillError`), the old array form of the known orders is refused.
#[wasm_bindgen_test]
fn the_plan_reads_the_context_lists_apart() {
    let plan_req = obj(&format!(
        r#"{{"runId": "run-1", "mode": "ship", "nowMs": 1, "rows": [{{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}}], {CTX}}}"#
    ));
    let run = redship_office::ship_fill_plan(plan_req).unwrap();
    assert_eq!(get(&run, "items.0.status").as_string().as_deref(), Some("pending"));
    // The lists are read apart from the rest, as for the import: a used number is not planned,
    // and the old array form of the known orders is refused.
    let row = r#""rows": [{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}]"#;
    let used = CTX.replace(
        r#""usedNumbers": []"#,
        r#""usedNumbers": [{"number": "773012345678", "packageId": "P100000000000002"}]"#,
    );
    let req = obj(&format!(r#"{{"runId": "run-0", "mode": "ship", "nowMs": 1, {row}, {used}}}"#));
    assert_eq!(error_name(&redship_office::ship_fill_plan(req).unwrap_err()), "FillError");
    let old = r#""knownOrders": [{"packageId": "P100000000000001", "waiting": true}], "usedNumbers": []"#;
    let req = obj(&format!(r#"{{"runId": "run-0", "mode": "ship", "nowMs": 1, {row}, {old}}}"#));
    assert_eq!(error_name(&redship_office::ship_fill_plan(req).unwrap_err()), "RequestError");
}

/// The known orders the validation reads: the seen list and the orders domain's, merged (the
/// orders domain's word winning), crossing as ID lists joined by line breaks.
#[wasm_bindgen_test]
fn known_orders_merge_into_the_compact_form() {
    let seen = obj(
        r#"[{"packageId": "P100000000000001", "waiting": true}, {"packageId": "P100000000000002", "waiting": true}]"#,
    );
    let known = obj(r#"[{"packageId": "P100000000000002", "waiting": false}]"#);
    let v = redship_office::ship_known_orders(seen, known).unwrap();
    assert_eq!(get(&v, "knownOrders.waiting").as_string().as_deref(), Some("P100000000000001"));
    assert_eq!(get(&v, "knownOrders.closed").as_string().as_deref(), Some("P100000000000002"));
    let none = redship_office::ship_known_orders(JsValue::NULL, JsValue::UNDEFINED).unwrap();
    assert!(get(&none, "knownOrders").is_object());
    let bad = redship_office::ship_known_orders(obj("5"), JsValue::NULL).unwrap_err();
    assert_eq!(error_name(&bad), "RequestError");
}

#[wasm_bindgen_test]
fn big_requests_cross_a_slice_at_a_time() {
    // 6,000 rows with CJK text and emoji: well over the 256 K units from which `from_js` reads
    // the JSON text in slices, so slice edges fall inside multi-byte characters.
    let rows: Vec<String> = (0..6000u64)
        .map(|i| {
            format!(
                r#"{{"row":{i},"packageId":"P{:015}","courier":"中通快递😀{}","number":"7730{:08}"}}"#,
                100_000_000_000_000u64 + i,
                "备".repeat((i % 7) as usize),
                i
            )
        })
        .collect();
    let text = format!(r#"{{"rows":[{}],"knownOrders":{{}},"usedNumbers":[],"couriers":[]}}"#, rows.join(","));
    assert!(text.encode_utf16().count() > 256 * 1024);
    let req = js_sys::JSON::parse(&text).expect("json");
    let view = redship_office::ship_revalidate(req).expect("view");
    let counts = get(&view, "counts");
    assert_eq!(get(&counts, "total").as_f64(), Some(6000.0));
    // The preview comes by column: numbers as one text, a line per row; each row's courier cell
    // as written by its position in `written`.
    let rows = get(&view, "rows");
    let numbers = get(&rows, "number").as_string().expect("numbers");
    assert_eq!(numbers.lines().count(), 6000);
    assert_eq!(numbers.lines().nth(5999), Some("773000005999"));
    let at = Reflect::get_u32(&get(&rows, "written"), 5999).expect("written").as_f64().expect("position");
    let written = Reflect::get_u32(&get(&view, "written"), at as u32).expect("text");
    assert_eq!(written.as_string(), Some(format!("中通快递😀{}", "备".repeat(5999 % 7))));
}
